'use client';

import { useActionState } from 'react';
import { type RescheduleState, rescheduleAction } from '../actions';
import styles from '../reminders.module.css';

export function RescheduleForm(props: {
  episodeId: string;
  stepKey: string;
  earliest: string;
  latest: string;
  /** The allowed days in words, e.g. "a working day from Mon 31 Mar 2025 (in 4 days) to ...". */
  rangeText: string;
}) {
  const [state, action, pending] = useActionState<RescheduleState, FormData>(rescheduleAction, {
    remindOn: '',
    reason: '',
  });
  const dateError = state.fieldErrors?.remindOn;
  const reasonError = state.fieldErrors?.reason;
  return (
    <form action={action} className={`stack ${styles.form}`} noValidate>
      {state.error ? (
        <p className="alert" role="alert">
          {state.error}
        </p>
      ) : null}
      <input type="hidden" name="episodeId" value={props.episodeId} />
      <input type="hidden" name="stepKey" value={props.stepKey} />
      <div className="field">
        <label htmlFor="remindOn">Send the due reminder on</label>
        <p id="remindOn-hint" className="hint">
          Choose {props.rangeText}. The reminder goes out at the clinic time that day (today, once
          that time has passed: at once).
        </p>
        <input
          id="remindOn"
          name="remindOn"
          type="date"
          min={props.earliest}
          max={props.latest}
          defaultValue={state.remindOn}
          key={`date-${state.remindOn}`}
          aria-invalid={dateError ? true : undefined}
          aria-describedby={dateError ? 'remindOn-hint remindOn-error' : 'remindOn-hint'}
          required
        />
        {dateError ? (
          <p id="remindOn-error" className="field-error">
            {dateError}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="reason">Reason</label>
        <p id="reason-hint" className="hint">
          Shown on the plan and kept in the audit log (at most 500 characters).
        </p>
        <textarea
          id="reason"
          name="reason"
          maxLength={500}
          defaultValue={state.reason}
          key={`reason-${state.reason}`}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? 'reason-hint reason-error' : 'reason-hint'}
          required
        />
        {reasonError ? (
          <p id="reason-error" className="field-error">
            {reasonError}
          </p>
        ) : null}
      </div>
      <div>
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? 'Saving…' : 'Reschedule the reminder'}
        </button>
      </div>
    </form>
  );
}
