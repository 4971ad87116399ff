// Window edges as FHIR Durations. The codes are UCUM (https://ucum.org/ucum, "units of time":
// h hour, d day, wk week, mo month, a year), the system FHIR R4 requires for a Duration with a
// code (Duration invariant drt-1, http://hl7.org/fhir/R4/datatypes.html#Duration); the same codes
// are FHIR's UnitsOfTime (http://hl7.org/fhir/R4/valueset-units-of-time.html).
import type { Duration } from '@medplum/fhirtypes';
import { describeOffset, type Offset } from '@vfx/domain';

export const UCUM = 'http://unitsofmeasure.org';

const UNITS = [
  ['years', 'a', 'years'],
  ['months', 'mo', 'months'],
  ['weeks', 'wk', 'weeks'],
  ['days', 'd', 'days'],
] as const;

/**
 * The offset as one Duration, or undefined when it has parts in two units ("6 months 4 weeks"):
 * the pathway adds those on the calendar part by part, which no single UCUM quantity states
 * (a UCUM month is a fixed 30.4375 days). Callers then give the offset in words instead.
 */
export function offsetDuration(offset: Offset): Duration | undefined {
  if ('hours' in offset) return duration(offset.hours, 'h', 'hours');
  const parts = UNITS.filter(([field]) => (offset[field] ?? 0) !== 0);
  if (parts.length === 0) return duration(0, 'd', 'days');
  if (parts.length > 1) return undefined;
  const [field, code, unit] = parts[0] as (typeof UNITS)[number];
  return duration(offset[field] ?? 0, code, unit);
}

/** The offset in the pathway document's words: "12 weeks", "6 months 4 weeks", "at once". */
export function offsetWords(offset: Offset): string {
  return describeOffset(offset);
}

function duration(value: number, code: string, unit: string): Duration {
  return { value, unit, system: UCUM, code };
}
