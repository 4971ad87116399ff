'use client';

import { useActionState } from 'react';
import { Button, TextInput } from '@/ui/nhsuk/form';
import { type ChangePasswordState, changePasswordAction } from './actions';

/** `forced`: after an administrator's reset, when the current password is the temporary one. */
export function ChangePasswordForm(props: { minLength: number; forced: boolean }) {
  const [state, action, pending] = useActionState<ChangePasswordState, FormData>(
    changePasswordAction,
    {},
  );
  const errors = state.fieldErrors ?? {};
  return (
    // A new key after each answer empties the password fields.
    <form action={action} noValidate key={JSON.stringify(state)}>
      {state.done ? (
        <p className="notice" role="status">
          {state.done}
        </p>
      ) : null}
      {state.error ? (
        <div className="alert nhsuk-error-summary" role="alert">
          <p className="nhsuk-body nhsuk-u-margin-bottom-0">{state.error}</p>
        </div>
      ) : null}
      <TextInput
        type="password"
        id="current-password"
        name="currentPassword"
        label="Current password"
        autoComplete="current-password"
        error={errors.currentPassword}
        {...(props.forced ? { hint: 'The temporary password your administrator gave you.' } : {})}
      />
      <TextInput
        type="password"
        id="new-password"
        name="newPassword"
        label="New password"
        autoComplete="new-password"
        error={errors.newPassword}
        hint={`At least ${props.minLength} characters, and hard to guess: a few unrelated words make a strong password that is easy to remember. Common passwords, repeated characters, keyboard patterns and your own name are refused.`}
      />
      <TextInput
        type="password"
        id="confirm-password"
        name="confirmPassword"
        label="New password again"
        autoComplete="new-password"
        error={errors.confirmPassword}
      />
      <Button disabled={pending}>{pending ? 'Changing…' : 'Change password'}</Button>
    </form>
  );
}
