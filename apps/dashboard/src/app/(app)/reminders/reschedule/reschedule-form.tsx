'use client';

import { boxesOf, partName, readBoxes } from '@/forms/date-parts';
import { inWords } from '@/forms/messages';
import { ErrorSummary } from '@/ui/nhsuk/error-summary';
import { Button, DateInput, Textarea } from '@/ui/nhsuk/form';
import { useFormAction } from '@/ui/nhsuk/use-form-action';
import { type RescheduleState, rescheduleAction } from '../actions';
import styles from '../reminders.module.css';

/**
 * The day boxes joined into the "remindOn" the action reads ("2026-03-14", or the boxes as typed
 * when they are not a date, which the action refuses).
 */
function joinRemindOn(form: FormData) {
  const text = (part: 'day' | 'month' | 'year') =>
    String(form.get(partName('remindOn', part)) ?? '');
  const reading = readBoxes({ day: text('day'), month: text('month'), year: text('year') });
  form.set('remindOn', reading.kind === 'empty' ? '' : reading.text);
}

export function RescheduleForm(props: {
  episodeId: string;
  stepKey: string;
  earliest: string;
  latest: string;
  /** The allowed days in words, e.g. "a working day from Mon 31 Mar 2025 (in 4 days) to ...". */
  rangeText: string;
  /** The user's zone, for dates in the messages. */
  zone: string;
}) {
  const { state, pending, form } = useFormAction<RescheduleState>(
    rescheduleAction,
    { remindOn: '', reason: '' },
    joinRemindOn,
  );
  const words = (message: string | undefined) =>
    message === undefined ? undefined : inWords(message, props.zone);
  const dateError = words(state.fieldErrors?.remindOn);
  const reasonError = words(state.fieldErrors?.reason);
  const error = words(state.error);
  const items = [
    ...(error ? [{ target: undefined, message: error }] : []),
    ...(dateError ? [{ target: 'remindOn', message: dateError }] : []),
    ...(reasonError ? [{ target: 'reason', message: reasonError }] : []),
  ];
  return (
    <form {...form} className={styles.form} noValidate>
      <ErrorSummary items={items} response={state} />
      <input type="hidden" name="episodeId" value={props.episodeId} />
      <input type="hidden" name="stepKey" value={props.stepKey} />
      <DateInput
        id="remindOn"
        name="remindOn"
        legend="Send the due reminder on"
        hint={`Choose ${props.rangeText}. The reminder goes out at the clinic time that day (today, once that time has passed: at once).`}
        error={dateError}
        value={boxesOf({ remindOn: state.remindOn }, 'remindOn')}
      />
      <Textarea
        id="reason"
        name="reason"
        label="Reason"
        hint="Shown on the plan and kept in the audit log (at most 500 characters)."
        error={reasonError}
        maxLength={500}
        defaultValue={state.reason}
      />
      <Button disabled={pending}>{pending ? 'Saving…' : 'Reschedule the reminder'}</Button>
    </form>
  );
}
