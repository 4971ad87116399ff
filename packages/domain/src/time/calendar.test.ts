import { describe, expect, it } from 'vitest';
import { type HolidayCalendar, ServiceCalendar, toIso } from './calendar.js';
import { serviceCalendar } from './settings.js';

/** The default service: Europe/London, reminders at 09:00, England and Wales bank holidays. */
const london = serviceCalendar();

const at = (iso: string) => Date.parse(iso);
const iso = (instant: number) => toIso(instant);

describe('toIso', () => {
  it('writes an instant as ISO-8601 UTC with milliseconds', () => {
    expect(toIso(Date.UTC(2025, 2, 31, 11, 0, 0))).toBe('2025-03-31T11:00:00.000Z');
  });
});

describe('hours are exact elapsed time; days and weeks keep the local wall-clock time', () => {
  // UK clocks go forward at 01:00 UTC on Sunday 30 March 2025 and back at 01:00 UTC on
  // Sunday 26 October 2025.

  describe('across the spring change (GMT to BST)', () => {
    const noonGmt = at('2025-03-29T12:00:00Z'); // Saturday 12:00 GMT

    it('48 hours later is 48 real hours later (13:00 BST on Monday)', () => {
      expect(iso(london.addExact(noonGmt, { hours: 48 }))).toBe('2025-03-31T12:00:00.000Z');
      expect(iso(london.addToInstant(noonGmt, { hours: 48 }))).toBe('2025-03-31T12:00:00.000Z');
    });

    it('2 days later is 12:00 local on Monday, which is BST, so 11:00 UTC', () => {
      expect(iso(london.addToInstant(noonGmt, { days: 2 }))).toBe('2025-03-31T11:00:00.000Z');
    });

    it('1 week later is 12:00 BST the next Saturday', () => {
      expect(iso(london.addToInstant(noonGmt, { weeks: 1 }))).toBe('2025-04-05T11:00:00.000Z');
    });

    it('a local time the change skips (01:30 on 30 March) moves forward by the gap', () => {
      // 01:30 GMT on Saturday + 1 day = 01:30 local on Sunday, which does not exist: 02:30 BST.
      const result = london.addToInstant(at('2025-03-29T01:30:00Z'), { days: 1 });
      expect(iso(result)).toBe('2025-03-30T01:30:00.000Z');
      expect(london.localDate(result)).toBe('2025-03-30');
    });
  });

  describe('across the autumn change (BST to GMT)', () => {
    const oneBst = at('2025-10-25T12:00:00Z'); // Saturday 13:00 BST

    it('48 hours later is 48 real hours later (12:00 GMT on Monday)', () => {
      expect(iso(london.addToInstant(oneBst, { hours: 48 }))).toBe('2025-10-27T12:00:00.000Z');
    });

    it('2 days later is 13:00 local on Monday, which is GMT, so 13:00 UTC', () => {
      expect(iso(london.addToInstant(oneBst, { days: 2 }))).toBe('2025-10-27T13:00:00.000Z');
    });

    it('1 month later keeps the local time: 09:00 BST in October becomes 09:00 GMT in November', () => {
      expect(iso(london.addToInstant(at('2025-10-15T08:00:00Z'), { months: 1 }))).toBe(
        '2025-11-15T09:00:00.000Z',
      );
    });
  });

  it('works on the local date, not the UTC date, just after local midnight', () => {
    // 23:30 UTC on 30 June is 00:30 BST on 1 July; one month later is 00:30 BST on 1 August.
    expect(iso(london.addToInstant(at('2025-06-30T23:30:00Z'), { months: 1 }))).toBe(
      '2025-07-31T23:30:00.000Z',
    );
  });

  it('counts negative hours backwards', () => {
    expect(iso(london.addExact(at('2025-03-31T12:00:00Z'), { hours: -48 }))).toBe(
      '2025-03-29T12:00:00.000Z',
    );
  });
});

describe('local dates and the clinic hour', () => {
  it('puts the clinic hour at 09:00 BST (08:00 UTC) in summer', () => {
    expect(iso(london.atClinicTime('2025-07-01'))).toBe('2025-07-01T08:00:00.000Z');
  });

  it('puts the clinic hour at 09:00 GMT (09:00 UTC) in winter', () => {
    expect(iso(london.atClinicTime('2025-01-15'))).toBe('2025-01-15T09:00:00.000Z');
  });

  it('uses the offset in force at the clinic hour on the days the clocks change', () => {
    expect(iso(london.atClinicTime('2025-03-30'))).toBe('2025-03-30T08:00:00.000Z');
    expect(iso(london.atClinicTime('2025-10-26'))).toBe('2025-10-26T09:00:00.000Z');
  });

  it('gives the same instant when asked twice (the cached value is the computed one)', () => {
    const first = london.atClinicTime('2025-02-03');
    expect(london.atClinicTime('2025-02-03')).toBe(first);
    expect(iso(first)).toBe('2025-02-03T09:00:00.000Z');
  });

  it('gives the instant of any local wall-clock time, in the offset in force then', () => {
    expect(iso(london.atLocalTime('2025-07-01', '14:30'))).toBe('2025-07-01T13:30:00.000Z');
    expect(iso(london.atLocalTime('2025-01-15', '00:15'))).toBe('2025-01-15T00:15:00.000Z');
    // Just after midnight in summer is still the evening before in UTC.
    expect(iso(london.atLocalTime('2025-07-01', '00:30'))).toBe('2025-06-30T23:30:00.000Z');
  });

  it('describes an instant in local time, to the minute: never as UTC text', () => {
    expect(london.describeInstant(at('2025-07-14T23:30:45Z'))).toBe('Tue 15 Jul 2025, 00:30');
    expect(london.describeInstant(at('2025-01-15T09:05:00Z'))).toBe('Wed 15 Jan 2025, 09:05');
  });

  it('moves a wall-clock time the clocks skip forward, and takes the first of a repeated one', () => {
    // 01:30 on 30 March 2025 does not exist in London: 02:30 BST, which is 01:30 UTC.
    expect(iso(london.atLocalTime('2025-03-30', '01:30'))).toBe('2025-03-30T01:30:00.000Z');
    // 01:30 on 26 October 2025 happens twice: first in BST (00:30 UTC), then in GMT.
    expect(iso(london.atLocalTime('2025-10-26', '01:30'))).toBe('2025-10-26T00:30:00.000Z');
  });

  it('gives the local date of an instant: 23:30 UTC on 30 June is already 1 July in London', () => {
    expect(london.localDate(at('2025-06-30T23:30:00Z'))).toBe('2025-07-01');
  });

  it('gives the same date as UTC in winter, when London is on GMT', () => {
    expect(london.localDate(at('2025-12-31T23:30:00Z'))).toBe('2025-12-31');
  });

  it('starts a day at local midnight, so the spring-forward day lasts 23 hours', () => {
    expect(iso(london.startOfDay('2025-03-30'))).toBe('2025-03-30T00:00:00.000Z');
    expect(iso(london.startOfDay('2025-03-31'))).toBe('2025-03-30T23:00:00.000Z');
    expect(london.startOfDay('2025-03-31') - london.startOfDay('2025-03-30')).toBe(23 * 3_600_000);
  });
});

describe('addToDate: calendar arithmetic on local dates', () => {
  it.each([
    ['2025-01-31', { months: 1 }, '2025-02-28'],
    ['2024-01-31', { months: 1 }, '2024-02-29'],
    ['2025-08-31', { months: 1 }, '2025-09-30'],
    ['2025-03-31', { months: -1 }, '2025-02-28'],
    ['2025-01-31', { months: 1, days: 1 }, '2025-03-01'],
    ['2025-01-06', { weeks: 12 }, '2025-03-31'],
    ['2025-12-22', { weeks: 2 }, '2026-01-05'],
    ['2025-01-06', { days: -7 }, '2024-12-30'],
    ['2024-02-29', { years: 1 }, '2025-02-28'],
    ['2024-02-29', { years: 4 }, '2028-02-29'],
    ['2023-03-01', { years: 1 }, '2024-03-01'],
    ['2025-05-17', {}, '2025-05-17'],
  ])('%s + %j = %s', (date, offset, expected) => {
    expect(london.addToDate(date, offset)).toBe(expected);
  });
});

describe('daysBetween', () => {
  it('counts whole calendar days, including a leap day', () => {
    expect(london.daysBetween('2025-02-28', '2025-03-01')).toBe(1);
    expect(london.daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(london.daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(london.daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('counts a clock-change weekend as whole days, not 47 hours', () => {
    expect(london.daysBetween('2025-03-29', '2025-03-31')).toBe(2);
  });

  it('is negative when the second date is earlier', () => {
    expect(london.daysBetween('2025-03-01', '2025-02-28')).toBe(-1);
  });
});

describe('working days in England and Wales', () => {
  it('treats an ordinary weekday as a working day', () => {
    expect(london.isWorkingDay('2025-04-17')).toBe(true); // Thursday before Easter
    expect(london.nonWorkingReason('2025-04-17')).toBeUndefined();
    expect(london.workingDayOnOrAfter('2025-04-17')).toBe('2025-04-17');
    expect(london.workingDayOnOrBefore('2025-04-17')).toBe('2025-04-17');
  });

  it('names weekends', () => {
    expect(london.isWorkingDay('2025-04-19')).toBe(false);
    expect(london.nonWorkingReason('2025-04-19')).toBe('Saturday');
    expect(london.nonWorkingReason('2025-04-20')).toBe('Sunday');
  });

  describe('Easter 2025', () => {
    it('names Good Friday (18 April) and Easter Monday (21 April)', () => {
      expect(london.isWorkingDay('2025-04-18')).toBe(false);
      expect(london.nonWorkingReason('2025-04-18')).toBe('Good Friday');
      expect(london.isWorkingDay('2025-04-21')).toBe(false);
      expect(london.nonWorkingReason('2025-04-21')).toBe('Easter Monday');
    });

    it('moves forward from Good Friday to Tuesday 22 April', () => {
      expect(london.workingDayOnOrAfter('2025-04-18')).toBe('2025-04-22');
    });

    it('moves back from Easter Monday to Thursday 17 April', () => {
      expect(london.workingDayOnOrBefore('2025-04-21')).toBe('2025-04-17');
    });
  });

  describe('Christmas 2026 (Christmas Day on a Friday)', () => {
    it('closes Friday 25 and Monday 28 December, the substitute day for Boxing Day', () => {
      expect(london.nonWorkingReason('2026-12-25')).toBe('Christmas Day');
      expect(london.nonWorkingReason('2026-12-26')).toBe('Saturday');
      expect(london.nonWorkingReason('2026-12-27')).toBe('Sunday');
      expect(london.nonWorkingReason('2026-12-28')).toBe('Boxing Day');
    });

    it('opens again on Tuesday 29 December and last opened on Thursday 24 December', () => {
      expect(london.workingDayOnOrAfter('2026-12-25')).toBe('2026-12-29');
      expect(london.workingDayOnOrBefore('2026-12-28')).toBe('2026-12-24');
    });
  });

  describe('one-off bank holidays', () => {
    it('closes Monday 19 September 2022 for the state funeral', () => {
      expect(london.isWorkingDay('2022-09-19')).toBe(false);
      expect(london.nonWorkingReason('2022-09-19')).toMatch(/State Funeral of Queen Elizabeth II/);
      expect(london.workingDayOnOrAfter('2022-09-17')).toBe('2022-09-20');
      expect(london.workingDayOnOrBefore('2022-09-19')).toBe('2022-09-16');
    });

    it('closes Monday 8 May 2023 for the coronation', () => {
      expect(london.isWorkingDay('2023-05-08')).toBe(false);
      expect(london.nonWorkingReason('2023-05-08')).toMatch(/coronation of King Charles III/);
      expect(london.workingDayOnOrAfter('2023-05-06')).toBe('2023-05-09');
      expect(london.workingDayOnOrBefore('2023-05-08')).toBe('2023-05-05');
    });
  });
});

describe('a service with its own time zone, clinic hour and holiday list', () => {
  const holidays = new Map([
    ['2025-01-27', 'Australia Day (observed)'],
    ['2025-01-25', 'Test holiday on a Saturday'],
  ]);
  const customHolidays: HolidayCalendar = {
    description: 'test list',
    holidayOn: (date) => holidays.get(date),
  };
  const sydney = new ServiceCalendar({
    timeZone: 'Australia/Sydney',
    clinicTime: '08:30',
    holidays: customHolidays,
  });

  it('exposes its settings', () => {
    expect(sydney.timeZone).toBe('Australia/Sydney');
    expect(sydney.clinicTime.toString()).toBe('08:30:00');
    expect(sydney.holidays).toBe(customHolidays);
  });

  it('places the clinic hour in its own zone (AEDT +11 in January, AEST +10 in July)', () => {
    expect(iso(sydney.atClinicTime('2025-01-15'))).toBe('2025-01-14T21:30:00.000Z');
    expect(iso(sydney.atClinicTime('2025-07-15'))).toBe('2025-07-14T22:30:00.000Z');
  });

  it('takes local dates in its own zone', () => {
    expect(sydney.localDate(at('2025-01-14T13:00:00Z'))).toBe('2025-01-15');
    expect(sydney.localDate(at('2025-01-14T12:59:59Z'))).toBe('2025-01-14');
  });

  it('uses its own holidays and not the England and Wales list', () => {
    expect(sydney.nonWorkingReason('2025-01-27')).toBe('Australia Day (observed)');
    expect(sydney.workingDayOnOrAfter('2025-01-25')).toBe('2025-01-28');
    expect(sydney.isWorkingDay('2025-05-05')).toBe(true); // Early May bank holiday in England
    expect(sydney.isWorkingDay('2025-12-26')).toBe(true); // Boxing Day in England
  });

  it('names a holiday that falls at a weekend by the holiday, not the weekday', () => {
    expect(sydney.nonWorkingReason('2025-01-25')).toBe('Test holiday on a Saturday');
  });

  it('starts a day at the first valid time when the clocks skip local midnight', () => {
    // São Paulo moved from 00:00 -03:00 straight to 01:00 -02:00 on 4 November 2018.
    const saoPaulo = new ServiceCalendar({
      timeZone: 'America/Sao_Paulo',
      clinicTime: '00:30',
      holidays: customHolidays,
    });
    expect(iso(saoPaulo.startOfDay('2018-11-04'))).toBe('2018-11-04T03:00:00.000Z');
    // 00:30 does not exist that day; it moves forward by the hour skipped, to 01:30 -02:00.
    expect(iso(saoPaulo.atClinicTime('2018-11-04'))).toBe('2018-11-04T03:30:00.000Z');
  });
});
