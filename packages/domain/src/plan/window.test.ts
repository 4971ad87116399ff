import { describe, expect, it } from 'vitest';
import { statusBehind } from './window.js';

const T = { open: 1_000, due: 2_000, overdue: 3_000 };

describe('statusBehind', () => {
  it('is true only when the window gives a later status at the instant than the one stored', () => {
    expect(statusBehind('upcoming', T, 1_500)).toBe(true);
    expect(statusBehind('open', T, 1_500)).toBe(false);
    expect(statusBehind('due', T, 2_500)).toBe(false);
    expect(statusBehind('due', T, 3_000)).toBe(true);
    // Ahead of the instant (planned later): the change is shown already.
    expect(statusBehind('overdue', T, 1_500)).toBe(false);
  });

  it('is false for a step that needs no action', () => {
    expect(statusBehind('completed', T, 3_500)).toBe(false);
    expect(statusBehind('cancelled', T, 3_500)).toBe(false);
  });
});
