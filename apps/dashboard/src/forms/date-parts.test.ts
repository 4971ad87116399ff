import { describe, expect, it } from 'vitest';
import { instantFromLocal } from '@/ui/dates';
import { boxesOf, joinDates, readBoxes, splitDate } from './date-parts';

describe('date boxes', () => {
  it('reads day, month and year as a calendar date, with or without leading zeros', () => {
    expect(readBoxes({ day: '2', month: '7', year: '1948' })).toEqual({
      kind: 'date',
      text: '1948-07-02',
    });
    expect(readBoxes({ day: '02', month: 'Jul', year: '1948' })).toEqual({
      kind: 'date',
      text: '1948-07-02',
    });
    expect(readBoxes({ day: ' ', month: '', year: '' })).toEqual({ kind: 'empty' });
  });

  it('says what is missing or wrong instead of guessing', () => {
    expect(readBoxes({ day: '2', month: '', year: '' })).toMatchObject({
      problem: 'must include a month and a year',
    });
    expect(readBoxes({ day: '31', month: '2', year: '2026' })).toMatchObject({
      problem: 'must be a real date, e.g. 14 3 2026',
      text: '31/2/2026',
    });
    expect(readBoxes({ day: '1', month: '2', year: '26' })).toMatchObject({
      problem: 'must have a year of 4 digits, e.g. 2026',
    });
    expect(readBoxes({ day: '1', month: '2', year: '2026', time: '' })).toMatchObject({
      problem: 'must include a time',
    });
    expect(readBoxes({ day: '1', month: '2', year: '2026', time: '24:00' })).toMatchObject({
      kind: 'problem',
    });
  });

  it('reads a date and 24-hour time as the wall-clock text the zone rules read', () => {
    const reading = readBoxes({ day: '25', month: '10', year: '2026', time: '1:30' });
    expect(reading).toEqual({ kind: 'date', text: '2026-10-25T01:30' });
    // The night the clocks go back: the same rules as before the boxes (the later 01:30 that
    // has passed by then).
    expect(
      instantFromLocal(
        (reading as { text: string }).text,
        'Europe/London',
        new Date('2026-10-25T12:00:00Z'),
      )?.toISOString(),
    ).toBe('2026-10-25T01:30:00.000Z');
  });

  it('splits a value into boxes and prefers what was typed', () => {
    expect(splitDate('2026-03-04T09:05')).toEqual({
      day: '4',
      month: '3',
      year: '2026',
      time: '09:05',
    });
    expect(boxesOf({ d: '2026-03-04' }, 'd')).toEqual({ day: '4', month: '3', year: '2026' });
    expect(boxesOf({ d: '', 'd-day': '31', 'd-month': '2', 'd-year': '2026' }, 'd')).toEqual({
      day: '31',
      month: '2',
      year: '2026',
    });
  });

  it('joins every date field of a form and keeps the boxes as typed', () => {
    const joined = joinDates({
      'patient.dateOfBirth-day': '2',
      'patient.dateOfBirth-month': '7',
      'patient.dateOfBirth-year': '1948',
      'episode.fractureDate-day': '31',
      'episode.fractureDate-month': '2',
      'episode.fractureDate-year': '2026',
      'patient.sex': 'female',
    });
    expect(joined.values['patient.dateOfBirth']).toBe('1948-07-02');
    expect(joined.values['episode.fractureDate']).toBe('31/2/2026');
    expect(joined.values['episode.fractureDate-day']).toBe('31');
    expect(joined.values['patient.sex']).toBe('female');
    expect(joined.problems).toEqual({
      'episode.fractureDate': 'must be a real date, e.g. 14 3 2026',
    });
  });
});
