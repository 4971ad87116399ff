'use client';

import { useActionState } from 'react';
import styles from '../reminders/reminders.module.css';
import { type RetryState, retryAction } from './actions';

export function RetryButton(props: { deliveryId: string; label: string }) {
  const [state, action, pending] = useActionState<RetryState, FormData>(retryAction, {});
  return (
    <form action={action} className={styles.inline}>
      <input type="hidden" name="deliveryId" value={props.deliveryId} />
      <button
        type="submit"
        className="button small"
        disabled={pending || state.ok !== undefined}
        aria-label={`Retry the e-mail: ${props.label}`}
      >
        {pending ? 'Retrying…' : 'Retry'}
      </button>
      <span role="status" className={state.error ? styles.failed : styles.done}>
        {state.ok ?? state.error ?? ''}
      </span>
    </form>
  );
}
