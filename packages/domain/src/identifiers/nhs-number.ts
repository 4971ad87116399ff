/**
 * NHS number: ten digits, the last a Modulus 11 check digit (NHS Data Dictionary). Spaces and
 * hyphens as people type them ("943 476 5919") are accepted and removed.
 */
export type NhsNumberProblem =
  | { kind: 'format'; message: string }
  | { kind: 'check-digit'; message: string };

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

export function normaliseNhsNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** The problem with an NHS number, or undefined when it is valid. */
export function nhsNumberProblem(raw: string): NhsNumberProblem | undefined {
  const digits = normaliseNhsNumber(raw);
  if (!/^\d{10}$/.test(digits)) {
    return { kind: 'format', message: 'an NHS number has exactly 10 digits' };
  }
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(digits[i]) * (WEIGHTS[i] as number);
  const remainder = sum % 11;
  const expected = remainder === 0 ? 0 : 11 - remainder;
  if (expected === 10) {
    return {
      kind: 'check-digit',
      message: 'is not a valid NHS number (its first nine digits can never have a check digit)',
    };
  }
  if (expected !== Number(digits[9])) {
    return {
      kind: 'check-digit',
      message: `fails the Modulus 11 check (check digit should be ${expected}, not ${digits[9]}); check for a typing error`,
    };
  }
  return undefined;
}

export function isValidNhsNumber(raw: string): boolean {
  return nhsNumberProblem(raw) === undefined;
}

/** Formats a valid NHS number the way NHS systems display it: 3-3-4 digits. */
export function formatNhsNumber(raw: string): string {
  const digits = normaliseNhsNumber(raw);
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
