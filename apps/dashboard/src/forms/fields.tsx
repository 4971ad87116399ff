import type { FieldSpec } from './event-fields';

/** One labelled control with its hint and error, tied together for screen readers. */
export function FormField(props: {
  spec: FieldSpec;
  value: string | undefined;
  error: string | undefined;
  idPrefix?: string;
}) {
  const { spec, value, error } = props;
  const id = `${props.idPrefix ?? 'f'}-${spec.name}`;
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: spec.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  if (spec.kind === 'hidden') return <input type="hidden" name={spec.name} value={value ?? ''} />;

  const label = (
    <>
      {spec.label}
      {spec.required ? null : <span className="muted"> (optional)</span>}
    </>
  );
  const after = (
    <>
      {spec.hint ? (
        <p id={hintId} className="hint">
          {spec.hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </>
  );
  if (spec.kind === 'yes-no') {
    return (
      <fieldset
        className="field choice-group"
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      >
        <legend>{label}</legend>
        <div className="inline-options">
          {[['yes', 'Yes'], ['no', 'No'], ...(spec.required ? [] : [['', 'Not recorded']])].map(
            ([option, words]) => (
              <label key={option}>
                <input
                  type="radio"
                  name={spec.name}
                  value={option}
                  defaultChecked={(value ?? '') === option}
                />{' '}
                {words}
              </label>
            ),
          )}
        </div>
        {after}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {spec.kind === 'choice' ? (
        <select {...common} defaultValue={value ?? ''}>
          <option value="">{spec.required ? 'Choose…' : 'Not recorded'}</option>
          {spec.options?.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : spec.kind === 'long-text' ? (
        <textarea {...common} rows={3} defaultValue={value ?? ''} />
      ) : (
        <input
          {...common}
          type={spec.kind === 'date' ? 'date' : spec.kind === 'text' ? 'text' : 'text'}
          inputMode={
            spec.kind === 'whole' ? 'numeric' : spec.kind === 'decimal' ? 'decimal' : undefined
          }
          defaultValue={value ?? ''}
          className={spec.kind === 'whole' || spec.kind === 'decimal' ? 'narrow' : undefined}
        />
      )}
      {after}
    </div>
  );
}
