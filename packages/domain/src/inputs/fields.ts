import { z } from 'zod';
import { multiLineText } from './text.js';

/** Field builders whose rejections say what was expected in words a nurse or integrator reads. */

export const isoDate = () =>
  z.iso.date({ error: 'must be a calendar date written YYYY-MM-DD, e.g. 2025-03-14' });

export const isoDateTime = () =>
  z.iso.datetime({
    offset: true,
    error:
      'must be a date and time with a time zone, e.g. 2025-03-14T09:30:00Z or 2025-03-14T09:30:00+01:00',
  });

export const identifier = (what: string) =>
  z
    .string({ error: `must be the ${what} as text` })
    .trim()
    .min(1, { error: `must not be empty (the ${what})` })
    .max(100, { error: `must be at most 100 characters (the ${what})` })
    .regex(/^[A-Za-z0-9._~-]+$/, {
      error: `may contain only letters, digits and . _ ~ - (the ${what})`,
    });

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(', ')}` });

export const yesNo = () => z.boolean({ error: 'must be true or false' });

export const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

export const decimal = (min: number, max: number, unit = '') =>
  z
    .number({ error: `must be a number from ${min} to ${max}${unit}` })
    .min(min, { error: `must be a number from ${min} to ${max}${unit}` })
    .max(max, { error: `must be a number from ${min} to ${max}${unit}` });

/** Notes and reasons: multi-line, and refused with a named error for control characters. */
export const freeText = (max = 2000) => multiLineText(max);
