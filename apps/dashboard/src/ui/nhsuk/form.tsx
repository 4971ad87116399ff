// The NHS design system's form parts (nhsuk-frontend markup: form group, label, hint, error
// message, input, textarea, select, radios, checkboxes, date input), drawn by React. Every control
// is uncontrolled with its value as the default: the forms never let the browser reset them
// (src/ui/nhsuk/use-form-action.ts), so what was typed stays after a refused submission. The
// first control of every field has the id the error summary links to (`id`).
import type { ReactNode } from 'react';
import { type DateBoxes, partName } from '@/forms/date-parts';

export interface Option {
  readonly value: string;
  readonly label: string;
}

interface Common {
  /** The id of the field's first control; the error summary links here. */
  readonly id: string;
  readonly name: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string;
}

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ');

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function FormGroup(props: { error?: string; children: ReactNode; className?: string }) {
  return (
    <div
      className={classes(
        'nhsuk-form-group',
        props.error && 'nhsuk-form-group--error',
        props.className,
      )}
    >
      {props.children}
    </div>
  );
}

export function Hint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div className="nhsuk-hint" id={`${id}-hint`}>
      {children}
    </div>
  );
}

export function ErrorMessage({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <span className="nhsuk-error-message" id={`${id}-error`}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {error}
    </span>
  );
}

export function Label({ htmlFor, children }: { htmlFor: string; children: ReactNode }) {
  return (
    <label className="nhsuk-label" htmlFor={htmlFor}>
      {children}
    </label>
  );
}

/** A fieldset with its legend, hint and error: radios, checkboxes and the date input. */
export function Fieldset(props: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <FormGroup error={props.error} className={props.className}>
      <fieldset
        className="nhsuk-fieldset"
        aria-describedby={describedBy(props.id, props.hint, props.error)}
      >
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? <Hint id={props.id}>{props.hint}</Hint> : null}
        <ErrorMessage id={props.id} error={props.error} />
        {props.children}
      </fieldset>
    </FormGroup>
  );
}

export function TextInput(
  props: Common & {
    defaultValue?: string;
    type?: 'text' | 'email' | 'password';
    inputMode?: 'numeric' | 'decimal' | 'text';
    /** nhsuk-input--width-N: 2, 3, 4, 5, 10, 20, 30 characters. */
    width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
    autoComplete?: string;
    spellCheck?: boolean;
    required?: boolean;
  },
) {
  return (
    <FormGroup error={props.error}>
      <Label htmlFor={props.id}>{props.label}</Label>
      {props.hint ? <Hint id={props.id}>{props.hint}</Hint> : null}
      <ErrorMessage id={props.id} error={props.error} />
      <input
        className={classes(
          'nhsuk-input',
          props.width && `nhsuk-input--width-${props.width}`,
          props.error && 'nhsuk-input--error',
        )}
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        defaultValue={props.defaultValue ?? ''}
        autoComplete={props.autoComplete}
        spellCheck={props.spellCheck}
        required={props.required}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        aria-invalid={props.error ? true : undefined}
      />
    </FormGroup>
  );
}

export function Textarea(
  props: Common & { defaultValue?: string; rows?: number; maxLength?: number },
) {
  return (
    <FormGroup error={props.error}>
      <Label htmlFor={props.id}>{props.label}</Label>
      {props.hint ? <Hint id={props.id}>{props.hint}</Hint> : null}
      <ErrorMessage id={props.id} error={props.error} />
      <textarea
        className={classes('nhsuk-textarea', props.error && 'nhsuk-textarea--error')}
        id={props.id}
        name={props.name}
        rows={props.rows ?? 3}
        maxLength={props.maxLength}
        defaultValue={props.defaultValue ?? ''}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        aria-invalid={props.error ? true : undefined}
      />
    </FormGroup>
  );
}

export function Select(
  props: Common & {
    options: readonly Option[];
    defaultValue?: string;
    /** The first, empty choice ("Choose…", "Not recorded"); none when undefined. */
    placeholder?: string;
  },
) {
  return (
    <FormGroup error={props.error}>
      <Label htmlFor={props.id}>{props.label}</Label>
      {props.hint ? <Hint id={props.id}>{props.hint}</Hint> : null}
      <ErrorMessage id={props.id} error={props.error} />
      <select
        className={classes('nhsuk-select', props.error && 'nhsuk-select--error')}
        id={props.id}
        name={props.name}
        defaultValue={props.defaultValue ?? ''}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        aria-invalid={props.error ? true : undefined}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FormGroup>
  );
}

/** The id of a radio or checkbox: the field's id for the first, then "-2", "-3" ... */
const itemId = (id: string, index: number) => (index === 0 ? id : `${id}-${index + 1}`);

export function Radios(
  props: Omit<Common, 'label'> & {
    legend: ReactNode;
    options: readonly Option[];
    defaultValue?: string;
    inline?: boolean;
  },
) {
  return (
    <Fieldset id={props.id} legend={props.legend} hint={props.hint} error={props.error}>
      <div
        className={classes('nhsuk-radios', props.inline && 'nhsuk-radios--inline')}
        data-module="nhsuk-radios"
      >
        {props.options.map((option, index) => (
          <div className="nhsuk-radios__item" key={option.value}>
            <input
              className="nhsuk-radios__input"
              id={itemId(props.id, index)}
              name={props.name}
              type="radio"
              value={option.value}
              defaultChecked={(props.defaultValue ?? '') === option.value}
            />
            <label className="nhsuk-label nhsuk-radios__label" htmlFor={itemId(props.id, index)}>
              {option.label}
            </label>
          </div>
        ))}
      </div>
    </Fieldset>
  );
}

export function Checkboxes(
  props: Omit<Common, 'label'> & {
    /** Without a legend, a single checkbox stands alone (a confirmation). */
    legend?: ReactNode;
    options: readonly Option[];
    defaultValues: readonly string[];
    /** Laid out side by side (the vertebral levels). */
    inline?: boolean;
  },
) {
  const boxes = (
    <div
      className={classes('nhsuk-checkboxes', props.inline && 'fls-checkboxes--inline')}
      data-module="nhsuk-checkboxes"
    >
      {props.options.map((option, index) => (
        <div className="nhsuk-checkboxes__item" key={option.value}>
          <input
            className="nhsuk-checkboxes__input"
            id={itemId(props.id, index)}
            name={props.name}
            type="checkbox"
            value={option.value}
            defaultChecked={props.defaultValues.includes(option.value)}
            aria-describedby={
              props.legend ? undefined : describedBy(props.id, props.hint, props.error)
            }
          />
          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={itemId(props.id, index)}>
            {option.label}
          </label>
        </div>
      ))}
    </div>
  );
  if (props.legend === undefined) {
    return (
      <FormGroup error={props.error}>
        {props.hint ? <Hint id={props.id}>{props.hint}</Hint> : null}
        <ErrorMessage id={props.id} error={props.error} />
        {boxes}
      </FormGroup>
    );
  }
  return (
    <Fieldset id={props.id} legend={props.legend} hint={props.hint} error={props.error}>
      {boxes}
    </Fieldset>
  );
}

/**
 * The date input: day, month and year boxes (named "<name>-day" ...), and with `time` a 24-hour
 * time box beside them. The day box has the field's id.
 */
export function DateInput(
  props: Omit<Common, 'label'> & { legend: ReactNode; value: DateBoxes; withTime?: boolean },
) {
  const box = (part: 'day' | 'month' | 'year', label: string, width: 2 | 4) => {
    const id = part === 'day' ? props.id : `${props.id}-${part}`;
    return (
      <div className="nhsuk-date-input__item">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-date-input__label" htmlFor={id}>
            {label}
          </label>
          <input
            className={classes(
              'nhsuk-input',
              `nhsuk-input--width-${width}`,
              'nhsuk-date-input__input',
              props.error && 'nhsuk-input--error',
            )}
            id={id}
            name={partName(props.name, part)}
            type="text"
            inputMode="numeric"
            defaultValue={props.value[part]}
          />
        </div>
      </div>
    );
  };
  const timeId = `${props.id}-time`;
  return (
    <Fieldset id={props.id} legend={props.legend} hint={props.hint} error={props.error}>
      <div className="nhsuk-date-input">
        {box('day', 'Day', 2)}
        {box('month', 'Month', 2)}
        {box('year', 'Year', 4)}
        {props.withTime ? (
          <div className="nhsuk-date-input__item">
            <div className="nhsuk-form-group">
              <label className="nhsuk-label nhsuk-date-input__label" htmlFor={timeId}>
                Time (24-hour)
              </label>
              <input
                className={classes(
                  'nhsuk-input',
                  'nhsuk-input--width-5',
                  'nhsuk-date-input__input',
                  props.error && 'nhsuk-input--error',
                )}
                id={timeId}
                name={partName(props.name, 'time')}
                type="text"
                inputMode="numeric"
                placeholder="HH:MM"
                defaultValue={props.value.time ?? ''}
              />
            </div>
          </div>
        ) : null}
      </div>
    </Fieldset>
  );
}

export function Button(props: {
  children: ReactNode;
  secondary?: boolean;
  disabled?: boolean;
  name?: string;
  value?: string;
  type?: 'submit' | 'button';
}) {
  return (
    <button
      type={props.type ?? 'submit'}
      className={classes('nhsuk-button', props.secondary && 'nhsuk-button--secondary')}
      data-module="nhsuk-button"
      disabled={props.disabled}
      name={props.name}
      value={props.value}
    >
      {props.children}
    </button>
  );
}
