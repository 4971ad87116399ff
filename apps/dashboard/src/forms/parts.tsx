// Form parts shared by the entry forms, enrolment and the correction of enrolment details.

/** What a refused submission got wrong, each problem linked to its field. */
export function ErrorSummary(props: {
  error: string | undefined;
  fieldErrors: Record<string, string>;
  labelOf: (field: string) => string;
}) {
  const errors = Object.entries(props.fieldErrors);
  if (!props.error && errors.length === 0) return null;
  return (
    <div className="alert" role="alert">
      <p className="strong">Nothing was saved. Please check:</p>
      <ul>
        {props.error ? <li>{props.error}</li> : null}
        {errors.map(([field, message]) => (
          <li key={field}>
            <a href={`#f-${field}`}>
              {props.labelOf(field)}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The fractured vertebral levels as a checkbox group (T1 to L5). */
export function LevelsField(props: {
  name: string;
  levels: readonly string[];
  /** The chosen levels, comma-separated as the form sends them. */
  value: string | undefined;
  error: string | undefined;
}) {
  const chosen = new Set((props.value ?? '').split(',').filter(Boolean));
  const errorId = `f-${props.name}-error`;
  return (
    <fieldset
      className="field"
      id={`f-${props.name}`}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error ? errorId : undefined}
    >
      <legend>Fractured levels</legend>
      <div className="levels">
        {props.levels.map((level) => (
          <label key={level}>
            <input
              type="checkbox"
              name={props.name}
              value={level}
              defaultChecked={chosen.has(level)}
            />{' '}
            {level}
          </label>
        ))}
      </div>
      {props.error ? (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Community or admitted, with the admission time (as a datetime-local in the user's zone). */
export function CareSettingFields(props: {
  setting: string | undefined;
  admittedAt: string | undefined;
  settingError: string | undefined;
  admittedAtError: string | undefined;
}) {
  const describedBy = ['f-admittedAt-hint', props.admittedAtError ? 'f-admittedAt-error' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <fieldset className="field" id="f-careSetting">
        <legend>Care setting</legend>
        <div className="inline-options">
          <label>
            <input
              type="radio"
              name="careSetting"
              value="community"
              defaultChecked={props.setting !== 'admitted'}
            />{' '}
            Community
          </label>
          <label>
            <input
              type="radio"
              name="careSetting"
              value="admitted"
              defaultChecked={props.setting === 'admitted'}
            />{' '}
            Admitted to hospital
          </label>
        </div>
        {props.settingError ? <p className="field-error">{props.settingError}</p> : null}
      </fieldset>
      <div className="field">
        <label htmlFor="f-admittedAt">
          Admitted at <span className="muted">(when admitted)</span>
        </label>
        <input
          id="f-admittedAt"
          name="admittedAt"
          type="datetime-local"
          defaultValue={props.admittedAt}
          aria-invalid={props.admittedAtError ? true : undefined}
          aria-describedby={describedBy}
        />
        <p id="f-admittedAt-hint" className="hint">
          In your own time zone. For a fracture that happened in hospital, the time it was
          diagnosed.
        </p>
        {props.admittedAtError ? (
          <p id="f-admittedAt-error" className="field-error">
            {props.admittedAtError}
          </p>
        ) : null}
      </div>
    </>
  );
}
