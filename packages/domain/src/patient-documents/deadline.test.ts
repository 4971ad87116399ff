import { describe, expect, it } from 'vitest';
import { serviceCalendar } from '../time/settings.js';
import { documentDeadline } from './deadline.js';

const calendar = serviceCalendar();
const deadline = (due: string, today: string, opens = '2026-01-01') =>
  documentDeadline({ opens, due }, today, calendar);

describe('documentDeadline', () => {
  it('gives an ordinary working day as the guideline date itself', () => {
    expect(deadline('2026-12-23', '2026-12-07')).toEqual({
      date: '2026-12-23',
      guidelineDate: '2026-12-23',
      passed: false,
    });
  });

  it('gives a weekend deadline as the Friday before it, never a later day', () => {
    expect(deadline('2027-02-28', '2026-12-07')).toEqual({
      date: '2027-02-26',
      guidelineDate: '2027-02-28',
      movedBecause: 'Sunday',
      passed: false,
    });
    expect(deadline('2027-02-27', '2026-12-07').date).toBe('2027-02-26');
  });

  it('gives a bank holiday deadline as the last working day before it, past the whole Christmas break', () => {
    // Christmas Day 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28th is its substitute.
    expect(deadline('2026-12-25', '2026-12-07')).toMatchObject({
      date: '2026-12-24',
      movedBecause: 'Christmas Day',
    });
    expect(deadline('2026-12-28', '2026-12-07')).toMatchObject({
      date: '2026-12-24',
      movedBecause: 'Boxing Day',
    });
    expect(deadline('2027-01-01', '2026-12-07')).toMatchObject({
      date: '2026-12-31',
      movedBecause: 'New Year’s Day',
    });
  });

  it('never moves before the window opens or before today: the guideline date stays, said to be no working day', () => {
    expect(deadline('2027-02-28', '2026-12-07', '2027-02-27')).toEqual({
      date: '2027-02-28',
      guidelineDate: '2027-02-28',
      notWorkingDay: 'Sunday',
      passed: false,
    });
    // Read on Saturday: the Friday before has gone.
    expect(deadline('2027-02-28', '2027-02-27')).toMatchObject({
      date: '2027-02-28',
      notWorkingDay: 'Sunday',
    });
  });

  it('marks a deadline before today as passed, keeping its date', () => {
    expect(deadline('2026-12-04', '2026-12-07')).toEqual({
      date: '2026-12-04',
      guidelineDate: '2026-12-04',
      passed: true,
    });
    // Today itself has not passed.
    expect(deadline('2026-12-07', '2026-12-07').passed).toBe(false);
  });
});
