import { describe, expect, it } from 'vitest';
import { formatDuration } from './durations';

describe('durations', () => {
  it('uses at most two units, with decimals only for a few seconds', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(250)).toBe('0.25 s');
    expect(formatDuration(2_340)).toBe('2.3 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(600_000)).toBe('10 min');
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000 + 30_000)).toBe('3 h 12 min');
    expect(formatDuration(86_400_000)).toBe('1 day');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2 days 3 h');
  });

  it('shows a dash for what is not a duration', () => {
    expect(formatDuration(-1)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});
