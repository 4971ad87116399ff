import type { EpochMs, LocalDate, ServiceCalendar } from '../time/calendar.js';
import { toIso } from '../time/calendar.js';
import { addToCivilDate, MONTHS_IN_FULL } from '../time/civil-date.js';
import type { PathwayDefinition, RecordedValueKind, StalenessLimit } from './definition.js';
import { phaseOf } from './phases.js';
import type { TimingBasis } from './sources.js';

// How old a recorded value is, and whether it is too old to act on. Advice read from a value
// states the value's date; a value older than its pathway version's limit is flagged, and the
// plan asks for a new assessment instead of repeating its advice (hazard log: advice from stale
// data).

/** What each recorded value is called in the plan's words. */
export const RECORDED_VALUE_NAMES: Readonly<Record<RecordedValueKind, string>> = {
  'pain-assessment': 'pain assessment',
  'psychological-screen': 'psychological screen',
  'fracture-risk-assessment': 'fracture-risk assessment',
  'follow-up-contact': 'follow-up contact',
};

/** A recorded value's date and age as of an instant, with the limit it was judged against. */
export interface RecordedValueAge {
  readonly what: RecordedValueKind;
  readonly eventId: string;
  /** When it happened (ISO instant). */
  readonly at: string;
  /** The day it happened on the service's calendar. */
  readonly on: LocalDate;
  /** Whole service-calendar days from that day to the day of the instant. */
  readonly ageDays: number;
  /** Stale when ageDays is above this; undefined when the version sets no limit. */
  readonly limitDays: number | undefined;
  readonly limitBasis: TimingBasis | undefined;
  readonly stale: boolean;
}

export interface AgeContext {
  readonly asOf: EpochMs;
  readonly fractureDate: LocalDate;
  readonly calendar: ServiceCalendar;
}

/** The limit in days for a value recorded on a given day, or undefined for none. */
export function limitDaysFor(
  definition: Pick<PathwayDefinition, 'phases'>,
  limit: StalenessLimit | undefined,
  daysAfterFracture: number,
): number | undefined {
  if (!limit || limit.days === null) return undefined;
  if (typeof limit.days === 'number') return limit.days;
  return limit.days[phaseOf(definition.phases, daysAfterFracture)];
}

export function recordedValueAge(
  definition: Pick<PathwayDefinition, 'phases' | 'staleness'>,
  what: RecordedValueKind,
  item: { readonly eventId: string; readonly occurredAt: EpochMs },
  context: AgeContext,
): RecordedValueAge {
  const { calendar } = context;
  const on = calendar.localDate(item.occurredAt);
  const today = calendar.localDate(context.asOf);
  const ageDays = calendar.daysBetween(on, today);
  const limit = definition.staleness?.[what];
  const limitDays = limitDaysFor(definition, limit, calendar.daysBetween(context.fractureDate, on));
  return {
    what,
    eventId: item.eventId,
    at: toIso(item.occurredAt),
    on,
    ageDays,
    limitDays,
    limitBasis: limit?.basis,
    stale: limitDays !== undefined && today >= firstStaleDay(on, limitDays),
  };
}

/**
 * The first service day on which a value recorded on `on` is stale under a limit of `limitDays`:
 * the day its age passes the limit (a 7-day limit: recorded on the 12th, stale from the 20th).
 * The one statement of the rule: recordedValueAge's `stale` is "today is on or after this day".
 */
export function firstStaleDay(on: LocalDate, limitDays: number): LocalDate {
  return addToCivilDate(on, { days: limitDays + 1 });
}

/** "12 May 2026" for a calendar date (YYYY-MM-DD). */
export function dayInWords(date: LocalDate): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS_IN_FULL[(month ?? 1) - 1]} ${year}`;
}

/** "today", "yesterday", "219 days ago". */
export function ageInWords(ageDays: number): string {
  if (ageDays <= 0) return 'today';
  if (ageDays === 1) return 'yesterday';
  return `${ageDays} days ago`;
}

/** "the pain assessment of 12 May 2026, 219 days ago". */
export function describeRecordedValue(age: RecordedValueAge): string {
  return `the ${RECORDED_VALUE_NAMES[age.what]} of ${dayInWords(age.on)}, ${ageInWords(age.ageDays)}`;
}

/** "7 days (recorded in the acute phase)"-style words for a limit, for documents. */
export function describeLimitDays(limit: StalenessLimit): string {
  if (limit.days === null) return 'no limit';
  if (typeof limit.days === 'number') return `older than ${limit.days} days`;
  const { acute, subacute, chronic } = limit.days;
  return `older than ${acute} days if recorded in the acute phase, ${subacute} days in the subacute phase, ${chronic} days in the chronic phase`;
}
