// Calendar days typed by a user (a date filter) as instants: a day in Europe/London starts at
// 00:00 GMT in winter and 23:00 UTC the evening before in summer, so the conversion needs the
// zone's offset on that very day.

import { offsetMs as offsetAt } from './dates';

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

/** The first instant of a calendar date (YYYY-MM-DD) in a zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // Midnight in the zone is midnight UTC shifted by the zone's offset, either the offset before
  // or the one after a clock change near it. Where the clocks jump over midnight (Santiago, in
  // September), the day starts at the jump: the earliest candidate that is on the date.
  const before = midnightUtc - offsetAt(midnightUtc, timeZone);
  const after = midnightUtc - offsetAt(before, timeZone);
  const onDate = (instant: number) =>
    new Date(instant + offsetAt(instant, timeZone)).toISOString().slice(0, 10) === date;
  const candidates = [before, after].filter(onDate).sort((a, b) => a - b);
  return new Date(candidates[0] ?? Math.max(before, after));
}

/** The day after a calendar date (YYYY-MM-DD). */
export function nextCalendarDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
