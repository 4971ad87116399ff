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
