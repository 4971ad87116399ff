/**
 * How far a window edge lies from its anchor.
 *
 * Hours are exact elapsed time (a 48-hour review is 48 real hours later, even across a clock
 * change). Days, weeks, months and years are calendar arithmetic on local dates in the service's
 * time zone. A single offset is one or the other, never both, so nobody has to guess which rule
 * applies to "1 day and 3 hours".
 */
export type ExactOffset = { readonly hours: number };
export type CalendarOffset = {
  readonly days?: number;
  readonly weeks?: number;
  readonly months?: number;
  readonly years?: number;
};
export type Offset = ExactOffset | CalendarOffset;

export function isExactOffset(offset: Offset): offset is ExactOffset {
  return 'hours' in offset;
}

const CALENDAR_UNITS = ['years', 'months', 'weeks', 'days'] as const;

/** "12 weeks", "6 months 4 weeks", "48 hours", "at once". */
export function describeOffset(offset: Offset): string {
  if (isExactOffset(offset)) {
    return offset.hours === 0 ? 'at once' : plural(offset.hours, 'hour');
  }
  const parts = CALENDAR_UNITS.flatMap((unit) => {
    const value = offset[unit];
    return value ? [plural(value, unit.slice(0, -1))] : [];
  });
  return parts.length === 0 ? 'at once' : parts.join(' ');
}

function plural(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}
