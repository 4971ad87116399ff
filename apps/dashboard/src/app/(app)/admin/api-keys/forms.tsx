'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import {
  type CreateKeyState,
  createApiKeyAction,
  type RevokeKeyState,
  revokeApiKeyAction,
} from './actions';
import styles from './api-keys.module.css';

const ROLES = [
  { value: 'nurse', label: 'Nurse: enrol patients, record events, read plans and timelines' },
  { value: 'scheduler', label: 'Scheduler: list follow-ups' },
  { value: 'admin', label: 'Administrator: everything' },
] as const;

/** The secret of a key just created, with a copy button; it is gone after the next page load. */
function NewSecret({ created }: { created: NonNullable<CreateKeyState['created']> }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className={styles.secret} aria-labelledby="new-key-heading">
      <h3 id="new-key-heading" tabIndex={-1} ref={heading}>
        Key “{created.name}” created
      </h3>
      <p className={styles.warning}>
        <strong>Copy it now: it will not be shown again.</strong> Only a fingerprint is stored, so
        nobody can look it up later. If it is lost, revoke it and create another.
      </p>
      <label className="nhsuk-label" htmlFor="new-key-secret">
        Secret ({created.role} key)
      </label>
      <div className={styles.copyRow}>
        <input
          id="new-key-secret"
          className={styles.secretValue}
          readOnly
          value={created.secret}
          onFocus={(event) => event.currentTarget.select()}
          aria-describedby="new-key-use"
        />
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          onClick={() =>
            navigator.clipboard
              .writeText(created.secret)
              .then(() => setCopied('yes'))
              .catch(() => setCopied('failed'))
          }
        >
          Copy
        </button>
      </div>
      <p id="new-key-use" className="nhsuk-hint">
        The other system sends it with every request as <code>Authorization: Bearer …</code>.
      </p>
      <p role="status" className="nhsuk-hint">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying was blocked by the browser: select the text and copy it yourself.'
            : ''}
      </p>
    </section>
  );
}

export function CreateKeyForm() {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createApiKeyAction, {
    values: { name: '', role: '' },
  });
  const errors = state.fieldErrors ?? {};
  const describedBy = (field: 'name' | 'role', hint?: string) =>
    [hint, errors[field] ? `key-${field}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="stack">
      {state.created ? <NewSecret created={state.created} /> : null}
      {/* A new key after each answer resets the inputs to what the server kept. */}
      <form action={action} className="stack" noValidate key={JSON.stringify(state.values)}>
        {state.error ? (
          <p className="alert" role="alert">
            {state.error}
          </p>
        ) : null}
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="key-name">
            Name
          </label>
          <p id="key-name-hint" className="nhsuk-hint">
            The system that will use it, e.g. “Radiology alerts” or “EHR (Epic)”. Its records show
            as “API: name”.
          </p>
          <input
            className="nhsuk-input"
            id="key-name"
            name="name"
            autoComplete="off"
            maxLength={80}
            defaultValue={state.values.name}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy('name', 'key-name-hint')}
          />
          {errors.name ? (
            <p id="key-name-error" className="nhsuk-error-message">
              {errors.name}
            </p>
          ) : null}
        </div>
        <fieldset
          className={styles.roles}
          aria-invalid={errors.role ? true : undefined}
          aria-describedby={describedBy('role')}
        >
          <legend>Role</legend>
          {ROLES.map((role) => (
            <div key={role.value} className={styles.radio}>
              <input
                type="radio"
                id={`key-role-${role.value}`}
                name="role"
                value={role.value}
                defaultChecked={state.values.role === role.value}
              />
              <label htmlFor={`key-role-${role.value}`}>{role.label}</label>
            </div>
          ))}
          {errors.role ? (
            <p id="key-role-error" className="nhsuk-error-message">
              {errors.role}
            </p>
          ) : null}
        </fieldset>
        <div>
          <button type="submit" className="nhsuk-button" disabled={pending}>
            {pending ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Revoking asks once more, in the page, naming the key and what stops working. */
export function RevokeKeyButton(props: { keyId: string; name: string; revoked: boolean }) {
  const { keyId, name, revoked } = props;
  const [confirming, setConfirming] = useState(false);
  const [state, action, pending] = useActionState<RevokeKeyState, FormData>(revokeApiKeyAction, {});
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);
  if (state.revoked) {
    return (
      <p role="status" className={styles.rowMessage}>
        {state.revoked}
      </p>
    );
  }
  // Stays mounted once its key is revoked, so the confirmation above outlives the refresh.
  if (revoked) return null;
  if (!confirming) {
    return (
      <button
        type="button"
        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
        onClick={() => setConfirming(true)}
        aria-label={`Revoke ${name}`}
      >
        Revoke…
      </button>
    );
  }
  return (
    <form action={action}>
      <fieldset className={styles.confirm}>
        <legend className={styles.confirmQuestion}>Revoke “{name}”?</legend>
        <input type="hidden" name="keyId" value={keyId} />
        <p className={styles.rowMessage}>
          The system using it is refused from its next request. This cannot be undone.
        </p>
        {state.error ? (
          <p className="alert" role="alert">
            {state.error}
          </p>
        ) : null}
        <div className={styles.confirmButtons}>
          <button type="submit" className={`button small ${styles.danger}`} disabled={pending}>
            {pending ? 'Revoking…' : 'Revoke key'}
          </button>
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            ref={cancel}
            onClick={() => setConfirming(false)}
          >
            Cancel
          </button>
        </div>
      </fieldset>
    </form>
  );
}
