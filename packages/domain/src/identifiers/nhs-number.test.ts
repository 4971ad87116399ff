import { describe, expect, it } from 'vitest';
import {
  formatNhsNumber,
  isValidNhsNumber,
  nhsNumberProblem,
  normaliseNhsNumber,
} from './nhs-number.js';

describe('a valid NHS number', () => {
  it.each(['9434765919', '4010232137', '4505577104'])('accepts %s', (value) => {
    expect(nhsNumberProblem(value)).toBeUndefined();
    expect(isValidNhsNumber(value)).toBe(true);
  });

  it('accepts a check digit of 0 when the weighted sum is a multiple of 11', () => {
    // 4×10 + 2×2 = 44 = 4 × 11, so the check digit is 0 (not 11).
    expect(isValidNhsNumber('4000000020')).toBe(true);
    expect(isValidNhsNumber('4000000021')).toBe(false);
  });

  it.each(['943 476 5919', '943-476-5919', ' 943 476-5919 ', '9434 765919'])(
    'accepts %j as typed, with spaces and hyphens',
    (value) => {
      expect(isValidNhsNumber(value)).toBe(true);
      expect(normaliseNhsNumber(value)).toBe('9434765919');
    },
  );
});

describe('a mistyped NHS number', () => {
  it('names the check digit it should have had', () => {
    const problem = nhsNumberProblem('9434765918');
    expect(problem?.kind).toBe('check-digit');
    expect(problem?.message).toContain('check digit should be 9, not 8');
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });

  it('catches two transposed digits', () => {
    // 9434765919 with the 2nd and 3rd digits swapped.
    expect(nhsNumberProblem('9344765919')?.kind).toBe('check-digit');
  });

  it('is rejected whatever its last digit when the first nine need a check digit of 10', () => {
    // 1×10 + 2×9 + … + 9×2 = 210; 210 mod 11 = 1; 11 − 1 = 10, which no single digit can be.
    for (let last = 0; last <= 9; last++) {
      const problem = nhsNumberProblem(`123456789${last}`);
      expect(problem?.kind).toBe('check-digit');
      expect(problem?.message).toMatch(/can never have a check digit/);
    }
  });
});

describe('something that is not ten digits', () => {
  it.each([
    ['nine digits', '943476591'],
    ['eleven digits', '94347659190'],
    ['letters', '94347659AB'],
    ['a letter O for a zero', '4O00000020'],
    ['the empty string', ''],
    ['other punctuation', '943.476.5919'],
  ])('is a format problem: %s', (_label, value) => {
    expect(nhsNumberProblem(value)).toEqual({
      kind: 'format',
      message: 'an NHS number has exactly 10 digits',
    });
    expect(isValidNhsNumber(value)).toBe(false);
  });
});

describe('formatNhsNumber', () => {
  it('shows 3-3-4 digit groups', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });

  it('regroups a number typed with hyphens or irregular spaces', () => {
    expect(formatNhsNumber('943-476-5919')).toBe('943 476 5919');
    expect(formatNhsNumber('94 347 65919')).toBe('943 476 5919');
  });
});
