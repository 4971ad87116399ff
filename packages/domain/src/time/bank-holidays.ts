import type { HolidayCalendar, LocalDate } from './calendar.js';
import {
  OFFICIAL_FIRST_YEAR,
  OFFICIAL_HOLIDAYS,
  OFFICIAL_LAST_YEAR,
  OFFICIAL_SOURCE,
} from './england-and-wales-holidays.data.js';

/**
 * England and Wales bank holidays.
 *
 * Years covered by the official gov.uk list use that list exactly (it includes one-off changes
 * such as the 2022 state funeral and the 2023 coronation). Later years, which a 5-year
 * bisphosphonate review can reach, use the standing rules of the Banking and Financial Dealings
 * Act 1971 with the customary substitute days; those dates are marked "(projected)" and are
 * replaced by official ones when the list is refreshed (scripts/update-bank-holidays.ts).
 */
export function englandAndWalesBankHolidays(): HolidayCalendar {
  const official = new Map<LocalDate, string>(OFFICIAL_HOLIDAYS);
  const projectedByYear = new Map<number, Map<LocalDate, string>>();
  return {
    description: `England and Wales bank holidays: official list ${OFFICIAL_FIRST_YEAR}-${OFFICIAL_LAST_YEAR} from ${OFFICIAL_SOURCE}; later years projected from the standing rules`,
    holidayOn(date) {
      const year = Number(date.slice(0, 4));
      if (year >= OFFICIAL_FIRST_YEAR && year <= OFFICIAL_LAST_YEAR) return official.get(date);
      let projected = projectedByYear.get(year);
      if (!projected) {
        projected = new Map(
          standingBankHolidays(year).map(([day, title]) => [day, `${title} (projected)`]),
        );
        projectedByYear.set(year, projected);
      }
      return projected.get(date);
    },
  };
}

/**
 * The regular England and Wales bank holidays of a year, with substitute days when New Year's Day,
 * Christmas Day or Boxing Day fall at a weekend. No one-off holidays.
 */
export function standingBankHolidays(year: number): Array<readonly [LocalDate, string]> {
  const easter = easterSunday(year);
  const holidays: Array<readonly [LocalDate, string]> = [
    [substituteIfWeekend(utc(year, 1, 1)), 'New Year’s Day'],
    [iso(addDays(easter, -2)), 'Good Friday'],
    [iso(addDays(easter, 1)), 'Easter Monday'],
    [iso(nthMonday(year, 5, 1)), 'Early May bank holiday'],
    [iso(lastMonday(year, 5)), 'Spring bank holiday'],
    [iso(lastMonday(year, 8)), 'Summer bank holiday'],
  ];
  const christmas = utc(year, 12, 25);
  const weekday = christmas.getUTCDay(); // 0 Sunday .. 6 Saturday
  if (weekday === 5) {
    // Friday: Boxing Day (Saturday) moves to Monday.
    holidays.push([iso(christmas), 'Christmas Day'], [iso(addDays(christmas, 3)), 'Boxing Day']);
  } else if (weekday === 6) {
    holidays.push(
      [iso(addDays(christmas, 2)), 'Christmas Day'],
      [iso(addDays(christmas, 3)), 'Boxing Day'],
    );
  } else if (weekday === 0) {
    holidays.push(
      [iso(addDays(christmas, 2)), 'Christmas Day'],
      [iso(addDays(christmas, 1)), 'Boxing Day'],
    );
  } else {
    holidays.push([iso(christmas), 'Christmas Day'], [iso(addDays(christmas, 1)), 'Boxing Day']);
  }
  return holidays.sort(([a], [b]) => a.localeCompare(b));
}

/** Western Easter Sunday (anonymous Gregorian algorithm). */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utc(year, month, day);
}

// Plain UTC dates: these are calendar days with no time of day, so no time zone applies.
function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}
function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}
function iso(date: Date): LocalDate {
  return date.toISOString().slice(0, 10);
}
function substituteIfWeekend(date: Date): LocalDate {
  const weekday = date.getUTCDay();
  return iso(weekday === 6 ? addDays(date, 2) : weekday === 0 ? addDays(date, 1) : date);
}
function nthMonday(year: number, month: number, n: number): Date {
  const first = utc(year, month, 1);
  const toMonday = (8 - first.getUTCDay()) % 7;
  return addDays(first, toMonday + 7 * (n - 1));
}
function lastMonday(year: number, month: number): Date {
  const last = utc(year, month + 1, 0);
  const back = (last.getUTCDay() + 6) % 7;
  return addDays(last, -back);
}
