import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { addToCivilDate, fromEpochDay, isoDayOfWeek, toEpochDay } from './civil-date.js';

// Any date from 1900 to 2200, as days since 1970-01-01.
const epochDay = fc.integer({ min: -25_567, max: 84_006 });
const temporalDate = (day: number) => Temporal.PlainDate.from('1970-01-01').add({ days: day });

describe('civil date arithmetic agrees with Temporal', () => {
  it('round-trips dates through epoch days', () => {
    fc.assert(
      fc.property(epochDay, (day) => {
        const text = temporalDate(day).toString();
        expect(fromEpochDay(day)).toBe(text);
        expect(toEpochDay(text)).toBe(day);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the ISO day of the week', () => {
    fc.assert(
      fc.property(epochDay, (day) => {
        const date = temporalDate(day);
        expect(isoDayOfWeek(date.toString())).toBe(date.dayOfWeek);
      }),
      { numRuns: 2000 },
    );
  });

  it('adds years, months, weeks and days with month-end clamping, as Temporal does', () => {
    // Temporal durations have one sign throughout; windows only ever add.
    const offset = fc
      .record({
        years: fc.integer({ min: 0, max: 10 }),
        months: fc.integer({ min: 0, max: 30 }),
        weeks: fc.integer({ min: 0, max: 60 }),
        days: fc.integer({ min: 0, max: 400 }),
      })
      .chain((by) =>
        fc.constantFrom(1, -1).map((sign) => ({
          years: sign * by.years,
          months: sign * by.months,
          weeks: sign * by.weeks,
          days: sign * by.days,
        })),
      );
    fc.assert(
      fc.property(epochDay, offset, (day, by) => {
        const date = temporalDate(day);
        expect(addToCivilDate(date.toString(), by)).toBe(date.add(by).toString());
      }),
      { numRuns: 3000 },
    );
  });

  it('clamps at month ends and leap days', () => {
    expect(addToCivilDate('2025-01-31', { months: 1 })).toBe('2025-02-28');
    expect(addToCivilDate('2024-01-31', { months: 1 })).toBe('2024-02-29');
    expect(addToCivilDate('2024-02-29', { years: 1 })).toBe('2025-02-28');
    expect(addToCivilDate('2025-08-31', { months: 6, weeks: 4 })).toBe('2026-03-28');
  });
});
