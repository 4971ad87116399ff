'use client';

import Link from 'next/link';
import { ErrorSummary } from '@/ui/nhsuk/error-summary';
import { Button, Checkboxes, DateInput } from '@/ui/nhsuk/form';
import { useFormAction } from '@/ui/nhsuk/use-form-action';
import { boxesOf } from './date-parts';
import type { EventFormSpec } from './event-fields';
import { FormField, fieldId } from './fields';
import { type FormState, PREVIEW_FIELDS, type PreviewState } from './form-state';
import { summaryItems } from './parts';

/** The note every entry may carry, unless its own fields ask for one. */
const NOTE = { name: 'note', label: 'Note', kind: 'long-text', required: false } as const;

/** The form for one kind of clinical entry; the server validates with the domain's schemas. */
export function EventForm(props: {
  spec: EventFormSpec;
  action: (state: FormState, form: FormData) => Promise<FormState>;
  initial: Record<string, string>;
  submitLabel: string;
  cancelHref: string;
}) {
  const { state, pending, form } = useFormAction<FormState>(props.action, {
    values: props.initial,
    fieldErrors: {},
  });
  const v = state.values;
  const e = state.fieldErrors;
  const ownNote = props.spec.fields.some((f) => f.name === 'note');
  const order = [
    'occurredAt',
    ...props.spec.fields.map((f) => f.name),
    ...(ownNote ? [] : ['note']),
    'confirm',
  ];
  return (
    <form {...form} className="event-form" noValidate>
      <ErrorSummary items={summaryItems(state.error, e, order)} response={state} />
      <DateInput
        id={fieldId('occurredAt')}
        name="occurredAt"
        legend="When it happened"
        hint="In your own time zone, time on the 24-hour clock, e.g. 14 3 2026 and 09:30."
        error={e.occurredAt}
        value={boxesOf(v, 'occurredAt')}
        withTime
      />
      {props.spec.fields.map((field) => (
        <FormField key={field.name} spec={field} values={v} error={e[field.name]} />
      ))}
      {ownNote ? null : <FormField spec={NOTE} values={v} error={e.note} />}
      {props.spec.type === 'bone-therapy-stopped' ? (
        <Checkboxes
          id={fieldId('confirm')}
          name="confirm"
          error={e.confirm}
          options={[
            {
              value: 'yes',
              label:
                'I confirm the therapy was stopped. Its doses and reviews end; no further dose is planned.',
            },
          ]}
          defaultValues={v.confirm === 'yes' ? ['yes'] : []}
        />
      ) : null}
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
      <div className="nhsuk-button-group">
        {state.preview ? (
          <>
            <input type="hidden" name={PREVIEW_FIELDS.digest} value={state.preview.digest} />
            <input
              type="hidden"
              name={PREVIEW_FIELDS.values}
              value={state.preview.previewedValues}
            />
            <Button name={PREVIEW_FIELDS.intent} value="save" disabled={pending}>
              {pending ? 'Saving…' : submitLabel}
            </Button>
            <Button name={PREVIEW_FIELDS.intent} value="preview" secondary disabled={pending}>
              Check again
            </Button>
          </>
        ) : (
          <Button name={PREVIEW_FIELDS.intent} value="preview" disabled={pending}>
            {pending ? 'Checking…' : 'Check what this changes'}
          </Button>
        )}
        <Link href={cancelHref} className="nhsuk-link">
          Cancel
        </Link>
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
