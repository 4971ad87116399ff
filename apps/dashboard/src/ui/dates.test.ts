import { describe, expect, it } from 'vitest';
import {
  daysFrom,
  formatCalendarDate,
  formatDate,
  formatDateTime,
  isTimeZone,
  localDate,
  overdueBy,
  relativeDays,
} from './dates';

describe('dates as the user reads them', () => {
  it('takes the calendar date in the user zone, not UTC', () => {
    // 23:30 UTC on 21 June is 00:30 on 22 June in London (BST) and still 21 June in New York.
    const instant = '2026-06-21T23:30:00Z';
    expect(localDate(instant, 'Europe/London')).toBe('2026-06-22');
    expect(localDate(instant, 'America/New_York')).toBe('2026-06-21');
    expect(localDate(instant, 'UTC')).toBe('2026-06-21');
  });

  it('counts calendar days, whatever the hour', () => {
    const now = new Date('2026-11-21T23:50:00Z');
    expect(daysFrom(now, '2026-11-22T00:10:00Z', 'Europe/London')).toBe(1);
    expect(daysFrom(now, '2026-11-21T00:10:00Z', 'Europe/London')).toBe(0);
    expect(daysFrom(now, '2026-11-16T12:00:00Z', 'Europe/London')).toBe(-5);
    // Across the clocks going back (25 October 2026): still whole days.
    expect(
      daysFrom(new Date('2026-10-24T12:00:00Z'), '2026-10-26T12:00:00Z', 'Europe/London'),
    ).toBe(2);
  });

  it('words relative days and lateness', () => {
    expect([-4, -1, 0, 1, 3].map(relativeDays)).toEqual([
      '4 days ago',
      'yesterday',
      'today',
      'tomorrow',
      'in 3 days',
    ]);
    expect([0, 1, 5].map(overdueBy)).toEqual([
      'overdue from today',
      '1 day overdue',
      '5 days overdue',
    ]);
  });

  it('formats dates and times in British English', () => {
    expect(formatCalendarDate('2026-11-23')).toBe('Mon 23 Nov 2026');
    expect(formatDate('2026-06-21T23:30:00Z', 'Europe/London')).toBe('Mon 22 Jun 2026');
    expect(formatDateTime('2026-06-21T08:05:00Z', 'Europe/London')).toBe('Sun 21 Jun 2026, 09:05');
  });

  it('recognises time zones', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('a time of something that happened, typed in the hour the clocks go back', () => {
  const zone = 'Europe/London';
  it('is now when the form’s default (now, to the minute) is left as shown, in either 01:xx', async () => {
    const { instantFromLocal, localInputValue } = await import('./dates');
    // Opened in the first 01:xx (BST) and saved two minutes later; then the same in the second.
    for (const opened of ['2026-10-25T00:45:00Z', '2026-10-25T01:45:00Z']) {
      const shown = localInputValue(opened, zone);
      expect(shown).toBe('2026-10-25T01:45');
      const saved = new Date(Date.parse(opened) + 2 * 60_000);
      expect(instantFromLocal(shown, zone, saved)?.toISOString()).toBe(
        new Date(opened).toISOString(),
      );
    }
  });

  it('is the latest reading that has passed; the earlier one when neither has', async () => {
    const { instantFromLocal } = await import('./dates');
    const later = new Date('2026-10-25T12:00:00Z');
    expect(instantFromLocal('2026-10-25T01:10', zone, later)?.toISOString()).toBe(
      '2026-10-25T01:10:00.000Z',
    );
    const before = new Date('2026-10-24T20:00:00Z');
    expect(instantFromLocal('2026-10-25T01:10', zone, before)?.toISOString()).toBe(
      '2026-10-25T00:10:00.000Z',
    );
    // Outside that hour there is one reading, whatever the limit.
    expect(instantFromLocal('2026-10-25T02:10', zone, before)?.toISOString()).toBe(
      '2026-10-25T02:10:00.000Z',
    );
  });
});

describe('wall-clock times from a form', () => {
  it('reads them in the user zone, across the clock changes', async () => {
    const { instantFromLocal, localInputValue } = await import('./dates');
    expect(instantFromLocal('2026-06-21T10:30', 'Europe/London')?.toISOString()).toBe(
      '2026-06-21T09:30:00.000Z',
    );
    expect(instantFromLocal('2026-01-21T10:30', 'Europe/London')?.toISOString()).toBe(
      '2026-01-21T10:30:00.000Z',
    );
    expect(instantFromLocal('2026-01-21T10:30', 'Asia/Kolkata')?.toISOString()).toBe(
      '2026-01-21T05:00:00.000Z',
    );
    // 01:30 on 29 March 2026 does not exist in London; it is read as GMT.
    expect(instantFromLocal('2026-03-29T01:30', 'Europe/London')?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 01:30 on 25 October 2026 happens twice: 00:30 UTC (BST), then 01:30 UTC (GMT).
    expect(instantFromLocal('2026-10-25T01:30', 'Europe/London')?.toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(instantFromLocal('2026-02-30T10:00', 'Europe/London')).toBeUndefined();
    expect(instantFromLocal('yesterday', 'Europe/London')).toBeUndefined();
    expect(localInputValue('2026-06-21T09:30:00Z', 'Europe/London')).toBe('2026-06-21T10:30');
  });
});
