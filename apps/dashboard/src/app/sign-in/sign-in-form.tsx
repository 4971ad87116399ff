'use client';

import { useActionState } from 'react';
import { Button, TextInput } from '@/ui/nhsuk/form';
import { type SignInState, signInAction } from './actions';

export function SignInForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {
    email: '',
  });
  return (
    <form action={action} noValidate>
      {state.error ? (
        <div className="alert nhsuk-error-summary" role="alert">
          <p className="nhsuk-body nhsuk-u-margin-bottom-0">{state.error}</p>
        </div>
      ) : null}
      <TextInput
        id="email"
        name="email"
        label="E-mail address"
        type="email"
        autoComplete="username"
        spellCheck={false}
        defaultValue={state.email}
        error={state.fieldErrors?.email}
        required
      />
      <TextInput
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        error={state.fieldErrors?.password}
        required
      />
      <Button disabled={pending}>{pending ? 'Signing in…' : 'Sign in'}</Button>
    </form>
  );
}
