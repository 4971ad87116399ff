'use client';

import { useActionState } from 'react';
import { type SendNowState, sendNowAction } from './actions';
import styles from './reminders.module.css';

/** "Send now" for one step; the result is announced beside the button. */
export function SendNowButton(props: { episodeId: string; stepKey: string; label: string }) {
  const [state, action, pending] = useActionState<SendNowState, FormData>(sendNowAction, {});
  return (
    <form action={action} className={styles.inline}>
      <input type="hidden" name="episodeId" value={props.episodeId} />
      <input type="hidden" name="stepKey" value={props.stepKey} />
      <button
        type="submit"
        className="button small"
        disabled={pending || state.ok !== undefined}
        aria-label={`Send now: ${props.label}`}
      >
        {pending ? 'Sending…' : 'Send now'}
      </button>
      <span role="status" className={state.error ? styles.failed : styles.done}>
        {state.ok ?? state.error ?? ''}
      </span>
    </form>
  );
}
