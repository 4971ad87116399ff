import { describe, expect, it } from 'vitest';
import { isCalendarDate, nextCalendarDate, startOfLocalDay } from './local-day';

describe('the start of a local day', () => {
  it('follows the zone, in summer and winter time', () => {
    expect(startOfLocalDay('2026-01-15', 'Europe/London').toISOString()).toBe(
      '2026-01-15T00:00:00.000Z',
    );
    expect(startOfLocalDay('2026-07-15', 'Europe/London').toISOString()).toBe(
      '2026-07-14T23:00:00.000Z',
    );
    expect(startOfLocalDay('2026-07-15', 'America/New_York').toISOString()).toBe(
      '2026-07-15T04:00:00.000Z',
    );
    expect(startOfLocalDay('2026-07-15', 'Pacific/Auckland').toISOString()).toBe(
      '2026-07-14T12:00:00.000Z',
    );
    expect(startOfLocalDay('2026-07-15', 'Asia/Kolkata').toISOString()).toBe(
      '2026-07-14T18:30:00.000Z',
    );
  });

  it('is right on the days the clocks change', () => {
    // Clocks go forward at 01:00 GMT on 29 March 2026 and back at 01:00 GMT on 25 October.
    expect(startOfLocalDay('2026-03-29', 'Europe/London').toISOString()).toBe(
      '2026-03-29T00:00:00.000Z',
    );
    expect(startOfLocalDay('2026-03-30', 'Europe/London').toISOString()).toBe(
      '2026-03-29T23:00:00.000Z',
    );
    expect(startOfLocalDay('2026-10-25', 'Europe/London').toISOString()).toBe(
      '2026-10-24T23:00:00.000Z',
    );
    expect(startOfLocalDay('2026-10-26', 'Europe/London').toISOString()).toBe(
      '2026-10-26T00:00:00.000Z',
    );
    // Santiago's clocks go forward at midnight: 6 September 2026 starts at 01:00 local time.
    expect(startOfLocalDay('2026-09-06', 'America/Santiago').toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('refuses what is not a date, and steps to the next day', () => {
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(() => startOfLocalDay('yesterday', 'Europe/London')).toThrow(/not a date/);
    expect(nextCalendarDate('2026-12-31')).toBe('2027-01-01');
  });
});
