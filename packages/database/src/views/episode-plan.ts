// An episode's plan as every page shows it: packages/domain computes it from the stored record,
// at the instant the stored statuses hold for. The worker applies each timed status change (a
// follow-up) when its time comes; until it has, the lists (which read plan_steps) show the status
// before the change, and so does this plan, with the instant it is as of. One source of truth:
// a lagging worker makes every page equally late and says so, rather than making pages disagree.
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
  /**
   * The instant the plan's statuses hold for: `now`, or just before the earliest timed change
   * that was due by `now` and has not been applied yet (the worker is behind).
   */
  readonly statusesAsOf: Date;
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
  const [record, asOf] = await Promise.all([
    loadEpisodeRecord(db, episodeId),
    statusesAsOf(db, episodeId, now),
  ]);
  if (!record) return undefined;
  const plan = computePlan({
    patient: record.patient,
    episode: record.episode,
    events: record.events,
    asOf: asOf.getTime(),
    settings,
  });
  return {
    episodeId,
    patientId: record.patient.id,
    version: record.row.version,
    plan,
    statusesAsOf: asOf,
    events: record.events,
  };
}

/**
 * The instant an episode's stored statuses hold for at `now`: just before its earliest follow-up
 * that was due by `now` and is still pending, or `now` when the worker is up to date. One index
 * probe (follow_ups(episode_id, step_key) narrows to the episode's few timers).
 */
export async function statusesAsOf(db: Queryable, episodeId: string, now: Date): Promise<Date> {
  const earliest = await db.followUp.aggregate({
    where: { episodeId, state: 'pending', fireAt: { lte: now } },
    _min: { fireAt: true },
  });
  const behind = earliest._min.fireAt;
  return behind ? new Date(behind.getTime() - 1) : now;
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
