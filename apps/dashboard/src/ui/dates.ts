// Dates as the user reads them: their own calendar date ("Mon 23 Nov 2026") and how far that is
// from today in days ("in 3 days", "5 days overdue"). Pure functions of an instant, a time zone
// and now, so pages, CSV exports and tests agree.

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

const calendarFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
/** "Mon 23 Nov 2026" for a calendar date (YYYY-MM-DD), which has no zone. */
export function formatCalendarDate(date: string): string {
  const parts = calendarFormat.formatToParts(new Date(`${date}T00:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

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

/** How late a step is: "overdue today", "1 day overdue", "5 days overdue". */
export function overdueBy(days: number): string {
  return days <= 0 ? 'overdue today' : `${plural(days, 'day')} overdue`;
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
