// What happens when follow-ups' times come. Jobs carry only follow-up ids; this reloads every
// state and changes nothing unless the follow-up is still pending and its step still needs action,
// so a job that fires twice, late, or after the plan moved on has no effect.
//
// Many follow-ups are applied in one transaction with a fixed number of statements, so a burst of
// steps falling due together costs a few round trips, not a few per step. The step's new status
// and reason come from the domain (stepAtTimer) without re-planning: a pending follow-up is, by
// construction, a timer of the current plan, because every write that changes the plan cancels or
// moves the follow-ups in the same transaction, under the same episode lock taken here. Whether
// a timer reminds, whom, on which channels and what it replaces is the domain's reminder policy
// (reminderAtTimer); the reminder writer (reminder-writer.ts) makes the rows.
import {
  isActive,
  type OpenReminder,
  type PlanWindow,
  type ResponsibleNurse,
  reminderAtTimer,
  type ServiceSettings,
  type StepStatus,
  stepAtTimer,
  type TimerTransition,
} from '@vfx/domain';
import type { Queryable, Transaction } from '../client.js';
import type { FollowUp } from '../generated/prisma/client.js';
import { type AuditInput, audit } from '../records/audit.js';
import { refreshEpisodeKpis } from '../records/kpi-store.js';
import { runWrite } from '../records/write-path.js';
import {
  type NurseColumns,
  type ReminderToWrite,
  responsibleNurse,
  type WrittenReminder,
  writeReminders,
} from './reminder-writer.js';

export const WORKER_ACTOR = 'system:worker';

/** A job may run this much before its time (clocks of queue and worker differ slightly). */
export const EARLY_TOLERANCE_MS = 5_000;

export type FireOutcome =
  | {
      readonly kind: 'applied';
      readonly transition: string;
      readonly stepId: string;
      readonly latenessMs: number;
      readonly reminderId: string | undefined;
      readonly emailDeliveryId: string | undefined;
    }
  | {
      readonly kind: 'skipped';
      readonly reason: 'not-found' | 'not-pending' | 'early' | 'step-settled' | 'superseded';
    };

export interface FireOptions {
  readonly now?: Date;
  /** Also send reminders by e-mail (to the nurse's address). */
  readonly emailReminders?: boolean;
  /** The service's calendar settings (the zone a step's reason gives times in). */
  readonly settings?: ServiceSettings;
}

export async function fireFollowUp(
  db: Queryable,
  followUpId: string,
  options: FireOptions = {},
): Promise<FireOutcome> {
  const outcomes = await fireFollowUps(db, [followUpId], options);
  return outcomes.get(followUpId) as FireOutcome;
}

const pairKey = (episodeId: string, stepKey: string) => `${episodeId}\u0000${stepKey}`;

/** Applies the follow-ups whose time has come, in one transaction. Every id gets an outcome. */
export function fireFollowUps(
  db: Queryable,
  followUpIds: readonly string[],
  options: FireOptions = {},
): Promise<Map<string, FireOutcome>> {
  const now = options.now ?? new Date();
  const ids = [...new Set(followUpIds)];
  return runWrite(db, async (tx) => {
    const outcomes = new Map<string, FireOutcome>(ids.map((id) => [id, skipped('not-found')]));
    const episodes = await lockEpisodes(tx, ids);
    if (episodes.size === 0) return outcomes;
    const candidates = await pendingAndDue(tx, ids, now, outcomes);
    if (candidates.length === 0) return outcomes;
    const steps = await loadSteps(tx, candidates, now);
    const batch: Batch = { settled: new Map(), applied: [] };
    for (const followUp of candidates) {
      const verdict = judge(followUp, steps, episodes, now, options);
      if (verdict.kind === 'settle') {
        const group = batch.settled.get(verdict.why) ?? { state: verdict.state, ids: [] };
        group.ids.push(followUp.id);
        batch.settled.set(verdict.why, group);
        outcomes.set(followUp.id, skipped(verdict.outcome));
      } else batch.applied.push(verdict.applied);
    }
    for (const [id, outcome] of await applyBatch(tx, batch, now, options.settings)) {
      outcomes.set(id, outcome);
    }
    return outcomes;
  });
}

/** The patient's nurse as the reminder policy needs them, read with the episode's lock. */
interface LockedEpisode {
  readonly id: string;
  readonly patientId: string;
  readonly nurse: ResponsibleNurse | null;
}

/**
 * Locks the episodes of these follow-ups, in one order, as the write path does: then nothing is
 * written to these episodes until this commits, and two batches cannot deadlock each other. The
 * patient row is share-locked too: a caseload reassignment committed while this waited is then
 * read (PostgreSQL re-reads locked rows that changed), so the reminder goes to the new nurse.
 */
async function lockEpisodes(
  tx: Transaction,
  followUpIds: readonly string[],
): Promise<Map<string, LockedEpisode>> {
  const located = await tx.followUp.findMany({
    where: { id: { in: [...followUpIds] } },
    select: { episodeId: true },
  });
  const episodeIds = [...new Set(located.map((row) => row.episodeId))].sort();
  if (episodeIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<({ id: string; patientId: string } & NurseColumns)[]>`
    SELECT e.id, e.patient_id AS "patientId", p.nurse_id AS "nurseId", u.name AS "nurseName",
           u.email AS "nurseEmail", u.active AS "nurseActive"
    FROM episodes e JOIN patients p ON p.id = e.patient_id LEFT JOIN users u ON u.id = p.nurse_id
    WHERE e.id = ANY(${episodeIds}) ORDER BY e.id FOR UPDATE OF e FOR SHARE OF p`;
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, patientId: row.patientId, nurse: responsibleNurse(row) },
    ]),
  );
}

/** The follow-ups still pending whose time has come; the others get their outcome here. */
async function pendingAndDue(
  tx: Transaction,
  followUpIds: readonly string[],
  now: Date,
  outcomes: Map<string, FireOutcome>,
): Promise<FollowUp[]> {
  const candidates: FollowUp[] = [];
  for (const followUp of await tx.followUp.findMany({ where: { id: { in: [...followUpIds] } } })) {
    if (followUp.state !== 'pending') outcomes.set(followUp.id, skipped('not-pending'));
    else if (followUp.fireAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
      outcomes.set(followUp.id, skipped('early'));
    } else candidates.push(followUp);
  }
  return candidates;
}

interface StepRow {
  readonly stepId: string;
  readonly title: string;
  readonly status: string;
  readonly reason: string;
  readonly urgent: boolean;
  readonly window: unknown;
}

/** What the candidates' steps are now, per (episode, step): the row, the other due timers, the open reminders. */
interface StepsNow {
  readonly step: Map<string, StepRow>;
  readonly due: Map<string, { fireAt: Date; transition: string }[]>;
  readonly openReminders: Map<string, OpenReminder[]>;
}

/** Three queries for the whole batch, one after another: a transaction is one connection. */
async function loadSteps(
  tx: Transaction,
  candidates: readonly FollowUp[],
  now: Date,
): Promise<StepsNow> {
  const episodeIds = [...new Set(candidates.map((f) => f.episodeId))];
  const stepKeys = [...new Set(candidates.map((f) => f.stepKey))];
  const inPairs = { episodeId: { in: episodeIds }, stepKey: { in: stepKeys } };
  const wanted = new Set(candidates.map((f) => pairKey(f.episodeId, f.stepKey)));
  const byPair = <T extends { episodeId: string; stepKey: string }>(rows: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const pair = pairKey(row.episodeId, row.stepKey);
      if (wanted.has(pair)) map.set(pair, [...(map.get(pair) ?? []), row]);
    }
    return map;
  };
  const steps = await tx.planStep.findMany({
    where: { episodeId: { in: episodeIds }, key: { in: stepKeys } },
    select: {
      episodeId: true,
      key: true,
      stepId: true,
      title: true,
      status: true,
      reason: true,
      urgent: true,
      window: true,
    },
  });
  const dueByNow = await tx.followUp.findMany({
    where: { ...inPairs, state: 'pending', fireAt: { lte: now } },
    select: { episodeId: true, stepKey: true, fireAt: true, transition: true },
  });
  const openReminders = await tx.reminder.findMany({
    where: { ...inPairs, status: 'open' },
    select: { id: true, episodeId: true, stepKey: true, kind: true },
  });
  return {
    step: new Map(steps.map((step) => [pairKey(step.episodeId, step.key), step])),
    due: byPair(dueByNow),
    openReminders: byPair(openReminders),
  };
}

/** A follow-up applied: the step's status at its time, and the reminder the policy makes. */
interface Applied {
  readonly followUp: FollowUp;
  readonly episode: LockedEpisode;
  readonly step: StepRow;
  readonly after: { status: StepStatus; reason: string; urgent: boolean };
  readonly latenessMs: number;
  readonly reminder: ReminderToWrite | undefined;
}

type Verdict =
  | {
      readonly kind: 'settle';
      readonly state: 'cancelled' | 'superseded';
      readonly why: string;
      readonly outcome: 'step-settled' | 'superseded';
    }
  | { readonly kind: 'apply'; readonly applied: Applied };

interface Batch {
  readonly settled: Map<string, { state: 'cancelled' | 'superseded'; ids: string[] }>;
  readonly applied: Applied[];
}

/** What one follow-up does, decided from the state loaded for the batch; writes nothing. */
function judge(
  followUp: FollowUp,
  steps: StepsNow,
  episodes: ReadonlyMap<string, LockedEpisode>,
  now: Date,
  options: FireOptions,
): Verdict {
  const pair = pairKey(followUp.episodeId, followUp.stepKey);
  const step = steps.step.get(pair);
  const episode = episodes.get(followUp.episodeId);
  if (!step || !episode || !step.window || !isActive(step.status as StepStatus)) {
    return {
      kind: 'settle',
      state: 'cancelled',
      why: `The step no longer needs action (${step?.status ?? 'removed'})`,
      outcome: 'step-settled',
    };
  }
  const laterDue = steps.due.get(pair)?.find((other) => other.fireAt > followUp.fireAt);
  if (laterDue) {
    return {
      kind: 'settle',
      state: 'superseded',
      why: `A later transition (${laterDue.transition}) was already due`,
      outcome: 'superseded',
    };
  }
  // The status the window gives at the follow-up's time: a status change ('open', 'due-day',
  // 'overdue-day') and a reminder ('due', 'overdue') alike.
  const after = stepAtTimer(
    step.window as PlanWindow,
    { fireAt: followUp.fireAt.toISOString(), urgent: followUp.urgent },
    options.settings,
  );
  const decision = reminderAtTimer({
    transition: followUp.transition as TimerTransition,
    urgent: after.urgent,
    open: steps.openReminders.get(pair) ?? [],
    nurse: episode.nurse,
    emailReminders: options.emailReminders === true,
  });
  return {
    kind: 'apply',
    applied: {
      followUp,
      episode,
      step,
      after,
      latenessMs: latenessOf(followUp, now),
      reminder: decision.create
        ? {
            episodeId: followUp.episodeId,
            stepKey: followUp.stepKey,
            stepTitle: step.title,
            followUpId: followUp.id,
            reminder: decision.reminder,
          }
        : undefined,
    },
  };
}

/**
 * Measured from when it could first fire: a follow-up planned after its time (a fracture
 * identified late) is not late by the weeks before anyone knew of it.
 */
function latenessOf(followUp: FollowUp, now: Date): number {
  const firstPossible = Math.max(followUp.fireAt.getTime(), followUp.createdAt.getTime());
  return Math.min(2 ** 31 - 1, Math.max(0, now.getTime() - firstPossible));
}

/** Writes the batch's decisions in a fixed number of statements, and says what each applied one did. */
async function applyBatch(
  tx: Transaction,
  batch: Batch,
  now: Date,
  settings: ServiceSettings | undefined,
): Promise<Map<string, FireOutcome>> {
  for (const [why, group] of batch.settled) {
    await tx.followUp.updateMany({
      where: { id: { in: group.ids }, state: 'pending' },
      data: { state: group.state, outcome: why, settledAt: now },
    });
  }
  const { applied } = batch;
  await markFired(
    tx,
    applied.map((a) => ({
      id: a.followUp.id,
      outcome: `Step ${a.after.status}`,
      latenessMs: a.latenessMs,
    })),
    now,
  );
  const changed = applied.filter(
    ({ step, after }) =>
      step.status !== after.status || step.reason !== after.reason || step.urgent !== after.urgent,
  );
  await updateStepStatuses(
    tx,
    changed.map((a) => ({ episodeId: a.followUp.episodeId, key: a.followUp.stepKey, ...a.after })),
    now,
  );
  // The stored KPI results follow the plan steps, whoever writes them. A timer only moves a
  // step between active statuses, which no measure reads, so this rewrites the same results;
  // it is done anyway so that a measure that ever reads them cannot drift from the plan.
  await refreshEpisodeKpis(tx, [...new Set(changed.map((a) => a.followUp.episodeId))], settings);
  const withReminder = applied.filter((a) => a.reminder !== undefined);
  const written = await writeReminders(
    tx,
    withReminder.map((a) => a.reminder as ReminderToWrite),
    now,
  );
  const reminderOf = new Map(withReminder.map((a, i) => [a.followUp.id, written[i]]));
  const { entries, outcomes } = report(applied, reminderOf, now);
  if (entries.length > 0) await audit(tx, entries);
  return outcomes;
}

/** Each applied follow-up's audit entry (under the worker's name) and outcome. */
function report(
  applied: readonly Applied[],
  reminderOf: ReadonlyMap<string, WrittenReminder | undefined>,
  now: Date,
): { entries: AuditInput[]; outcomes: Map<string, FireOutcome> } {
  const outcomes = new Map<string, FireOutcome>();
  const entries: AuditInput[] = [];
  for (const { followUp, episode, step, after, latenessMs } of applied) {
    const reminder = reminderOf.get(followUp.id);
    entries.push({
      actor: WORKER_ACTOR,
      action: `step.${followUp.transition}`,
      entityType: 'plan-step',
      entityId: `${followUp.episodeId}/${followUp.stepKey}`,
      patientId: episode.patientId,
      before: { status: step.status },
      after: {
        status: after.status,
        followUpId: followUp.id,
        latenessMs,
        reminderId: reminder?.reminderId,
      },
      at: now,
    });
    outcomes.set(followUp.id, {
      kind: 'applied',
      transition: followUp.transition,
      stepId: step.stepId,
      latenessMs,
      reminderId: reminder?.reminderId,
      emailDeliveryId: reminder?.emailDeliveryId,
    });
  }
  return { entries, outcomes };
}

const skipped = (reason: Extract<FireOutcome, { kind: 'skipped' }>['reason']): FireOutcome => ({
  kind: 'skipped',
  reason,
});

/** One statement for the whole batch: each row has its own lateness. */
async function markFired(
  tx: Transaction,
  rows: readonly { id: string; outcome: string; latenessMs: number }[],
  now: Date,
) {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    UPDATE follow_ups AS f
    SET state = 'fired', outcome = u.outcome, settled_at = ${now}, lateness_ms = u.lateness
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.outcome)}::text[],
                ${rows.map((r) => r.latenessMs)}::int[]) AS u(id, outcome, lateness)
    WHERE f.id = u.id AND f.state = 'pending'`;
}

/** One statement for the whole batch: each step gets the status the domain gave it. */
async function updateStepStatuses(
  tx: Transaction,
  rows: readonly {
    episodeId: string;
    key: string;
    status: string;
    reason: string;
    urgent: boolean;
  }[],
  now: Date,
) {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    UPDATE plan_steps AS s
    SET status = u.status, reason = u.reason, urgent = u.urgent, updated_at = ${now}
    FROM unnest(${rows.map((r) => r.episodeId)}::text[], ${rows.map((r) => r.key)}::text[],
                ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.reason)}::text[],
                ${rows.map((r) => r.urgent)}::boolean[]) AS u(episode_id, key, status, reason, urgent)
    WHERE s.episode_id = u.episode_id AND s.key = u.key`;
}
