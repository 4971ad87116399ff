'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { EventFormSpec } from './event-fields';
import { FormField } from './fields';
import { type FormState, PREVIEW_FIELDS, type PreviewState } from './form-state';
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
      <div key={state.attempt ?? 0} className="stack">
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
        {props.spec.type === 'bone-therapy-stopped' ? (
          <div className="field" id="f-confirm">
            <label>
              <input
                type="checkbox"
                name="confirm"
                value="yes"
                aria-invalid={state.fieldErrors.confirm ? true : undefined}
              />{' '}
              I confirm the therapy was stopped. Its doses and reviews end; no further dose is
              planned.
            </label>
            {state.fieldErrors.confirm ? (
              <p className="field-error">{state.fieldErrors.confirm}</p>
            ) : null}
          </div>
        ) : null}
      </div>
      <PreviewActions
        state={state}
        pending={pending}
        submitLabel={props.submitLabel}
        cancelHref={props.cancelHref}
      />
    </form>
  );
}

/**
 * The preview of an unsaved entry with the buttons around it: "Check what this changes" first,
 * then Save (which sends back what was previewed) or Check again.
 */
export function PreviewActions({
  state,
  pending,
  submitLabel,
  cancelHref,
}: {
  state: FormState;
  pending: boolean;
  submitLabel: string;
  cancelHref: string;
}) {
  return (
    <>
      {state.preview ? <Preview preview={state.preview} /> : null}
      <div className="actions">
        {state.preview ? (
          <>
            <input type="hidden" name={PREVIEW_FIELDS.digest} value={state.preview.digest} />
            <input
              type="hidden"
              name={PREVIEW_FIELDS.values}
              value={state.preview.previewedValues}
            />
            <button
              type="submit"
              name={PREVIEW_FIELDS.intent}
              value="save"
              className="button primary"
              disabled={pending}
            >
              {pending ? 'Saving…' : submitLabel}
            </button>
            <button
              type="submit"
              name={PREVIEW_FIELDS.intent}
              value="preview"
              className="button secondary"
              disabled={pending}
            >
              Check again
            </button>
          </>
        ) : (
          <button
            type="submit"
            name={PREVIEW_FIELDS.intent}
            value="preview"
            className="button primary"
            disabled={pending}
          >
            {pending ? 'Checking…' : 'Check what this changes'}
          </button>
        )}
        <Link href={cancelHref}>Cancel</Link>
      </div>
    </>
  );
}

/**
 * What saving will change, from the domain's plan diff of the unsaved entry. Saving applies
 * exactly this; if the plan has changed meanwhile, the new preview is shown instead.
 */
function Preview({ preview }: { preview: PreviewState }) {
  return (
    <section className="preview" aria-labelledby="preview-heading" aria-live="polite">
      <h3 id="preview-heading">What saving this entry will change</h3>
      {preview.again ? <p className="notice">{preview.again}</p> : null}
      {preview.focus ? <p className="strong">{preview.focus}</p> : null}
      {preview.changes.length === 0 ? (
        <p>
          {preview.focus ? 'Nothing else in the plan changes.' : 'Nothing in the plan changes.'}
        </p>
      ) : (
        <ul>
          {preview.changes.map((change) => (
            <li key={`${change.title}|${change.kind}|${change.after}`}>
              <strong>{change.title}</strong>
              {change.kind === 'status' && change.before && change.after
                ? `: ${change.before} → ${change.after}`
                : change.kind === 'window'
                  ? ': its dates move'
                  : change.kind === 'added'
                    ? ': added to the plan'
                    : change.kind === 'removed'
                      ? ': no longer in the plan'
                      : ''}
              . <span className="muted small">{change.reason}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">Check this, then save. If you change the entry, check again.</p>
    </section>
  );
}
