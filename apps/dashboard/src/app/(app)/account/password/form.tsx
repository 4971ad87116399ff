'use client';

import { type ReactNode, useActionState } from 'react';
import { type ChangePasswordState, changePasswordAction } from './actions';

function Field(props: {
  id: string;
  name: string;
  label: string;
  autoComplete: 'current-password' | 'new-password';
  error: string | undefined;
  hint?: ReactNode;
}) {
  const describedBy =
    [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint ? (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.id}
        name={props.name}
        type="password"
        autoComplete={props.autoComplete}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
      />
      {props.error ? (
        <p id={`${props.id}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** `forced`: after an administrator's reset, when the current password is the temporary one. */
export function ChangePasswordForm(props: { minLength: number; forced: boolean }) {
  const [state, action, pending] = useActionState<ChangePasswordState, FormData>(
    changePasswordAction,
    {},
  );
  const errors = state.fieldErrors ?? {};
  return (
    // A new key after each answer empties the password fields.
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
      <Field
        id="current-password"
        name="currentPassword"
        label="Current password"
        autoComplete="current-password"
        error={errors.currentPassword}
        {...(props.forced ? { hint: 'The temporary password your administrator gave you.' } : {})}
      />
      <Field
        id="new-password"
        name="newPassword"
        label="New password"
        autoComplete="new-password"
        error={errors.newPassword}
        hint={`At least ${props.minLength} characters, and hard to guess: a few unrelated words make a strong password that is easy to remember. Common passwords, repeated characters, keyboard patterns and your own name are refused.`}
      />
      <Field
        id="confirm-password"
        name="confirmPassword"
        label="New password again"
        autoComplete="new-password"
        error={errors.confirmPassword}
      />
      <div>
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
