// An episode's plan as it stands now: packages/domain computes it from the stored record at the
// instant asked for, so the answer is current even between timed status changes.
import {
  type ClinicalEvent,
  computePlan,
  DEFAULT_SERVICE_SETTINGS,
  type Plan,
  type PlanChange,
  type ServiceSettings,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { loadEpisodeRecord } from '../records/write-path.js';

export interface CurrentPlan {
  readonly episodeId: string;
  readonly patientId: string;
  /** The episode's record version: it increases with every recorded change. */
  readonly version: number;
  readonly plan: Plan;
  /** The events the plan was computed from, in the order they were recorded. */
  readonly events: readonly ClinicalEvent[];
}

/** The plan of an episode at `now`, or undefined when there is no such episode. */
export async function currentPlan(
  db: Queryable,
  episodeId: string,
  now: Date,
  settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS,
): Promise<CurrentPlan | undefined> {
  const record = await loadEpisodeRecord(db, episodeId);
  if (!record) return undefined;
  const plan = computePlan({
    patient: record.patient,
    episode: record.episode,
    events: record.events,
    asOf: now.getTime(),
    settings,
  });
  return {
    episodeId,
    patientId: record.patient.id,
    version: record.row.version,
    plan,
    events: record.events,
  };
}

/**
 * What the plan said had changed when an entry was saved: the write path keeps it in the audit
 * entry of that write, so the patient page can show it beside the entry without recomputing.
 */
export async function planChangesOfEntry(
  db: Queryable,
  eventId: string,
): Promise<readonly PlanChange[] | undefined> {
  const entry = await db.auditEntry.findFirst({
    where: { action: 'event.recorded', entityId: eventId },
    select: { after: true },
  });
  return (entry?.after as { planChanges?: PlanChange[] } | null)?.planChanges;
}
