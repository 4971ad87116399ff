// What every mapper shares: references between the resources of one patient, and which recorded
// entries stand (corrections and withdrawals followed).
import type {
  CarePlan,
  Condition,
  EpisodeOfCare,
  Patient,
  Practitioner,
  Reference,
} from '@medplum/fhirtypes';
import type { ClinicalEvent } from '@vfx/domain';
import { fhirId } from '../ids.js';

export const patientReference = (patientId: string): Reference<Patient> => ({
  reference: `Patient/${fhirId(patientId)}`,
});
export const episodeOfCareReference = (episodeId: string): Reference<EpisodeOfCare> => ({
  reference: `EpisodeOfCare/${fhirId(episodeId)}`,
});
export const carePlanReference = (episodeId: string): Reference<CarePlan> => ({
  reference: `CarePlan/${fhirId(episodeId)}`,
});
export const conditionReference = (episodeId: string): Reference<Condition> => ({
  reference: `Condition/${fhirId(episodeId)}`,
});

/** The nurse by name only: the service exposes no Practitioner resources. */
export const nurseDisplay = (
  nurse: { readonly name: string } | null,
): Reference<Practitioner> | undefined => (nurse ? { display: nurse.name } : undefined);

/**
 * One recorded entry as it now stands: the latest of its correction chain, whether a retraction
 * withdrew it, and the first entry of the chain (whose id the resource keeps, so a correction
 * amends the same resource rather than making another).
 */
export interface StandingEntry<E extends ClinicalEvent = ClinicalEvent> {
  readonly rootId: string;
  readonly event: E;
  /** Corrected at least once: the latest correction is this event. */
  readonly corrected: boolean;
  /** Withdrawn by a retraction (the event is what was withdrawn). */
  readonly withdrawal: Extract<ClinicalEvent, { type: 'retraction' }> | undefined;
  /** When this state was recorded: the latest correction's or the withdrawal's recordedAt. */
  readonly lastUpdated: string;
}

/**
 * Every entry chain of these types, in recorded order of their first entries. The rules are the
 * domain's (schemas.ts): a correction names the entry it replaces in `supersedes`; a retraction
 * names the entry it withdraws.
 */
export function standingEntries<T extends ClinicalEvent['type']>(
  events: readonly ClinicalEvent[],
  types: readonly T[],
): StandingEntry<Extract<ClinicalEvent, { type: T }>>[] {
  const withdrawals = new Map<string, Extract<ClinicalEvent, { type: 'retraction' }>>();
  const correctionOf = new Map<string, ClinicalEvent>();
  for (const event of events) {
    if (event.type === 'retraction') withdrawals.set(event.supersedes, event);
    else if (event.supersedes) correctionOf.set(event.supersedes, event);
  }
  const wanted = new Set<string>(types);
  const chains: StandingEntry<Extract<ClinicalEvent, { type: T }>>[] = [];
  for (const first of events) {
    if (first.supersedes || !wanted.has(first.type)) continue;
    let latest: ClinicalEvent = first;
    const seen = new Set([first.id]);
    for (let next = correctionOf.get(latest.id); next && !seen.has(next.id); ) {
      seen.add(next.id);
      latest = next;
      next = correctionOf.get(latest.id);
    }
    if (!wanted.has(latest.type)) continue;
    const withdrawal = withdrawals.get(latest.id);
    chains.push({
      rootId: first.id,
      event: latest as Extract<ClinicalEvent, { type: T }>,
      corrected: latest !== first,
      withdrawal,
      lastUpdated: withdrawal?.recordedAt ?? latest.recordedAt,
    });
  }
  return chains;
}

/** The status of a resource made from an entry, in the codes Observation and the others share. */
export function entryStatus(
  entry: StandingEntry,
  standing: 'final' | 'active' | 'completed',
): 'entered-in-error' | 'amended' | 'final' | 'active' | 'completed' {
  if (entry.withdrawal) return 'entered-in-error';
  return entry.corrected && standing === 'final' ? 'amended' : standing;
}

/** The notes of an entry and of its withdrawal, as FHIR annotations (their text only). */
export function entryNotes(entry: StandingEntry): { text: string; time?: string }[] | undefined {
  const notes = [
    ...(entry.event.note ? [{ text: entry.event.note, time: entry.event.recordedAt }] : []),
    ...(entry.withdrawal
      ? [{ text: `Withdrawn: ${entry.withdrawal.note}`, time: entry.withdrawal.recordedAt }]
      : []),
  ];
  return notes.length > 0 ? notes : undefined;
}
