import type { CalendarOffset } from './offset.js';

/**
 * Arithmetic on calendar dates (`YYYY-MM-DD`, proleptic Gregorian) as whole days since
 * 1970-01-01. A calendar date has no time of day and no time zone, so integer arithmetic is
 * exact; it is also far cheaper than building date objects, which matters when planning a whole
 * caseload. Conversions follow Howard Hinnant's days_from_civil / civil_from_days algorithms.
 */

export function toEpochDay(date: string): number {
  const y0 = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromEpochDay(epochDay: number): string {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** ISO day of the week: 1 Monday .. 7 Sunday. */
export function isoDayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Adds years and months (clamping to the month's last day: 31 Jan + 1 month = 28/29 Feb), then
 * weeks and days, the same order and rule as Temporal.PlainDate.add.
 */
export function addToCivilDate(date: string, offset: CalendarOffset): string {
  let result = date;
  const months = (offset.years ?? 0) * 12 + (offset.months ?? 0);
  if (months !== 0) {
    const total = Number(date.slice(0, 4)) * 12 + (Number(date.slice(5, 7)) - 1) + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
    result = `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
  }
  const days = (offset.weeks ?? 0) * 7 + (offset.days ?? 0);
  return days === 0 ? result : fromEpochDay(toEpochDay(result) + days);
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/**
 * A calendar date as people in the service read it, "Tue 7 Apr 2026": the one way dates are
 * written, by the plan's own words and by every page. Written out rather than by Intl, whose
 * en-GB short month for September is "Sept" in some runtimes and "Sep" in others.
 */
export function describeCivilDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || fromEpochDay(toEpochDay(date)) !== date)
    throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${WEEKDAYS[isoDayOfWeek(date) - 1]} ${day} ${MONTHS[month - 1]} ${year}`;
}

const WEEKDAYS_IN_FULL = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
/** The months' names in full, for dates written out for people (patients, plan reasons). */
export const MONTHS_IN_FULL = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/**
 * A calendar date as a patient reads it, "Tuesday 7 April 2026": the written plan, the patient
 * messages and the letters to patients write dates this way (staff pages use describeCivilDate).
 */
export function describeCivilDateInFull(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || fromEpochDay(toEpochDay(date)) !== date)
    throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${WEEKDAYS_IN_FULL[isoDayOfWeek(date) - 1]} ${day} ${MONTHS_IN_FULL[month - 1]} ${year}`;
}
