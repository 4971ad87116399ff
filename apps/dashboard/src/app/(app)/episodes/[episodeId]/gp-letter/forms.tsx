'use client';

import { useEffect, useState } from 'react';
import type { FormState } from '@/forms/form-state';
import { ErrorSummary, type SummaryItem } from '@/ui/nhsuk/error-summary';
import { Button, Checkboxes, DateInput, Select, Textarea, TextInput } from '@/ui/nhsuk/form';
import { useFormAction } from '@/ui/nhsuk/use-form-action';

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/** Each form's fields in page order, with the id the summary links to. */
function summary(state: FormState, order: readonly string[], ids: Record<string, string>) {
  const items: SummaryItem[] = [];
  if (state.error) items.push({ target: undefined, message: state.error });
  for (const name of order) {
    const message = state.fieldErrors[name];
    if (message) items.push({ target: ids[name] ?? name, message });
  }
  return items;
}

const DRAFT_IDS: Record<string, string> = {
  recipient: 'recipient',
  recommendedDrug: 'recommendedDrug',
  clinicalSummary: 'clinicalSummary',
  additionalComments: 'additionalComments',
};

/**
 * The event the draft form sends when the nurse changes a field, so sign-off (a separate form)
 * cannot sign the last saved text while the typed text is not saved. Saving reloads the page with
 * the next draft version, which mounts both forms afresh (see their keys in page.tsx).
 */
const DRAFT_CHANGED = 'vfx:gp-letter-draft-changed';

/** The nurse's part of the draft: the addressee, the drug recommended, and the free text. */
export function DraftForm(props: {
  action: Action;
  initial: Record<string, string>;
  drugs: readonly { value: string; label: string }[];
  limits: { recipient: number; clinicalSummary: number; additionalComments: number };
  redFlag: boolean;
}) {
  const { state, pending, form } = useFormAction<FormState>(props.action, {
    values: props.initial,
    fieldErrors: {},
  });
  const v = state.values;
  const e = state.fieldErrors;
  return (
    <form
      {...form}
      noValidate
      aria-label="Edit the draft letter"
      onChange={(event) => {
        const name = (event.target as HTMLElement & { name?: string }).name;
        if (name && name in DRAFT_IDS) window.dispatchEvent(new Event(DRAFT_CHANGED));
      }}
    >
      <ErrorSummary items={summary(state, Object.keys(DRAFT_IDS), DRAFT_IDS)} response={state} />
      <Textarea
        id="recipient"
        name="recipient"
        label="GP practice and address"
        hint={`As it goes on the letter, one line each (at most ${props.limits.recipient} characters). Needed before signing off.`}
        rows={4}
        defaultValue={v.recipient}
        error={e.recipient}
      />
      <Select
        id="recommendedDrug"
        name="recommendedDrug"
        label="Bone therapy the FLS recommends (optional)"
        hint={
          props.redFlag
            ? 'A red flag is recorded: the specialist team directs care, so the letter recommends no drug. Leave this empty.'
            : 'The dose and the checks shown in the letter come from the pathway’s sources; where they give none, the letter asks the GP to check the BNF and the SmPC.'
        }
        options={props.drugs}
        placeholder="No recommendation yet"
        defaultValue={v.recommendedDrug}
        error={e.recommendedDrug}
      />
      <Textarea
        id="clinicalSummary"
        name="clinicalSummary"
        label="Clinical summary (optional)"
        hint={`At most ${props.limits.clinicalSummary} characters. Needed when the laboratory screen found a secondary cause.`}
        rows={6}
        defaultValue={v.clinicalSummary}
        error={e.clinicalSummary}
      />
      <Textarea
        id="additionalComments"
        name="additionalComments"
        label="Additional comments (optional)"
        hint={`At most ${props.limits.additionalComments} characters.`}
        rows={4}
        defaultValue={v.additionalComments}
        error={e.additionalComments}
      />
      <Button disabled={pending}>{pending ? 'Saving…' : 'Save draft'}</Button>
    </form>
  );
}

/** Sign-off: the confirmation that a signed letter cannot be changed, then the button. */
export function SignOffForm(props: { action: Action; blocked: readonly string[] }) {
  const { state, pending, form } = useFormAction<FormState>(props.action, {
    values: {},
    fieldErrors: {},
  });
  const [unsaved, setUnsaved] = useState(false);
  useEffect(() => {
    const changed = () => setUnsaved(true);
    window.addEventListener(DRAFT_CHANGED, changed);
    return () => window.removeEventListener(DRAFT_CHANGED, changed);
  }, []);
  const ids = {
    confirm: 'confirm',
    recipient: 'recipient',
    clinicalSummary: 'clinicalSummary',
    recommendedDrug: 'recommendedDrug',
  };
  return (
    <form {...form} noValidate aria-label="Sign off the letter">
      <ErrorSummary items={summary(state, Object.keys(ids), ids)} response={state} />
      <div className="nhsuk-warning-callout">
        <h3 className="nhsuk-warning-callout__label">
          <span className="nhsuk-u-visually-hidden">Important: </span>Signed letters cannot be
          changed
        </h3>
        <p>
          Signing off stores the letter exactly as previewed, as a PDF. After that nobody can edit
          it: a mistake is put right with a correction, a new letter that replaces it.
        </p>
      </div>
      {props.blocked.length > 0 ? (
        <div className="notice">
          <p className="strong">Before signing off:</p>
          <ul>
            {props.blocked.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Checkboxes
        id="confirm"
        name="confirm"
        error={state.fieldErrors.confirm}
        options={[
          {
            value: 'yes',
            label:
              'I have read the letter and it is correct: sign it off. I understand it cannot be changed afterwards.',
          },
        ]}
        defaultValues={[]}
      />
      <p
        className={unsaved ? 'nhsuk-error-message' : undefined}
        aria-live="polite"
        id="sign-off-unsaved"
      >
        {unsaved ? 'Save the draft first: your changes are not saved yet.' : null}
      </p>
      <Button disabled={pending || unsaved}>{pending ? 'Signing off…' : 'Sign off'}</Button>
    </form>
  );
}

/** Records that a signed letter was sent: how, where to, and when. */
export function SentForm(props: {
  action: Action;
  methods: readonly { value: string; label: string }[];
  today: { day: string; month: string; year: string };
  time: string;
  idPrefix: string;
}) {
  const p = props.idPrefix;
  const ids = { method: `${p}-method`, detail: `${p}-detail`, sentAt: `${p}-sentAt` };
  const { state, pending, form } = useFormAction<FormState>(props.action, {
    values: {
      'sentAt-day': props.today.day,
      'sentAt-month': props.today.month,
      'sentAt-year': props.today.year,
      'sentAt-time': props.time,
    },
    fieldErrors: {},
  });
  const v = state.values;
  const e = state.fieldErrors;
  return (
    <form {...form} noValidate aria-label="Record that the letter was sent">
      <ErrorSummary items={summary(state, Object.keys(ids), ids)} response={state} />
      <Select
        id={ids.method}
        name="method"
        label="How it was sent"
        options={props.methods}
        placeholder="Choose…"
        defaultValue={v.method}
        error={e.method}
      />
      <TextInput
        id={ids.detail}
        name="detail"
        label="Where it went or how (optional unless “Another way”)"
        hint="For example, the practice’s NHSmail address or the Docman reference. At most 200 characters."
        defaultValue={v.detail}
        error={e.detail}
      />
      <DateInput
        id={ids.sentAt}
        name="sentAt"
        legend="When it was sent"
        hint="For example, 7 12 2026 and 14:30."
        value={{
          day: v['sentAt-day'] ?? '',
          month: v['sentAt-month'] ?? '',
          year: v['sentAt-year'] ?? '',
          time: v['sentAt-time'] ?? '',
        }}
        withTime
        error={e.sentAt}
      />
      <Button secondary disabled={pending}>
        {pending ? 'Recording…' : 'Record as sent'}
      </Button>
    </form>
  );
}

/** Starts a new letter (a further one, or a correction of a signed letter). */
export function StartLetterForm(props: { action: Action; label: string; secondary?: boolean }) {
  const { state, pending, form } = useFormAction<FormState>(props.action, {
    values: {},
    fieldErrors: {},
  });
  return (
    <form {...form} className="inline-form">
      {state.error ? (
        <p className="nhsuk-error-message" role="alert">
          {state.error}
        </p>
      ) : null}
      <Button secondary={props.secondary} disabled={pending}>
        {props.label}
      </Button>
    </form>
  );
}
