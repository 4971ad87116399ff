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
  statusBehind,
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

/** Follow-ups inspected at most when looking for the first unapplied change across the service. */
export const UNAPPLIED_SCAN_LIMIT = 500;

/**
 * The earliest follow-up, due by `now` and still pending, whose status change the stored
 * statuses do not show yet (the worker has not applied it), among the oldest `limit` of them.
 * A pending follow-up whose change the statuses already show (the write path re-planned at a
 * later instant, and only its reminder is owed) is not one. Whether a change is shown is the
 * domain's `statusBehind`: the stored status against the one the step's stored window gives at
 * the follow-up's instant.
 */
async function earliestUnappliedChange(
  db: Queryable,
  now: Date,
  { episodeId, limit }: { episodeId?: string; limit: number },
): Promise<Date | undefined> {
  const due = await db.followUp.findMany({
    where: { state: 'pending', fireAt: { lte: now }, ...(episodeId ? { episodeId } : {}) },
    orderBy: { fireAt: 'asc' },
    select: { episodeId: true, stepKey: true, fireAt: true },
    take: limit,
  });
  if (due.length === 0) return undefined;
  const steps = await db.planStep.findMany({
    where: {
      OR: due.map((followUp) => ({ episodeId: followUp.episodeId, key: followUp.stepKey })),
    },
    select: {
      episodeId: true,
      key: true,
      status: true,
      opensAt: true,
      dueAt: true,
      overdueAt: true,
    },
  });
  const stepOf = new Map(steps.map((step) => [`${step.episodeId}\u0000${step.key}`, step]));
  const unapplied = due.find(({ episodeId: id, stepKey, fireAt }) => {
    const step = stepOf.get(`${id}\u0000${stepKey}`);
    if (!step?.opensAt || !step.dueAt || !step.overdueAt) return false;
    return statusBehind(
      step.status,
      {
        open: step.opensAt.getTime(),
        due: step.dueAt.getTime(),
        overdue: step.overdueAt.getTime(),
      },
      fireAt.getTime(),
    );
  });
  return unapplied?.fireAt;
}

/**
 * The instant an episode's stored statuses hold for at `now`: just before its earliest timed
 * status change that was due by `now` and is not applied yet, or `now` when there is none. An
 * episode has a few follow-ups due at most, so all of them are looked at.
 */
export async function statusesAsOf(db: Queryable, episodeId: string, now: Date): Promise<Date> {
  const behind = await earliestUnappliedChange(db, now, { episodeId, limit: 1_000 });
  return behind ? new Date(behind.getTime() - 1) : now;
}

/**
 * How current the stored step statuses are across the service: the earliest timed status change
 * that was due by `now` and has not been applied (the worker is behind, or stopped), or
 * undefined when none has (among the oldest UNAPPLIED_SCAN_LIMIT follow-ups due: enough to tell
 * a worker that is behind, at the cost of two indexed queries). Reminders still owed for changes
 * already shown are the queue's lateness (Admin › Queues), not the statuses'.
 */
export function unappliedSince(db: Queryable, now: Date): Promise<Date | undefined> {
  return earliestUnappliedChange(db, now, { limit: UNAPPLIED_SCAN_LIMIT });
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
