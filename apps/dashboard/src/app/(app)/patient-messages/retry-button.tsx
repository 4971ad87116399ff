'use client';

import { useActionState } from 'react';
import styles from '../reminders/reminders.module.css';
import { type RetryMessageState, retryMessageAction } from './actions';

export function RetryMessageButton(props: { messageId: string; label: string }) {
  const [state, action, pending] = useActionState<RetryMessageState, FormData>(
    retryMessageAction,
    {},
  );
  return (
    <form action={action} className={styles.inline}>
      <input type="hidden" name="messageId" value={props.messageId} />
      <button
        type="submit"
        className="button small"
        disabled={pending || state.ok !== undefined}
        aria-label={`Retry the message: ${props.label}`}
      >
        {pending ? 'Retrying…' : 'Retry'}
      </button>
      <span role="status" className={state.error ? styles.failed : styles.done}>
        {state.ok ?? state.error ?? ''}
      </span>
    </form>
  );
}
