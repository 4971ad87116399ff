import { formatNhsNumber } from '@vfx/domain';

/**
 * A patient's name, written one way on every page and export: given name, then family name, as
 * entered ("Tobias Sorrel"); never capitalised or reversed. A list sorted by family name still
 * shows the name this way.
 */
export function patientName(patient: {
  readonly givenName: string;
  readonly familyName: string;
}): string {
  return `${patient.givenName.trim()} ${patient.familyName.trim()}`.trim();
}

/** "NHS 999 000 1197" or "MRN A1234", as colleagues read them aloud. */
export function formatIdentifier(kind: string, value: string): string {
  return kind === 'nhs-number' ? `NHS ${formatNhsNumber(value)}` : `MRN ${value}`;
}

/** Whole years of age on a date (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
