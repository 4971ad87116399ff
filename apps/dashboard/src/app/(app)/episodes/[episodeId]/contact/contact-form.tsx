'use client';

import { type ReactNode, useState } from 'react';
import { ErrorSummary } from '@/ui/nhsuk/error-summary';
import { Button, Checkboxes, Fieldset, TextInput } from '@/ui/nhsuk/form';
import { useFormAction } from '@/ui/nhsuk/use-form-action';
import {
  type ContactFormState,
  type OptOutState,
  optOutAction,
  saveContactAction,
} from './actions';
import { ADDRESS_BOXES, type ContactFormValues } from './form-input';

const CHANNELS: readonly { value: string; label: string; hint?: string }[] = [
  { value: 'sms', label: 'Text message' },
  { value: 'email', label: 'E-mail' },
  { value: 'letter', label: 'Letter' },
  { value: 'none', label: 'No reminders', hint: 'The patient is not sent reminders.' },
];

/**
 * How the patient hears from us: the channel as NHS radios, each revealing the detail it needs
 * (conditional reveal), the patient's consent, and save. A refused save shows the error summary
 * and keeps what was typed.
 */
export function ContactForm(props: { episodeId: string; initial: ContactFormValues }) {
  const { state, pending, form } = useFormAction<ContactFormState>(saveContactAction, {});
  const values = state.values ?? props.initial;
  const [channel, setChannel] = useState(values.channel);
  const errors = state.errors ?? [];
  const errorOf = (target: string) =>
    errors
      .filter((error) => error.target === target)
      .map((error) => error.message)
      .join('. ') || undefined;
  const conditional = (value: string, children: ReactNode) => (
    <div
      className={`nhsuk-radios__conditional${channel === value ? '' : ' nhsuk-radios__conditional--hidden'}`}
      id={`conditional-${value}`}
    >
      {children}
    </div>
  );
  const details: Record<string, ReactNode> = {
    sms: conditional(
      'sms',
      <TextInput
        id="mobile"
        name="mobile"
        label="UK mobile number"
        hint="For example, 07700 900123. A landline cannot receive text messages."
        width={20}
        autoComplete="off"
        defaultValue={values.mobile}
        error={errorOf('mobile')}
      />,
    ),
    email: conditional(
      'email',
      <TextInput
        id="email"
        name="email"
        type="email"
        label="E-mail address"
        width={30}
        autoComplete="off"
        spellCheck={false}
        defaultValue={values.email}
        error={errorOf('email')}
      />,
    ),
    letter: conditional(
      'letter',
      <>
        {ADDRESS_BOXES.map((label, index) => (
          <TextInput
            key={label}
            id={`line${index + 1}`}
            name={`line${index + 1}`}
            label={label}
            autoComplete="off"
            defaultValue={values.lines[index] ?? ''}
            error={errorOf(`line${index + 1}`)}
          />
        ))}
        <TextInput
          id="postcode"
          name="postcode"
          label="Postcode"
          width={10}
          autoComplete="off"
          defaultValue={values.postcode}
          error={errorOf('postcode')}
        />
      </>,
    ),
  };
  return (
    <form {...form} noValidate>
      <ErrorSummary items={errors} response={state} />
      <input type="hidden" name="episodeId" value={props.episodeId} />
      <Fieldset
        id="channel"
        legend="How does the patient want to hear from us?"
        hint="Reminders of doses, follow-up calls, the exercise programme and DXA appointments."
        error={errorOf('channel')}
      >
        <div className="nhsuk-radios nhsuk-radios--conditional">
          {CHANNELS.map((option, index) => {
            const id = index === 0 ? 'channel' : `channel-${index + 1}`;
            return (
              <div key={option.value}>
                <div className="nhsuk-radios__item">
                  <input
                    className="nhsuk-radios__input"
                    id={id}
                    name="channel"
                    type="radio"
                    value={option.value}
                    defaultChecked={values.channel === option.value}
                    onChange={() => setChannel(option.value)}
                    aria-controls={
                      details[option.value] ? `conditional-${option.value}` : undefined
                    }
                    aria-describedby={option.hint ? `${id}-item-hint` : undefined}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
                    {option.label}
                  </label>
                  {option.hint ? (
                    <div className="nhsuk-hint nhsuk-radios__hint" id={`${id}-item-hint`}>
                      {option.hint}
                    </div>
                  ) : null}
                </div>
                {details[option.value] ?? null}
              </div>
            );
          })}
        </div>
      </Fieldset>
      <Checkboxes
        id="consent"
        name="consent"
        options={[
          {
            value: 'yes',
            label: 'The patient agrees to be sent reminders this way',
          },
        ]}
        hint="Ask the patient. Their consent is recorded with today's date and your name."
        defaultValues={values.consent ? ['yes'] : []}
        error={errorOf('consent')}
      />
      <Button disabled={pending}>{pending ? 'Saving…' : 'Save contact preferences'}</Button>
    </form>
  );
}

/** "Opt out of reminders": the reason, then the opt-out (scheduled messages are cancelled). */
export function OptOutForm(props: { episodeId: string }) {
  const { state, pending, form } = useFormAction<OptOutState>(optOutAction, {});
  const items = state.error ? [{ target: 'reason', message: state.error }] : [];
  return (
    <form {...form} noValidate>
      <ErrorSummary items={items} response={state} />
      <input type="hidden" name="episodeId" value={props.episodeId} />
      <TextInput
        id="reason"
        name="reason"
        label="Why does the patient not want reminders?"
        hint="In the patient's words if you can. Kept with the opt-out and in the audit log."
        defaultValue={state.reason ?? ''}
        error={state.error}
      />
      <button
        type="submit"
        className="nhsuk-button nhsuk-button--warning"
        data-module="nhsuk-button"
        disabled={pending}
      >
        {pending ? 'Opting out…' : 'Opt out of reminders'}
      </button>
    </form>
  );
}
