import { describe, expect, it } from 'vitest';
import { lastTwelveMonths, parseKpiPeriod } from './period';

describe('KPI period', () => {
  it('defaults to the twelve months up to today', () => {
    expect(lastTwelveMonths('2026-11-21')).toEqual({ from: '2025-11-22', to: '2026-11-21' });
    expect(lastTwelveMonths('2027-03-01')).toEqual({ from: '2026-03-02', to: '2027-03-01' });
    // Today is 29 February: the period starts on 1 March last year.
    expect(lastTwelveMonths('2028-02-29')).toEqual({ from: '2027-03-01', to: '2028-02-29' });
    expect(lastTwelveMonths('2027-01-01')).toEqual({ from: '2026-01-02', to: '2027-01-01' });
    expect(parseKpiPeriod({}, '2026-11-21')).toEqual({
      values: { from: '2025-11-22', to: '2026-11-21' },
      period: { from: '2025-11-22', to: '2026-11-21' },
      problems: {},
    });
  });

  it('takes the dates given, one day included', () => {
    expect(parseKpiPeriod({ from: '2026-01-01', to: '2026-01-01' }, '2026-11-21').period).toEqual({
      from: '2026-01-01',
      to: '2026-01-01',
    });
  });

  it('says what is wrong with a period it cannot use, keeping what was typed', () => {
    const reversed = parseKpiPeriod({ from: '2026-05-01', to: '2026-04-01' }, '2026-11-21');
    expect(reversed.period).toBeUndefined();
    expect(reversed.problems).toEqual({ to: 'The end of the period is before its start.' });
    const bad = parseKpiPeriod({ from: '2026-02-30', to: 'soon' }, '2026-11-21');
    expect(bad.values).toEqual({ from: '2026-02-30', to: 'soon' });
    expect(Object.keys(bad.problems).sort()).toEqual(['from', 'to']);
    expect(parseKpiPeriod({ from: '2000-01-01', to: '2026-01-01' }, '2026-11-21').problems.to).toBe(
      'Choose a period of at most ten years.',
    );
  });
});
