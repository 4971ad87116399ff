import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isValid as isValidPostcode, toNormalised as normalisePostcode } from 'postcode';
import { z } from 'zod';
import { type InputIssue, issuesFromZod } from '../inputs/errors.js';
import { textProblem } from '../inputs/text.js';

/**
 * How a patient wants to hear from the service. Stored one row per patient
 * (patient_contact_preferences); validated here before it is stored.
 */
export type PatientChannel = 'sms' | 'email' | 'letter';

export const PATIENT_CHANNELS = [
  'sms',
  'email',
  'letter',
] as const satisfies readonly PatientChannel[];
export const CONTACT_CHANNELS = [...PATIENT_CHANNELS, 'none'] as const;

export interface PostalAddress {
  /** Address lines without the postcode (1 to 6 lines, as Notify's letters take them). */
  readonly lines: readonly string[];
  /** A UK postcode in its standard form ("LS1 4AP"). */
  readonly postcode: string;
}

export interface ContactPreferences {
  readonly channel: PatientChannel | 'none';
  /** When the patient agreed to reminders on `channel` (ISO instant); null: no consent. */
  readonly consentAt: string | null;
  /** When the patient opted out (ISO instant); null: not opted out. */
  readonly optedOutAt: string | null;
  /** A UK mobile number in E.164 form (+447...). */
  readonly mobile?: string;
  readonly email?: string;
  readonly address?: PostalAddress;
}

/**
 * GOV.UK Notify takes a letter's address as up to 7 lines, the last of them the postcode, so up to
 * 6 lines come before it. Notify refuses an address line that starts with one of these characters.
 */
export const ADDRESS_MAX_LINES = 6;
const NOTIFY_FORBIDDEN_FIRST_CHARACTERS = '@()=[]"\\/,<>~';
/**
 * Service standard: an address line of at most 35 characters fits the address window of a
 * standard DL envelope at Notify's letter font size (the Royal Mail / PAF printing guidance keeps
 * lines to this width); a longer line would be cut or wrapped out of the window.
 */
export const ADDRESS_LINE_MAX_LENGTH = 35;
/** RFC 5321: a forward path is at most 254 characters in practice. */
const EMAIL_MAX_LENGTH = 254;

const INSTANT_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Blank text from a form is "not given". */
const optionalText = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().optional(),
);
const optionalInstant = z.preprocess(
  (value) => (value === '' ? null : value),
  z.union([z.string(), z.null()]).optional(),
);

const InputSchema = z.strictObject({
  channel: z.enum(CONTACT_CHANNELS, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : 'must be one of "sms", "email", "letter" or "none"',
  }),
  consentAt: optionalInstant,
  optedOutAt: optionalInstant,
  mobile: optionalText,
  email: optionalText,
  address: z
    .strictObject({
      lines: z.array(z.string({ error: 'must be text' }), { error: 'must be a list of lines' }),
      postcode: optionalText,
    })
    .optional(),
});

export type ContactPreferencesResult =
  | { readonly ok: true; readonly value: ContactPreferences }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

/**
 * Validates a patient's contact preferences, as a form or the API gives them, into the stored
 * form: the mobile in E.164, the e-mail trimmed, the address lines trimmed (blank lines dropped)
 * and the postcode normalised ("LS1 4AP"). Every problem is reported with its field's path.
 *
 * Rules: a channel other than "none" needs the patient's consent with its instant (not after
 * `now`), and the contact detail for that channel; details for other channels are optional but
 * validated when given. An opt-out instant, if given, may not be after `now`; a consent given
 * after the opt-out clears it (the patient agreed again).
 */
export function parseContactPreferences(
  input: unknown,
  now: Date | number,
): ContactPreferencesResult {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const parsed = InputSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: issuesFromZod('', parsed.error) };
  const raw = parsed.data;
  const issues: InputIssue[] = [];

  const consentAt = instant(raw.consentAt, 'consentAt', nowMs, issues);
  let optedOutAt = instant(raw.optedOutAt, 'optedOutAt', nowMs, issues);

  if (raw.channel !== 'none' && raw.consentAt == null) {
    issues.push({
      path: 'consentAt',
      message: `is required: record when the patient agreed to reminders by ${CHANNEL_WORDS[raw.channel]}, or choose "none"`,
    });
  }

  const mobile = raw.mobile === undefined ? undefined : ukMobile(raw.mobile, issues);
  const email = raw.email === undefined ? undefined : emailAddress(raw.email, issues);
  const address = raw.address === undefined ? undefined : postalAddress(raw.address, issues);

  if (raw.channel === 'sms' && raw.mobile === undefined) {
    issues.push({ path: 'mobile', message: 'is required to send reminders by text message' });
  }
  if (raw.channel === 'email' && raw.email === undefined) {
    issues.push({ path: 'email', message: 'is required to send reminders by e-mail' });
  }
  if (raw.channel === 'letter' && raw.address === undefined) {
    issues.push({ path: 'address', message: 'is required to send reminders by letter' });
  }

  if (issues.length > 0) return { ok: false, issues };

  if (consentAt !== null && optedOutAt !== null && Date.parse(consentAt) > Date.parse(optedOutAt)) {
    optedOutAt = null;
  }
  return {
    ok: true,
    value: {
      channel: raw.channel,
      consentAt,
      optedOutAt,
      ...(mobile === undefined ? {} : { mobile }),
      ...(email === undefined ? {} : { email }),
      ...(address === undefined ? {} : { address }),
    },
  };
}

const CHANNEL_WORDS: Record<PatientChannel, string> = {
  sms: 'text message',
  email: 'e-mail',
  letter: 'letter',
};

function instant(
  value: string | null | undefined,
  path: string,
  nowMs: number,
  issues: InputIssue[],
): string | null {
  if (value == null) return null;
  const ms = INSTANT_WITH_ZONE.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    issues.push({
      path,
      message: 'must be a date and time with a time zone, e.g. 2026-12-07T09:30:00Z',
    });
    return null;
  }
  if (ms > nowMs) {
    issues.push({ path, message: 'cannot be in the future' });
    return null;
  }
  return new Date(ms).toISOString();
}

/**
 * Ofcom keeps 07700 900000 to 07700 900999 for drama: the numbers reach no one, so the demo and
 * the tests use them, as do GOV.UK Notify's smoke-test numbers. libphonenumber calls them invalid;
 * they are accepted as mobiles (a real send to one fails at Notify, which raises a task).
 */
const DRAMA_MOBILE = /^\+447700900\d{3}$/;

function ukMobile(text: string, issues: InputIssue[]): string | undefined {
  const number = parsePhoneNumberFromString(text.trim(), 'GB');
  if (number !== undefined && DRAMA_MOBILE.test(number.number)) return number.number;
  if (number === undefined || !number.isValid()) {
    issues.push({
      path: 'mobile',
      message: `"${text.trim()}" is not a valid UK phone number: enter a mobile number like 07700 900123`,
    });
    return undefined;
  }
  // The Crown Dependencies share the UK's +44 7 mobile range, and Notify sends to them as UK.
  if (number.countryCallingCode !== '44') {
    issues.push({
      path: 'mobile',
      message:
        'must be a UK mobile number (starting 07 or +44 7); Notify sends text reminders to UK mobiles only',
    });
    return undefined;
  }
  const type = number.getType();
  if (type !== 'MOBILE') {
    issues.push({
      path: 'mobile',
      message:
        type === 'FIXED_LINE'
          ? `${number.formatNational()} is a landline: text reminders need a mobile number (07...)`
          : `${number.formatNational()} is not a mobile number: text reminders need a mobile number (07...)`,
    });
    return undefined;
  }
  return number.number;
}

const EmailSchema = z.email();

function emailAddress(text: string, issues: InputIssue[]): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length > EMAIL_MAX_LENGTH || !EmailSchema.safeParse(trimmed).success) {
    issues.push({
      path: 'email',
      message: `"${trimmed}" is not a valid e-mail address: enter one like name@example.com`,
    });
    return undefined;
  }
  return trimmed;
}

function postalAddress(
  raw: { lines: string[]; postcode?: string | undefined },
  issues: InputIssue[],
): PostalAddress | undefined {
  const before = issues.length;
  // Lines are kept in their places so a problem names the line the user typed; blank ones go.
  const lines: string[] = [];
  raw.lines.forEach((line, index) => {
    const problem = textProblem(line);
    if (problem) {
      issues.push({ path: `address.lines[${index}]`, message: problem });
      return;
    }
    const trimmed = line.trim().replace(/\s+/g, ' ');
    if (trimmed === '') {
      if (index === 0) {
        issues.push({
          path: 'address.lines[0]',
          message: 'is required: the first line of the address',
        });
      }
      return;
    }
    if (trimmed.length > ADDRESS_LINE_MAX_LENGTH) {
      issues.push({
        path: `address.lines[${index}]`,
        message: `must be ${ADDRESS_LINE_MAX_LENGTH} characters or fewer to fit the envelope window (it has ${trimmed.length})`,
      });
    }
    if (NOTIFY_FORBIDDEN_FIRST_CHARACTERS.includes(trimmed[0] as string)) {
      issues.push({
        path: `address.lines[${index}]`,
        message: `cannot start with "${trimmed[0]}" (Notify refuses such an address line)`,
      });
    }
    lines.push(trimmed);
  });
  if (raw.lines.length === 0) {
    issues.push({
      path: 'address.lines[0]',
      message: 'is required: the first line of the address',
    });
  }
  if (lines.length > ADDRESS_MAX_LINES) {
    issues.push({
      path: 'address.lines',
      message: `must have at most ${ADDRESS_MAX_LINES} lines before the postcode (it has ${lines.length})`,
    });
  }
  let postcode: string | undefined;
  if (raw.postcode === undefined) {
    issues.push({ path: 'address.postcode', message: 'is required for a letter' });
  } else if (!isValidPostcode(raw.postcode.trim())) {
    issues.push({
      path: 'address.postcode',
      message: `"${raw.postcode.trim()}" is not a valid UK postcode: enter one like LS1 4AP`,
    });
  } else {
    postcode = normalisePostcode(raw.postcode.trim()) ?? undefined;
  }
  if (issues.length > before || postcode === undefined) return undefined;
  return { lines, postcode };
}

export type PatientReachability =
  | { readonly reachable: true; readonly channel: 'sms'; readonly to: string }
  | { readonly reachable: true; readonly channel: 'email'; readonly to: string }
  | { readonly reachable: true; readonly channel: 'letter'; readonly to: PostalAddress }
  | { readonly reachable: false; readonly why: string };

/**
 * Whether reminders may be sent to the patient, and where; if not, why, in words a scheduler
 * reads. The one place this is decided: the policy that plans messages, the check at send, and the
 * pages all ask it.
 */
export function patientReachability(prefs: ContactPreferences | null): PatientReachability {
  if (prefs === null) {
    return { reachable: false, why: 'No contact preferences recorded for the patient' };
  }
  if (prefs.optedOutAt !== null) {
    return { reachable: false, why: 'The patient opted out of reminders' };
  }
  if (prefs.channel === 'none') {
    return { reachable: false, why: 'The patient chose not to receive reminders' };
  }
  if (prefs.consentAt === null) {
    return {
      reachable: false,
      why: `No consent recorded for reminders by ${CHANNEL_WORDS[prefs.channel]}`,
    };
  }
  switch (prefs.channel) {
    case 'sms':
      return prefs.mobile
        ? { reachable: true, channel: 'sms', to: prefs.mobile }
        : { reachable: false, why: 'Text message chosen but no mobile number recorded' };
    case 'email':
      return prefs.email
        ? { reachable: true, channel: 'email', to: prefs.email }
        : { reachable: false, why: 'E-mail chosen but no e-mail address recorded' };
    case 'letter':
      return prefs.address && prefs.address.lines.length > 0 && prefs.address.postcode
        ? { reachable: true, channel: 'letter', to: prefs.address }
        : { reachable: false, why: 'Letter chosen but no postal address recorded' };
  }
}

/** The channel in words ("text message", "e-mail", "letter"). */
export function describeChannel(channel: PatientChannel | 'none'): string {
  return channel === 'none' ? 'none' : CHANNEL_WORDS[channel];
}
