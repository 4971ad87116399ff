import { describe, expect, it } from 'vitest';
import {
  easterSunday,
  englandAndWalesBankHolidays,
  standingBankHolidays,
} from './bank-holidays.js';
import {
  OFFICIAL_FIRST_YEAR,
  OFFICIAL_HOLIDAYS,
  OFFICIAL_LAST_YEAR,
} from './england-and-wales-holidays.data.js';

type Holiday = readonly [date: string, title: string];

/**
 * The one-off changes the government made to the standing rules in the official years. Applying
 * these to standingBankHolidays(year) must give exactly the official list for that year.
 */
const ONE_OFF_CHANGES: Record<number, { remove: string[]; add: Holiday[] }> = {
  2020: {
    // The Early May bank holiday moved from Monday 4 May to Friday 8 May for the 75th
    // anniversary of VE day.
    remove: ['2020-05-04'],
    add: [['2020-05-08', 'Early May bank holiday (VE day)']],
  },
  2022: {
    // The Spring bank holiday moved from Monday 30 May to Thursday 2 June, with an extra day on
    // Friday 3 June, for the Platinum Jubilee; and Monday 19 September was added for the state
    // funeral of Queen Elizabeth II.
    remove: ['2022-05-30'],
    add: [
      ['2022-06-02', 'Spring bank holiday'],
      ['2022-06-03', 'Platinum Jubilee bank holiday'],
      ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
    ],
  },
  2023: {
    // Monday 8 May was added for the coronation of King Charles III.
    remove: [],
    add: [['2023-05-08', 'Bank holiday for the coronation of King Charles III']],
  },
};

function officialFor(year: number): Holiday[] {
  return OFFICIAL_HOLIDAYS.filter(([date]) => date.startsWith(`${year}-`));
}

function standingWithOneOffs(year: number): Holiday[] {
  const change = ONE_OFF_CHANGES[year] ?? { remove: [], add: [] };
  return [
    ...standingBankHolidays(year).filter(([date]) => !change.remove.includes(date)),
    ...change.add,
  ].sort(([a], [b]) => a.localeCompare(b));
}

const officialYears = Array.from(
  { length: OFFICIAL_LAST_YEAR - OFFICIAL_FIRST_YEAR + 1 },
  (_, i) => OFFICIAL_FIRST_YEAR + i,
);

describe('the standing rules reproduce the official list', () => {
  it('covers 2019 to 2027 (the years this table of one-off changes was checked against)', () => {
    expect(officialYears).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]);
  });

  it.each(officialYears)('in %i, once one-off changes are applied', (year) => {
    const official = officialFor(year);
    expect(official.length).toBeGreaterThanOrEqual(8);
    expect(standingWithOneOffs(year)).toEqual(official);
  });

  it('differ from the official list exactly in the years with one-off changes', () => {
    const differing = officialYears.filter(
      (year) => JSON.stringify(standingBankHolidays(year)) !== JSON.stringify(officialFor(year)),
    );
    expect(differing).toEqual([2020, 2022, 2023]);
  });
});

describe('standing rules: substitute days', () => {
  it('moves New Year’s Day on a Saturday to Monday 3 January (2028)', () => {
    expect(standingBankHolidays(2028)[0]).toEqual(['2028-01-03', 'New Year’s Day']);
  });

  it('moves New Year’s Day on a Sunday to Monday 2 January (2034)', () => {
    expect(standingBankHolidays(2034)[0]).toEqual(['2034-01-02', 'New Year’s Day']);
  });

  it('moves Christmas Day on a Saturday to Monday 27 and Boxing Day to Tuesday 28 (2032)', () => {
    expect(standingBankHolidays(2032).slice(-2)).toEqual([
      ['2032-12-27', 'Christmas Day'],
      ['2032-12-28', 'Boxing Day'],
    ]);
  });

  it('keeps Christmas Day on a Sunday as a Tuesday holiday after Boxing Day on Monday (2033)', () => {
    expect(standingBankHolidays(2033).slice(-2)).toEqual([
      ['2033-12-26', 'Boxing Day'],
      ['2033-12-27', 'Christmas Day'],
    ]);
  });

  it('returns the eight holidays in date order', () => {
    const dates = standingBankHolidays(2030).map(([date]) => date);
    expect(dates).toEqual([
      '2030-01-01',
      '2030-04-19',
      '2030-04-22',
      '2030-05-06',
      '2030-05-27',
      '2030-08-26',
      '2030-12-25',
      '2030-12-26',
    ]);
  });
});

describe('englandAndWalesBankHolidays', () => {
  const holidays = englandAndWalesBankHolidays();

  it('names every official holiday exactly as the official list does, never as projected', () => {
    for (const [date, title] of OFFICIAL_HOLIDAYS) {
      expect(holidays.holidayOn(date), date).toBe(title);
    }
  });

  it('follows the official list over the standing rules in official years', () => {
    // The standing rules would make these holidays; the official list moved them.
    expect(holidays.holidayOn('2020-05-04')).toBeUndefined();
    expect(holidays.holidayOn('2022-05-30')).toBeUndefined();
  });

  it('has no holiday on an ordinary official-year weekday', () => {
    expect(holidays.holidayOn('2025-04-17')).toBeUndefined();
  });

  it('projects holidays past the official list from the standing rules, marked "(projected)"', () => {
    expect(holidays.holidayOn('2030-12-25')).toBe('Christmas Day (projected)');
    // Easter Sunday 2030 is 21 April.
    expect(holidays.holidayOn('2030-04-19')).toBe('Good Friday (projected)');
    expect(holidays.holidayOn('2030-04-22')).toBe('Easter Monday (projected)');
    expect(holidays.holidayOn('2030-04-18')).toBeUndefined();
  });

  it('projects years before the official list too', () => {
    expect(holidays.holidayOn('2018-12-25')).toBe('Christmas Day (projected)');
  });

  it('says where its dates come from', () => {
    expect(holidays.description).toContain('official list 2019-2027');
    expect(holidays.description).toContain('projected');
  });
});

describe('easterSunday', () => {
  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2030, '2030-04-21'],
    [2038, '2038-04-25'], // the latest possible date
    [2285, '2285-03-22'], // the earliest possible date
  ])('is correct for %i', (year, expected) => {
    expect(easterSunday(year).toISOString()).toBe(`${expected}T00:00:00.000Z`);
  });
});
