'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { EventFormSpec } from './event-fields';
import { FormField } from './fields';
import type { FormState } from './form-state';
import { ErrorSummary } from './parts';

/** The form for one kind of clinical entry; the server validates with the domain's schemas. */
export function EventForm(props: {
  spec: EventFormSpec;
  action: (state: FormState, form: FormData) => Promise<FormState>;
  initial: Record<string, string>;
  submitLabel: string;
  cancelHref: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(props.action, {
    values: props.initial,
    fieldErrors: {},
  });
  const when = {
    name: 'occurredAt',
    label: 'When it happened',
    kind: 'text',
    required: true,
  } as const;
  return (
    <form action={action} className="stack event-form" noValidate>
      <ErrorSummary
        error={state.error}
        fieldErrors={state.fieldErrors}
        labelOf={(name) => [...props.spec.fields, when].find((f) => f.name === name)?.label ?? name}
      />
      <div className="field">
        <label htmlFor="f-occurredAt">When it happened</label>
        <input
          id="f-occurredAt"
          name="occurredAt"
          type="datetime-local"
          defaultValue={state.values.occurredAt}
          aria-invalid={state.fieldErrors.occurredAt ? true : undefined}
          aria-describedby={state.fieldErrors.occurredAt ? 'f-occurredAt-error' : undefined}
          className="narrow-wide"
        />
        {state.fieldErrors.occurredAt ? (
          <p id="f-occurredAt-error" className="field-error">
            {state.fieldErrors.occurredAt}
          </p>
        ) : null}
      </div>
      {props.spec.fields.map((field) => (
        <FormField
          key={field.name}
          spec={field}
          value={state.values[field.name]}
          error={state.fieldErrors[field.name]}
        />
      ))}
      {props.spec.fields.some((f) => f.name === 'note') ? null : (
        <FormField
          spec={{ name: 'note', label: 'Note', kind: 'long-text', required: false }}
          value={state.values.note}
          error={state.fieldErrors.note}
        />
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? 'Saving…' : props.submitLabel}
        </button>
        <Link href={props.cancelHref}>Cancel</Link>
      </div>
    </form>
  );
}
