// Dates as the user reads them: their own calendar date ("Mon 23 Nov 2026") and how far that is
// from today in days ("in 3 days", "5 days overdue"). Pure functions of an instant, a time zone
// and now, so pages, CSV exports and tests agree.

import { describeCivilDate } from '@vfx/domain';

/** The service's zone, used until the browser has told us its own. */
export const DEFAULT_TIME_ZONE = 'Europe/London';

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date | string | number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(instant));
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Whole calendar days from today to the instant's date, in the zone (negative when past). */
export function daysFrom(now: Date, instant: Date | string | number, timeZone: string): number {
  return dayNumber(localDate(instant, timeZone)) - dayNumber(localDate(now, timeZone));
}

/** Days between two calendar dates (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * "Mon 23 Nov 2026" for a calendar date (YYYY-MM-DD), which has no zone: the domain's one way of
 * writing a date, so the pages and the plan's own words read the same.
 */
export const formatCalendarDate = describeCivilDate;

/** "Mon 23 Nov 2026" for an instant, in the user's zone. */
export function formatDate(instant: Date | string | number, timeZone: string): string {
  return formatCalendarDate(localDate(instant, timeZone));
}

/** "Mon 23 Nov 2026, 09:30" for an instant, in the user's zone. */
export function formatDateTime(instant: Date | string | number, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
  return `${formatDate(instant, timeZone)}, ${time}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "today", "tomorrow", "in 3 days", "yesterday", "4 days ago". */
export function relativeDays(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ago`;
}

/**
 * How late a step is, counted from its "Overdue from" date (the first day it is overdue) to today:
 * "overdue from today", "1 day overdue", "5 days overdue".
 */
export function overdueBy(days: number): string {
  return days <= 0 ? 'overdue from today' : `${plural(days, 'day')} overdue`;
}

// --- The date language of a step -------------------------------------------------------------
//
// A step has two kinds of date, and each is always labelled the same way (docs/ui.md, "Dates"):
//
// - GUIDELINE DATES: when the guidance says the step opens, falls due and becomes overdue. They
//   decide the step's status and never move. Labels: "Opens", "Due", "Overdue from".
// - WORKING-DAY DATES: when someone is reminded, at the clinic time on a working day (a weekend
//   or bank holiday moves them; a scheduler may move the first). Labels: "Reminder" (the due
//   reminder) and "Escalation" (the overdue reminder), always with the time.
//
// Relative days ("in 2 days", "41 days overdue") are only ever written inside the labelled
// phrase of the guideline date they count from, and count whole calendar days from today's date
// in the user's zone to that date. "N days overdue" counts from the "Overdue from" date.
//
// Day windows carry calendar dates of the service (YYYY-MM-DD, no zone): they are shown as those
// dates, never converted. Exact-time windows (ward timings) carry instants: they are shown as the
// local date and time in the user's zone.

/** The labels, one per kind of date. Pages use these and nothing else. */
export const DATE_LABELS = {
  opens: 'Opens',
  due: 'Due',
  overdue: 'Overdue from',
  dueReminder: 'Reminder',
  overdueReminder: 'Escalation',
} as const;

/** The guideline dates of a step: the domain's PlanWindow has this shape. */
export interface StepWindowDates {
  readonly granularity: 'day' | 'exact';
  /** Calendar dates (YYYY-MM-DD) for day windows; ISO instants for exact windows. */
  /** Absent when a list row does not carry it: an upcoming step then shows its due date. */
  readonly opens?: string;
  readonly due: string;
  readonly overdueFrom: string;
  /** When the reminders go out (ISO instants, working days); absent on old stored plans. */
  readonly reminders?: { readonly due?: string; readonly overdue: string };
}

export type GuidelineEdge = 'opens' | 'due' | 'overdue';

/** One labelled date, ready to show: `${label} ${text}` plus, when given, ` (${relative})`. */
export interface DatePhrase {
  readonly label: string;
  readonly text: string;
  /** For <time dateTime>: the calendar date, or the instant. */
  readonly dateTime: string;
  readonly relative?: string;
}

const edgeValue = (window: StepWindowDates, edge: GuidelineEdge): string =>
  edge === 'opens'
    ? (window.opens ?? window.due)
    : edge === 'due'
      ? window.due
      : window.overdueFrom;

/**
 * A step's window from a list row that holds only its status-change instants (plan_steps
 * opens_at, due_at, overdue_at are the guideline transitions): a day window's instants are the
 * starts of days in the service's zone, so their dates there are the guideline dates. Without
 * the granularity, a window whose instants all fall at midnight in the service's zone is read as
 * a day window: an exact time at midnight means the same start of that day.
 */
export function windowFromInstants(
  row: {
    readonly granularity?: 'day' | 'exact';
    readonly opensAt?: Date | string | null;
    readonly dueAt: Date | string;
    readonly overdueAt: Date | string;
  },
  serviceTimeZone: string,
): StepWindowDates {
  const instants = [row.opensAt, row.dueAt, row.overdueAt].filter(
    (at): at is Date | string => at !== undefined && at !== null,
  );
  const granularity =
    row.granularity ??
    (instants.every((at) => localInputValue(at, serviceTimeZone).endsWith('T00:00'))
      ? 'day'
      : 'exact');
  const value = (at: Date | string) =>
    granularity === 'day' ? localDate(at, serviceTimeZone) : new Date(at).toISOString();
  return {
    granularity,
    ...(row.opensAt ? { opens: value(row.opensAt) } : {}),
    due: value(row.dueAt),
    overdueFrom: value(row.overdueAt),
  };
}

/** The guideline date of an edge as text: "Mon 9 Nov 2026", or "Mon 7 Dec 2026, 14:00" (exact). */
export function guidelineDate(window: StepWindowDates, edge: GuidelineEdge, zone: string): string {
  const value = edgeValue(window, edge);
  return window.granularity === 'day' ? formatCalendarDate(value) : formatDateTime(value, zone);
}

/** Whole calendar days from today (the user's zone) to the guideline date of an edge. */
export function daysToGuideline(
  window: StepWindowDates,
  edge: GuidelineEdge,
  now: Date,
  zone: string,
): number {
  const value = edgeValue(window, edge);
  return window.granularity === 'day'
    ? daysBetween(localDate(now, zone), value)
    : daysFrom(now, value, zone);
}

/** Days a step has been overdue: from its "Overdue from" date to today (0 on that day). */
export function daysOverdue(window: StepWindowDates, now: Date, zone: string): number {
  return Math.max(0, -daysToGuideline(window, 'overdue', now, zone));
}

/**
 * A labelled guideline date with its relative days: "Due Mon 9 Nov 2026 (in 3 days)",
 * "Overdue from Sun 25 Oct 2026 (41 days overdue)". `relative: false` leaves the days out.
 */
export function guidelinePhrase(
  window: StepWindowDates,
  edge: GuidelineEdge,
  now: Date,
  zone: string,
  options: { relative?: boolean } = {},
): DatePhrase {
  const days = daysToGuideline(window, edge, now, zone);
  const value = edgeValue(window, edge);
  const relative =
    options.relative === false
      ? undefined
      : edge === 'overdue' && days < 0
        ? overdueBy(-days)
        : relativeDays(days);
  return {
    label: DATE_LABELS[edge],
    text: guidelineDate(window, edge, zone),
    dateTime: window.granularity === 'day' ? value : new Date(value).toISOString(),
    ...(relative ? { relative } : {}),
  };
}

/**
 * A labelled reminder: "Reminder Mon 28 Sep 2026, 09:00", "Escalation sent Mon 26 Oct 2026,
 * 09:00". Always with its time (a reminder goes out at a moment); never with relative days, which
 * belong to guideline dates.
 */
export function reminderPhrase(
  kind: 'due' | 'overdue',
  at: Date | string,
  zone: string,
  options: { sent?: boolean } = {},
): DatePhrase {
  const label = DATE_LABELS[kind === 'due' ? 'dueReminder' : 'overdueReminder'];
  return {
    label: options.sent ? `${label} sent` : label,
    text: formatDateTime(at, zone),
    dateTime: new Date(at).toISOString(),
  };
}

/** A phrase as plain text: "Due Mon 9 Nov 2026 (in 3 days)". */
export function phraseText(phrase: DatePhrase): string {
  return `${phrase.label} ${phrase.text}${phrase.relative ? ` (${phrase.relative})` : ''}`;
}

/**
 * What a list says about when an active step needs doing, by its status: the guideline dates that
 * matter now, each labelled, the first with its relative days.
 *
 * - upcoming: "Opens Mon 2 Nov 2026 (in 5 days)", "Due Mon 9 Nov 2026"
 * - open:     "Due Mon 9 Nov 2026 (in 3 days)", "Overdue from Mon 7 Dec 2026"
 * - due:      "Due Mon 9 Nov 2026 (2 days ago)", "Overdue from Mon 7 Dec 2026 (in 26 days)"
 * - overdue:  "Overdue from Sun 25 Oct 2026 (41 days overdue)", "Due Sat 26 Sep 2026"
 *
 * Other statuses (completed, cancelled, not applicable) have no "when": an empty list.
 */
export function stepWhen(
  status: string,
  window: StepWindowDates | undefined,
  now: Date,
  zone: string,
): DatePhrase[] {
  if (!window) return [];
  const phrase = (edge: GuidelineEdge, relative: boolean) =>
    guidelinePhrase(window, edge, now, zone, { relative });
  switch (status) {
    case 'upcoming':
      return window.opens === undefined
        ? [phrase('due', true), phrase('overdue', false)]
        : [phrase('opens', true), phrase('due', false)];
    case 'open':
      return [phrase('due', true), phrase('overdue', false)];
    case 'due':
      return [phrase('due', true), phrase('overdue', true)];
    case 'overdue':
      return [phrase('overdue', true), phrase('due', false)];
    default:
      return [];
  }
}

/** stepWhen as one line of text, the phrases joined by "; ". */
export function stepWhenText(
  status: string,
  window: StepWindowDates | undefined,
  now: Date,
  zone: string,
): string {
  return stepWhen(status, window, now, zone).map(phraseText).join('; ');
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds (BST is +3,600,000). */
export function offsetMs(instant: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(part.year),
    Number(part.month) - 1,
    Number(part.day),
    Number(part.hour),
    Number(part.minute),
    Number(part.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time ("2026-03-29T10:30", as a datetime-local input gives it) names in
 * a zone, or undefined when the text is not such a time. A time the clocks skip (the hour they go
 * forward) is read with the offset before the change. A time that happens twice (the hour they go
 * back) is read as the later of the two that is not after `notAfter` (for a moment in the past,
 * such as when something happened: typed a little after, it is the latest reading that fits), or
 * as the earlier one when neither fits or no `notAfter` is given.
 */
export function instantFromLocal(
  local: string,
  timeZone: string,
  notAfter?: Date | number,
): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== d || h > 23 || mi > 59)
    return undefined;
  // The offsets in force a day either side; around a clock change they differ.
  const before = wall - offsetMs(wall - 86_400_000, timeZone);
  const after = wall - offsetMs(wall + 86_400_000, timeZone);
  const readings = [...new Set([before, after])]
    .filter((instant) => instant + offsetMs(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  // No reading: the clocks skipped this time; read it with the offset before the change.
  if (readings.length === 0) return new Date(before);
  const limit = notAfter === undefined ? undefined : new Date(notAfter).getTime();
  const fitting = limit === undefined ? [] : readings.filter((instant) => instant <= limit);
  return new Date(fitting.at(-1) ?? (readings[0] as number));
}

/** "2026-03-29T10:30" for an instant in a zone, as a datetime-local input shows it. */
export function localInputValue(instant: Date | string | number, timeZone: string): string {
  const ms = new Date(instant).getTime();
  return new Date(ms + offsetMs(ms, timeZone)).toISOString().slice(0, 16);
}
