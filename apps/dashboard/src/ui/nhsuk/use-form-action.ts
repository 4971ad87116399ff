'use client';

import { type FormEvent, startTransition, useActionState } from 'react';

/**
 * useActionState for a form that keeps what was typed. React resets a form after its `action`
 * runs, and a reset puts every control back to its default: a select or radio drawn with the
 * sent value only as a React default (not an HTML `selected` attribute on an already-mounted
 * element) falls back to its first option, so a refused submission lost selects, radios and
 * checkboxes. Here the submission is sent from `onSubmit` instead (with the button that sent it),
 * which React does not follow with a reset, so every control keeps its value. Without script the
 * form still posts to `action`.
 */
export function useFormAction<S>(
  action: (state: Awaited<S>, form: FormData) => S | Promise<S>,
  initial: Awaited<S>,
  /** Adjusts what is sent (e.g. joins date boxes for an action that reads one value). */
  prepare?: (form: FormData) => void,
) {
  const [state, dispatch, pending] = useActionState<S, FormData>(action, initial);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const form = new FormData(event.currentTarget, submitter);
    prepare?.(form);
    startTransition(() => dispatch(form));
  };
  return { state, pending, form: { action: dispatch, onSubmit } } as const;
}
