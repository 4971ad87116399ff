'use client';

import { type ReactNode, useActionState } from 'react';
import {
  type CreateUserState,
  changeRoleAction,
  createUserAction,
  type ReassignState,
  reassignAction,
  resetPasswordAction,
  setActiveAction,
  type UserChangeState,
} from './actions';
import { NOBODYS_CASELOAD } from './reassign-source';
import styles from './users.module.css';

const ROLES = [
  { value: 'nurse', label: 'Nurse' },
  { value: 'scheduler', label: 'Scheduler' },
  { value: 'admin', label: 'Administrator' },
] as const;

/** A labelled control with its hint and error, tied together for screen readers. */
function Field(props: {
  id: string;
  label: string;
  error: string | undefined;
  hint?: string;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const describedBy =
    [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.hint ? (
        <p id={hintId} className="nhsuk-hint">
          {props.hint}
        </p>
      ) : null}
      {props.children(describedBy)}
      {props.error ? (
        <p id={errorId} className="nhsuk-error-message">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export function CreateUserForm() {
  const [state, action, pending] = useActionState<CreateUserState, FormData>(createUserAction, {
    values: { name: '', email: '', role: '' },
  });
  const errors = state.fieldErrors ?? {};
  // A new key after each answer resets the inputs to what the server kept.
  const key = JSON.stringify(state);
  return (
    <form action={action} className="stack" noValidate key={key}>
      {state.created ? (
        <p className="notice" role="status">
          {state.created}
        </p>
      ) : null}
      {state.error ? (
        <p className="alert" role="alert">
          {state.error}
        </p>
      ) : null}
      <Field id="new-name" label="Name" error={errors.name}>
        {(describedBy) => (
          <input
            className="nhsuk-input"
            id="new-name"
            name="name"
            autoComplete="off"
            defaultValue={state.values.name}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <Field id="new-email" label="E-mail address" error={errors.email}>
        {(describedBy) => (
          <input
            className="nhsuk-input"
            id="new-email"
            name="email"
            type="email"
            autoComplete="off"
            defaultValue={state.values.email}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <Field id="new-role" label="Role" error={errors.role}>
        {(describedBy) => (
          <select
            className="nhsuk-select"
            id="new-role"
            name="role"
            defaultValue={state.values.role}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={describedBy}
          >
            <option value="">Choose a role</option>
            {ROLES.map((role) => (
              <option key={role.value} value={role.value}>
                {role.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="new-password"
        label="Initial password"
        hint="At least 12 characters and hard to guess (a few unrelated words). Give it to them in person or by phone, never by e-mail."
        error={errors.password}
      >
        {(describedBy) => (
          <input
            className="nhsuk-input"
            id="new-password"
            name="password"
            type="password"
            autoComplete="new-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <div>
        <button type="submit" className="nhsuk-button" disabled={pending}>
          {pending ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------

export function UserRowActions(props: {
  userId: string;
  name: string;
  role: string;
  active: boolean;
}) {
  const [roleState, roleAction, rolePending] = useActionState<UserChangeState, FormData>(
    changeRoleAction,
    {},
  );
  const [activeState, activeAction, activePending] = useActionState<UserChangeState, FormData>(
    setActiveAction,
    {},
  );
  const [resetState, resetAction, resetPending] = useActionState<UserChangeState, FormData>(
    resetPasswordAction,
    {},
  );
  const selectId = `role-${props.userId}`;
  const passwordId = `temporary-${props.userId}`;
  const error = roleState.error ?? activeState.error ?? resetState.error;
  const done = roleState.done ?? activeState.done ?? resetState.done;
  return (
    <div className={styles.rowActions}>
      <form action={roleAction} className={styles.inline}>
        <input type="hidden" name="userId" value={props.userId} />
        <label htmlFor={selectId} className="visually-hidden">
          Role of {props.name}
        </label>
        <select
          className="nhsuk-select"
          id={selectId}
          name="role"
          defaultValue={props.role}
          key={props.role}
        >
          {ROLES.map((role) => (
            <option key={role.value} value={role.value}>
              {role.label}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
          disabled={rolePending}
        >
          Change role<span className="visually-hidden"> of {props.name}</span>
        </button>
      </form>
      <form action={activeAction} className={styles.inline}>
        <input type="hidden" name="userId" value={props.userId} />
        <input type="hidden" name="active" value={props.active ? 'false' : 'true'} />
        <button
          type="submit"
          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
          disabled={activePending}
        >
          {props.active ? 'Deactivate' : 'Reactivate'}
          <span className="visually-hidden"> {props.name}</span>
        </button>
      </form>
      <details className={styles.reset}>
        <summary>
          Reset password<span className="visually-hidden"> of {props.name}</span>
        </summary>
        <form action={resetAction} className={styles.inline} key={JSON.stringify(resetState)}>
          <input type="hidden" name="userId" value={props.userId} />
          <label className="nhsuk-label" htmlFor={passwordId}>
            Temporary password
          </label>
          <input
            className="nhsuk-input"
            id={passwordId}
            name="temporaryPassword"
            type="password"
            autoComplete="new-password"
          />
          <button
            type="submit"
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            disabled={resetPending}
          >
            Reset<span className="visually-hidden"> the password of {props.name}</span>
          </button>
        </form>
        <p className="nhsuk-hint">
          Ends their sessions; they must choose their own password at the next sign-in.
        </p>
      </details>
      {error ? (
        <p className={`nhsuk-error-message ${styles.rowMessage}`} role="alert">
          {error}
        </p>
      ) : done ? (
        <p className={`nhsuk-hint ${styles.rowMessage}`} role="status">
          {done}
        </p>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function ReassignForm(props: {
  from: readonly { id: string; name: string; caseload: number; active: boolean }[];
  /** Patients on nobody's caseload (enrolled without a nurse): offered first when there are any. */
  unassigned: number;
  to: readonly { id: string; name: string; caseload: number }[];
}) {
  const [state, action, pending] = useActionState<ReassignState, FormData>(reassignAction, {
    from: '',
    to: '',
  });
  const errors = state.fieldErrors ?? {};
  const review = state.review;
  if (review) {
    return (
      <form action={action} className="stack">
        <input type="hidden" name="from" value={state.from} />
        <input type="hidden" name="to" value={state.to} />
        <div className="notice" role="status">
          <p className={styles.confirmHeading}>
            Move {review.fromCaseload} to {review.toName}?
          </p>
          <ul className={styles.moveList}>
            <li>{count(review.patients, 'patient')}, with their plan steps</li>
            <li>{count(review.openReminders, 'open reminder')} on the worklist</li>
            <li>
              {count(review.pendingEmails, 'reminder e-mail')} not yet sent, which will go to{' '}
              {review.toName} instead
            </li>
          </ul>
          <p className="nhsuk-hint">
            Completed and resolved reminders, and e-mails already sent, stay as they were.
          </p>
        </div>
        {state.error ? (
          <p className="alert" role="alert">
            {state.error}
          </p>
        ) : null}
        <div className={styles.buttons}>
          <button
            type="submit"
            name="intent"
            value="confirm"
            className="nhsuk-button"
            disabled={pending}
          >
            {pending ? 'Moving…' : `Move ${count(review.patients, 'patient')}`}
          </button>
          <button
            type="submit"
            name="intent"
            value="cancel"
            className="nhsuk-button nhsuk-button--secondary"
            disabled={pending}
          >
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <form action={action} className="stack" noValidate key={JSON.stringify(state)}>
      {state.done ? (
        <p className="notice" role="status">
          {state.done}
        </p>
      ) : null}
      {state.error ? (
        <p className="alert" role="alert">
          {state.error}
        </p>
      ) : null}
      <Field id="reassign-from" label="From" error={errors.from}>
        {(describedBy) => (
          <select
            className="nhsuk-select"
            id="reassign-from"
            name="from"
            defaultValue={state.from}
            aria-invalid={errors.from ? true : undefined}
            aria-describedby={describedBy}
          >
            <option value="">Choose a nurse</option>
            {props.unassigned > 0 ? (
              <option value={NOBODYS_CASELOAD}>
                Nobody&rsquo;s caseload ({count(props.unassigned, 'patient')})
              </option>
            ) : null}
            {props.from.map((nurse) => (
              <option key={nurse.id} value={nurse.id}>
                {nurse.name} ({count(nurse.caseload, 'patient')}
                {nurse.active ? '' : ', deactivated'})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="reassign-to" label="To" error={errors.to} hint="Active nurses only.">
        {(describedBy) => (
          <select
            className="nhsuk-select"
            id="reassign-to"
            name="to"
            defaultValue={state.to}
            aria-invalid={errors.to ? true : undefined}
            aria-describedby={describedBy}
          >
            <option value="">Choose a nurse</option>
            {props.to.map((nurse) => (
              <option key={nurse.id} value={nurse.id}>
                {nurse.name} ({count(nurse.caseload, 'patient')})
              </option>
            ))}
          </select>
        )}
      </Field>
      <div>
        <button
          type="submit"
          name="intent"
          value="review"
          className="nhsuk-button"
          disabled={pending}
        >
          {pending ? 'Checking…' : 'Review the move'}
        </button>
      </div>
    </form>
  );
}
