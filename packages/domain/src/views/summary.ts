export { fractureDatesInPhase, phaseLabel, phaseOf } from '../pathway/phases.js';

import { effectiveHistory, timed } from '../inputs/history.js';
import type { ClinicalEvent, EventOf } from '../inputs/schemas.js';
import type { PathwayDefinition } from '../pathway/definition.js';
import { type PainBand, painBand, worstNrs } from '../pathway/facts.js';
import { type AgeContext, type RecordedValueAge, recordedValueAge } from '../pathway/staleness.js';

export interface PainSummary {
  readonly latest: {
    readonly eventId: string;
    readonly occurredAt: string;
    readonly atRest: number;
    readonly onActivity: number;
    /** The worse of the two scores, which the pathway's bands apply to. */
    readonly worst: number;
    readonly band: PainBand;
    /** Its date and age, and whether it is older than the pathway version's limit for pain. */
    readonly age: RecordedValueAge;
  };
  /** Compared with the assessment before it (by the worse score), if there is one. */
  readonly trend: 'better' | 'worse' | 'same' | 'first';
  readonly previousWorst: number | undefined;
}

/**
 * The latest pain assessment that still counts (corrections and withdrawals applied) as of an
 * instant, its date and age, and how it compares with the one before. Undefined when no pain
 * assessment stands.
 */
export function painSummary(
  events: readonly ClinicalEvent[],
  definition: Pick<PathwayDefinition, 'painBands' | 'phases' | 'staleness'>,
  context: AgeContext,
): PainSummary | undefined {
  // As the plan reads them: what was recorded by the instant, then what had happened by then.
  const known = events.map(timed).filter((item) => item.recordedAt <= context.asOf);
  const pains = effectiveHistory(known)
    .filter((item) => item.occurredAt <= context.asOf)
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
      age: recordedValueAge(
        definition,
        'pain-assessment',
        { eventId: latest.id, occurredAt: Date.parse(latest.occurredAt) },
        context,
      ),
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
