import { effectiveHistory, timed } from '../inputs/history.js';
import type { ClinicalEvent, EventOf } from '../inputs/schemas.js';
import type { PathwayDefinition } from '../pathway/definition.js';
import { type PainBand, painBand, worstNrs } from '../pathway/facts.js';
import type { Phase } from '../plan/types.js';

/** The phase of recovery on a given day after the fracture, as the pathway version defines it. */
export function phaseOf(phases: PathwayDefinition['phases'], daysSinceFracture: number): Phase {
  if (daysSinceFracture < phases.acuteUntilDay) return 'acute';
  if (daysSinceFracture < phases.subacuteUntilDay) return 'subacute';
  return 'chronic';
}

/** "Acute (weeks 0-6)" and so on, from the pathway version's own day limits. */
export function phaseLabel(phases: PathwayDefinition['phases'], phase: Phase): string {
  const weeks = (day: number) => Math.round(day / 7);
  if (phase === 'acute') return `Acute (weeks 0-${weeks(phases.acuteUntilDay)})`;
  if (phase === 'subacute') {
    return `Subacute (weeks ${weeks(phases.acuteUntilDay)}-${weeks(phases.subacuteUntilDay)})`;
  }
  return `Chronic (after week ${weeks(phases.subacuteUntilDay)})`;
}

export interface PainSummary {
  readonly latest: {
    readonly eventId: string;
    readonly occurredAt: string;
    readonly atRest: number;
    readonly onActivity: number;
    /** The worse of the two scores, which the pathway's bands apply to. */
    readonly worst: number;
    readonly band: PainBand;
  };
  /** Compared with the assessment before it (by the worse score), if there is one. */
  readonly trend: 'better' | 'worse' | 'same' | 'first';
  readonly previousWorst: number | undefined;
}

/**
 * The latest pain assessment that still counts (corrections and withdrawals applied) and how it
 * compares with the one before. Undefined when no pain assessment stands.
 */
export function painSummary(
  events: readonly ClinicalEvent[],
  definition: Pick<PathwayDefinition, 'painBands'>,
): PainSummary | undefined {
  const pains = effectiveHistory(events.map(timed))
    .map(({ event }) => event)
    .filter((event): event is EventOf<'pain-assessment'> => event.type === 'pain-assessment');
  const latest = pains.at(-1);
  if (!latest) return undefined;
  const previous = pains.at(-2);
  const worst = worstNrs(latest);
  const previousWorst = previous ? worstNrs(previous) : undefined;
  return {
    latest: {
      eventId: latest.id,
      occurredAt: latest.occurredAt,
      atRest: latest.nrsAtRest,
      onActivity: latest.nrsOnActivity,
      worst,
      band: painBand(worst, definition.painBands),
    },
    trend:
      previousWorst === undefined
        ? 'first'
        : worst < previousWorst
          ? 'better'
          : worst > previousWorst
            ? 'worse'
            : 'same',
    previousWorst,
  };
}

const DAY_MS = 86_400_000;
const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Which fracture dates put an episode in a phase on a given day (both YYYY-MM-DD): after
 * `after` and on or before `onOrBefore` where given. The same limits as phaseOf, for lists that
 * filter by phase in a query.
 */
export function fractureDatesInPhase(
  phases: PathwayDefinition['phases'],
  phase: Phase,
  today: string,
): { readonly after?: string; readonly onOrBefore?: string } {
  // daysSinceFracture = today - fractureDate; a phase holds while it is below its limit.
  const acuteFrom = shiftDate(today, -phases.acuteUntilDay);
  const subacuteFrom = shiftDate(today, -phases.subacuteUntilDay);
  if (phase === 'acute') return { after: acuteFrom };
  if (phase === 'subacute') return { after: subacuteFrom, onOrBefore: acuteFrom };
  return { onOrBefore: subacuteFrom };
}
