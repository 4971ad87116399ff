// The domain's problems as a nurse reads them beside a field: the field's own name first, what to
// do, and dates in the user's zone ("Date of birth must be today or in the past"), never a field
// name of the code ("recordedAt") or ISO text. The domain's message is kept for integrators (the
// API returns it as it is); only its wording on screen is decided here.
import { EVENT_TYPES } from '@vfx/domain';
import { formatCalendarDate, formatDateTime } from '@/ui/dates';
import { EVENT_FORMS } from './event-fields';

export type MessageKind = 'choice' | 'yes-no' | 'date' | 'date-time' | 'text' | 'number' | 'list';

/** How a message names its field: "Date of birth", "The date it happened". */
export interface FieldWords {
  readonly label: string;
  readonly kind: MessageKind;
}

/** Field names of the code that can appear inside a message, in words. */
const NAMES: Record<string, string> = {
  recordedAt: 'the time it is recorded',
  occurredAt: 'the time it happened',
  fractureDate: 'the date of fracture',
  identifiedOn: 'the date it was identified',
  dateOfBirth: 'the date of birth',
  startedOn: 'the start date',
  stoppedOn: 'the stop date',
  lastDoseOn: 'the date of the last dose',
  admittedAt: 'the time of admission',
  enrolledAt: 'the time of enrolment',
  takingAtFracture: 'still taking it when the fracture happened',
};

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;
const ISO_DATE = /\b(\d{4}-\d{2}-\d{2})\b/g;

/** Kinds of entry as their forms are called: "bone-therapy-started" is "Bone therapy started"
 * (only hyphenated names: "referral" or "closure" are words already). */
const ENTRY_TYPES = new RegExp(
  `(?<![\\w-])(${EVENT_TYPES.filter((type) => type.includes('-'))
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![\\w-])`,
  'g',
);

/** ISO instants and dates as the user's dates; code names of fields and entries as words. */
export function inWords(text: string, zone: string): string {
  return text
    .replace(ENTRY_TYPES, (type) => `“${EVENT_FORMS[type as keyof typeof EVENT_FORMS].title}”`)
    .replace(ISO_INSTANT, (iso) => formatDateTime(iso, zone))
    .replace(ISO_DATE, (date) => formatCalendarDate(date))
    .replace(/\b([a-z]+[A-Z][A-Za-z]*)\b/g, (name) => NAMES[name] ?? name);
}

const lowerFirst = (text: string) =>
  /^[A-Z][a-z]/.test(text) && !/^(MRI|NHS|DXA|NRS)/.test(text)
    ? text.charAt(0).toLowerCase() + text.slice(1)
    : text;

const sentence = (text: string) => {
  const upper = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(upper) ? upper : `${upper}.`;
};

/** What to do when a field is left empty: "Select sex", "Enter the date of birth". */
export function missingMessage(field: FieldWords): string {
  const what = lowerFirst(field.label);
  switch (field.kind) {
    case 'choice':
      return `Select ${what}.`;
    case 'yes-no':
      return `Answer yes or no: ${what}.`;
    case 'list':
      return `Select at least one: ${what}.`;
    default:
      return `Enter ${what}.`;
  }
}

/**
 * One problem from the domain as a sentence about its field. `field` is undefined for a problem
 * that belongs to the whole form; its message is then only put in words.
 */
export function humanMessage(message: string, field: FieldWords | undefined, zone: string): string {
  const text = message.trim();
  if (!field) return sentence(inWords(text, zone));
  if (text === 'is required' || (field.kind === 'choice' && text.startsWith('must be one of'))) {
    return missingMessage(field);
  }
  if (field.kind === 'yes-no' && text === 'must be true or false') return missingMessage(field);
  if (field.kind === 'date' && text.startsWith('must be a calendar date')) {
    return sentence(`${field.label} must be a real date, e.g. 14 3 2026`);
  }
  const subject = field.label;
  const future = /^is in the future(?: \((.*)\))?$/.exec(text);
  if (future) {
    const today = /today is (\d{4}-\d{2}-\d{2})/.exec(future[1] ?? '')?.[1];
    return field.kind === 'date-time'
      ? sentence(`${subject} must be now or in the past`)
      : sentence(
          `${subject} must be today or in the past${today ? ` (today is ${formatCalendarDate(today)})` : ''}`,
        );
  }
  const afterRecording = /^must not be after the time it is recorded \(([^)]*)\)/.exec(text);
  if (afterRecording?.[1]) {
    return sentence(`${subject} must be before now (${formatDateTime(afterRecording[1], zone)})`);
  }
  const turned = text
    .replace(/^is before /, 'must not be before ')
    .replace(/^is after /, 'must not be after ')
    .replace(/^is on or before /, 'must be after ')
    .replace(/^is on or after /, 'must be before ');
  return sentence(`${subject} ${inWords(turned, zone)}`);
}
