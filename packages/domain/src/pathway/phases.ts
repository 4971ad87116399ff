import type { Phase } from '../plan/types.js';
import type { PathwayDefinition } from './definition.js';

// The one definition of the phases of recovery: each pathway version gives its day limits, and
// steps, recommendations, lists and SQL all read them from here (conditions name a phase through
// the phase facts instead of repeating a limit).

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
