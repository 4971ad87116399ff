// The contact-preferences form as packages/domain's parseContactPreferences takes it, and the
// domain's issues as the form shows them (a message beside each field, and the error summary's
// link to it). No rule is written here: whether a number is a mobile, whether consent is needed,
// are the domain's answers.
import type { ContactPreferences, InputIssue } from '@vfx/domain';

/** The address boxes the form offers (Notify takes up to 6 lines before the postcode). */
export const ADDRESS_BOXES = [
  'Address line 1',
  'Address line 2 (optional)',
  'Address line 3 (optional)',
  'Town or city (optional)',
  'County (optional)',
] as const;

/** What was typed, to draw the form again with it. */
export interface ContactFormValues {
  readonly channel: string;
  readonly consent: boolean;
  readonly mobile: string;
  readonly email: string;
  readonly lines: readonly string[];
  readonly postcode: string;
}

export interface FieldError {
  /** The id of the control the error summary links to. */
  readonly target: string;
  readonly message: string;
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

export function contactFormValues(form: FormData): ContactFormValues {
  return {
    channel: text(form, 'channel'),
    consent: form.get('consent') === 'yes',
    mobile: text(form, 'mobile'),
    email: text(form, 'email'),
    lines: ADDRESS_BOXES.map((_, index) => text(form, `line${index + 1}`)),
    postcode: text(form, 'postcode'),
  };
}

/** The form's values as they stand for the stored preferences (null: none recorded). */
export function valuesOf(stored: ContactPreferences | null): ContactFormValues {
  const lines = stored?.address?.lines ?? [];
  return {
    channel: stored?.channel ?? '',
    // After an opt-out, consent is asked for again: the box starts unticked.
    consent: stored !== null && stored.consentAt !== null && stored.optedOutAt === null,
    mobile: stored?.mobile ? nationalMobile(stored.mobile) : '',
    email: stored?.email ?? '',
    lines: ADDRESS_BOXES.map((_, index) => lines[index] ?? ''),
    postcode: stored?.address?.postcode ?? '',
  };
}

/** "+447700900123" as people write it: "07700 900123". */
export function nationalMobile(e164: string): string {
  const digits = e164.replace(/^\+44/, '0');
  return digits.length === 11 ? `${digits.slice(0, 5)} ${digits.slice(5)}` : digits;
}

/**
 * The input for parseContactPreferences. Consent: a ticked box keeps the consent already recorded
 * for the same channel (and not since withdrawn by an opt-out), or records it now.
 */
export function contactInput(
  values: ContactFormValues,
  stored: ContactPreferences | null,
  now: Date,
): Record<string, unknown> {
  const keepConsent =
    stored !== null &&
    stored.consentAt !== null &&
    stored.optedOutAt === null &&
    stored.channel === values.channel;
  const consentAt = values.consent
    ? keepConsent
      ? stored.consentAt
      : now.toISOString()
    : undefined;
  const anyAddress =
    values.lines.some((line) => line.trim() !== '') || values.postcode.trim() !== '';
  return {
    channel: values.channel === '' ? undefined : values.channel,
    ...(consentAt ? { consentAt } : {}),
    ...(values.mobile.trim() ? { mobile: values.mobile } : {}),
    ...(values.email.trim() ? { email: values.email } : {}),
    ...(anyAddress ? { address: { lines: [...values.lines], postcode: values.postcode } } : {}),
  };
}

const FIELDS: Record<string, { readonly target: string; readonly label: string }> = {
  channel: { target: 'channel', label: 'How the patient hears from us' },
  mobile: { target: 'mobile', label: 'Mobile number' },
  email: { target: 'email', label: 'E-mail address' },
  address: { target: 'line1', label: 'Postal address' },
  'address.lines': { target: 'line1', label: 'Postal address' },
  'address.postcode': { target: 'postcode', label: 'Postcode' },
};

/** A domain issue as the form shows it: "Mobile number is required ...", linked to its box. */
export function fieldErrors(issues: readonly InputIssue[]): FieldError[] {
  return issues.map((issue) => {
    if (issue.path === 'consentAt') {
      return {
        target: 'consent',
        message: issue.message.startsWith('is required')
          ? "Tick to record the patient's consent to reminders this way, or choose No reminders"
          : `Consent ${issue.message}`,
      };
    }
    if (issue.path === 'channel' && issue.message === 'is required') {
      return { target: 'channel', message: 'Choose how the patient hears from us' };
    }
    const line = /^address\.lines\[(\d+)\]$/.exec(issue.path);
    const field = line
      ? { target: `line${Number(line[1]) + 1}`, label: `Address line ${Number(line[1]) + 1}` }
      : (FIELDS[issue.path] ?? { target: 'channel', label: issue.path || 'The form' });
    const sentence = /^(is|must|cannot|has) /.test(issue.message)
      ? `${field.label} ${issue.message}`
      : issue.message;
    return { target: field.target, message: sentence };
  });
}
