import { parseContactPreferences } from '@vfx/domain';
import { describe, expect, it } from 'vitest';
import {
  contactFormValues,
  contactInput,
  fieldErrors,
  nationalMobile,
  valuesOf,
} from './form-input';

const NOW = new Date('2026-12-07T10:00:00Z');

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.set(name, value);
  return data;
}

describe('the contact form', () => {
  it('turns a landline into a message at the mobile box, and the fixed number into E.164', () => {
    const values = contactFormValues(
      form({ channel: 'sms', consent: 'yes', mobile: '0113 496 0000' }),
    );
    const refused = parseContactPreferences(contactInput(values, null, NOW), NOW);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : fieldErrors(refused.issues)).toEqual([
      {
        target: 'mobile',
        message: '0113 496 0000 is a landline: text reminders need a mobile number (07...)',
      },
    ]);
    const fixed = contactFormValues(
      form({ channel: 'sms', consent: 'yes', mobile: '07700 900123' }),
    );
    const saved = parseContactPreferences(contactInput(fixed, null, NOW), NOW);
    expect(saved).toEqual({
      ok: true,
      value: {
        channel: 'sms',
        consentAt: NOW.toISOString(),
        optedOutAt: null,
        mobile: '+447700900123',
      },
    });
  });

  it('asks for consent, the channel and the details in words, each linked to its box', () => {
    const values = contactFormValues(form({ channel: 'letter', line1: '', postcode: 'nope' }));
    const refused = parseContactPreferences(contactInput(values, null, NOW), NOW);
    expect(refused.ok ? [] : fieldErrors(refused.issues)).toEqual([
      {
        target: 'consent',
        message:
          "Tick to record the patient's consent to reminders this way, or choose No reminders",
      },
      { target: 'line1', message: 'Address line 1 is required: the first line of the address' },
      { target: 'postcode', message: '"nope" is not a valid UK postcode: enter one like LS1 4AP' },
    ]);
    const none = parseContactPreferences(contactInput(contactFormValues(form({})), null, NOW), NOW);
    expect(none.ok ? [] : fieldErrors(none.issues)).toEqual([
      { target: 'channel', message: 'Choose how the patient hears from us' },
    ]);
  });

  it('keeps the consent already given for the same channel, and records a new one after an opt-out', () => {
    const stored = {
      channel: 'sms' as const,
      consentAt: '2026-11-01T09:00:00.000Z',
      optedOutAt: null,
      mobile: '+447700900123',
    };
    const values = { ...valuesOf(stored), mobile: '07700 900456' };
    expect(contactInput(values, stored, NOW).consentAt).toBe('2026-11-01T09:00:00.000Z');
    expect(contactInput({ ...values, channel: 'email' }, stored, NOW).consentAt).toBe(
      NOW.toISOString(),
    );
    const optedOut = { ...stored, optedOutAt: '2026-11-20T09:00:00.000Z' };
    expect(valuesOf(optedOut).consent).toBe(false);
    expect(contactInput({ ...valuesOf(optedOut), consent: true }, optedOut, NOW).consentAt).toBe(
      NOW.toISOString(),
    );
    expect(nationalMobile('+447700900123')).toBe('07700 900123');
  });
});
