// What happens when follow-ups' times come. Jobs carry only follow-up ids; this reloads every
// state and changes nothing unless the follow-up is still pending and its step still needs action,
// so a job that fires twice, late, or after the plan moved on has no effect.
//
// Many follow-ups are applied in one transaction with a fixed number of statements, so a burst of
// steps falling due together costs a few round trips, not a few per step. The step's new status
// and reason come from the domain (stepAtTimer) without re-planning: a pending follow-up is, by
// construction, a timer of the current plan, because every write that changes the plan cancels or
// moves the follow-ups in the same transaction, under the same episode lock taken here.
import { randomUUID } from 'node:crypto';
import {
  isActive,
  isReminderTimer,
  type PlanWindow,
  type ServiceSettings,
  type StepStatus,
  stepAtTimer,
} from '@vfx/domain';
import { insertMany } from '../bulk-insert.js';
import type { Queryable, Transaction } from '../client.js';
import type { FollowUp, Prisma } from '../generated/prisma/client.js';
import { enqueueMany, OUTBOX_KINDS } from '../outbox/catalog.js';
import { type AuditInput, audit } from '../records/audit.js';
import { refreshEpisodeKpis } from '../records/kpi-store.js';
import { runWrite } from '../records/write-path.js';

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
    const outcomes = new Map<string, FireOutcome>(
      ids.map((id) => [id, { kind: 'skipped', reason: 'not-found' }]),
    );
    const located = await tx.followUp.findMany({
      where: { id: { in: ids } },
      select: { episodeId: true },
    });
    const episodeIds = [...new Set(located.map((row) => row.episodeId))].sort();
    if (episodeIds.length === 0) return outcomes;
    // The episode rows first, in one order, as the write path does: then nothing is written to
    // these episodes until this commits, and two batches cannot deadlock each other. The patient
    // row is share-locked too: a caseload reassignment committed while this waited is then read
    // (PostgreSQL re-reads locked rows that changed), so the reminder goes to the new nurse.
    const episodes = await tx.$queryRaw<
      { id: string; patientId: string; nurseId: string | null }[]
    >`
      SELECT e.id, e.patient_id AS "patientId", p.nurse_id AS "nurseId"
      FROM episodes e JOIN patients p ON p.id = e.patient_id
      WHERE e.id = ANY(${episodeIds}) ORDER BY e.id FOR UPDATE OF e FOR SHARE OF p`;
    const episodeById = new Map(episodes.map((row) => [row.id, row]));

    const candidates: FollowUp[] = [];
    for (const followUp of await tx.followUp.findMany({ where: { id: { in: ids } } })) {
      if (followUp.state !== 'pending') outcomes.set(followUp.id, skipped('not-pending'));
      else if (followUp.fireAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
        outcomes.set(followUp.id, skipped('early'));
      } else candidates.push(followUp);
    }
    if (candidates.length === 0) return outcomes;

    const candidateEpisodes = [...new Set(candidates.map((f) => f.episodeId))];
    const stepKeys = [...new Set(candidates.map((f) => f.stepKey))];
    const inPairs = { episodeId: { in: candidateEpisodes }, stepKey: { in: stepKeys } };
    const wanted = new Set(candidates.map((f) => pairKey(f.episodeId, f.stepKey)));
    const byPair = <T extends { episodeId: string }>(rows: T[], key: (row: T) => string) => {
      const map = new Map<string, T[]>();
      for (const row of rows) {
        const pair = pairKey(row.episodeId, key(row));
        if (!wanted.has(pair)) continue;
        map.set(pair, [...(map.get(pair) ?? []), row]);
      }
      return map;
    };
    // One query at a time: a transaction is one connection.
    const steps = await tx.planStep.findMany({
      where: { episodeId: { in: candidateEpisodes }, key: { in: stepKeys } },
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
    const stepByPair = new Map(steps.map((step) => [pairKey(step.episodeId, step.key), step]));
    const dueByPair = byPair(dueByNow, (row) => row.stepKey);
    const remindersByPair = byPair(openReminders, (row) => row.stepKey);

    const settled = new Map<string, { state: 'cancelled' | 'superseded'; ids: string[] }>();
    const settle = (followUp: FollowUp, state: 'cancelled' | 'superseded', why: string) => {
      const group = settled.get(why) ?? { state, ids: [] };
      group.ids.push(followUp.id);
      settled.set(why, group);
    };
    const fired: { id: string; outcome: string; latenessMs: number }[] = [];
    const stepUpdates: {
      episodeId: string;
      key: string;
      status: StepStatus;
      reason: string;
      urgent: boolean;
    }[] = [];
    const supersededReminders: string[] = [];
    const reminders: Prisma.ReminderCreateManyInput[] = [];
    const deliveries: Prisma.ReminderDeliveryCreateManyInput[] = [];
    const auditEntries: AuditInput[] = [];
    const emailTo = new Map<string, string>();
    if (options.emailReminders) {
      const nurseIds = [...new Set(episodes.map((e) => e.nurseId).filter((id) => id !== null))];
      const nurses = await tx.user.findMany({ where: { id: { in: nurseIds }, active: true } });
      for (const nurse of nurses) emailTo.set(nurse.id, nurse.email);
    }

    for (const followUp of candidates) {
      const pair = pairKey(followUp.episodeId, followUp.stepKey);
      const step = stepByPair.get(pair);
      const episode = episodeById.get(followUp.episodeId);
      if (!step || !episode || !step.window || !isActive(step.status as StepStatus)) {
        settle(
          followUp,
          'cancelled',
          `The step no longer needs action (${step?.status ?? 'removed'})`,
        );
        outcomes.set(followUp.id, skipped('step-settled'));
        continue;
      }
      const laterDue = dueByPair.get(pair)?.find((other) => other.fireAt > followUp.fireAt);
      if (laterDue) {
        settle(
          followUp,
          'superseded',
          `A later transition (${laterDue.transition}) was already due`,
        );
        outcomes.set(followUp.id, skipped('superseded'));
        continue;
      }

      // The status the window gives at the follow-up's time: a status change ('open',
      // 'due-day', 'overdue-day') and a reminder ('due', 'overdue') alike.
      const after = stepAtTimer(
        step.window as unknown as PlanWindow,
        { fireAt: followUp.fireAt.toISOString(), urgent: followUp.urgent },
        options.settings,
      );
      // Measured from when it could first fire: a follow-up planned after its time (a fracture
      // identified late) is not late by the weeks before anyone knew of it.
      const firstPossible = Math.max(followUp.fireAt.getTime(), followUp.createdAt.getTime());
      const latenessMs = Math.min(2 ** 31 - 1, Math.max(0, now.getTime() - firstPossible));
      fired.push({ id: followUp.id, outcome: `Step ${after.status}`, latenessMs });
      if (
        step.status !== after.status ||
        step.reason !== after.reason ||
        step.urgent !== after.urgent
      ) {
        stepUpdates.push({ episodeId: followUp.episodeId, key: followUp.stepKey, ...after });
      }

      let reminderId: string | undefined;
      let emailDeliveryId: string | undefined;
      const open = remindersByPair.get(pair) ?? [];
      // Only reminder timers remind; a status change at the start of a day tells nobody (its
      // reminder follows on a working morning, see resolveWindow in packages/domain).
      if (
        isReminderTimer(followUp.transition) &&
        !open.some((reminder) => reminder.kind === followUp.transition)
      ) {
        // The escalation replaces the step's "due" reminder on the worklist.
        if (followUp.transition === 'overdue') supersededReminders.push(...open.map((r) => r.id));
        reminderId = randomUUID();
        reminders.push({
          id: reminderId,
          followUpId: followUp.id,
          episodeId: followUp.episodeId,
          stepKey: followUp.stepKey,
          stepTitle: step.title,
          kind: followUp.transition,
          urgent: after.urgent,
          nurseId: episode.nurseId,
          createdAt: now,
        });
        deliveries.push({
          id: randomUUID(),
          reminderId,
          channel: 'in_app',
          state: 'sent',
          attempts: 1,
          sentAt: now,
          recipient: episode.nurseId,
        });
        const email = episode.nurseId ? emailTo.get(episode.nurseId) : undefined;
        if (email) {
          emailDeliveryId = randomUUID();
          deliveries.push({ id: emailDeliveryId, reminderId, channel: 'email', recipient: email });
        }
      }
      auditEntries.push({
        actor: WORKER_ACTOR,
        action: `step.${followUp.transition}`,
        entityType: 'plan-step',
        entityId: `${followUp.episodeId}/${followUp.stepKey}`,
        patientId: episode.patientId,
        before: { status: step.status },
        after: { status: after.status, followUpId: followUp.id, latenessMs, reminderId },
        at: now,
      });
      outcomes.set(followUp.id, {
        kind: 'applied',
        transition: followUp.transition,
        stepId: step.stepId,
        latenessMs,
        reminderId,
        emailDeliveryId,
      });
    }

    for (const [why, group] of settled) {
      await tx.followUp.updateMany({
        where: { id: { in: group.ids }, state: 'pending' },
        data: { state: group.state, outcome: why, settledAt: now },
      });
    }
    await markFired(tx, fired, now);
    await updateStepStatuses(tx, stepUpdates, now);
    // The stored KPI results follow the plan steps, whoever writes them. A timer only moves a
    // step between active statuses, which no measure reads, so this rewrites the same results;
    // it is done anyway so that a measure that ever reads them cannot drift from the plan.
    await refreshEpisodeKpis(
      tx,
      [...new Set(stepUpdates.map((u) => u.episodeId))],
      options.settings,
    );
    if (supersededReminders.length > 0) {
      await tx.reminder.updateMany({
        where: { id: { in: supersededReminders }, status: 'open' },
        data: { status: 'superseded', resolvedAt: now },
      });
    }
    await insertMany(tx, 'reminders', reminders);
    await insertMany(tx, 'reminder_deliveries', deliveries);
    await enqueueMany(
      tx,
      deliveries
        .filter((d) => d.channel === 'email')
        .map((d) => ({
          kind: OUTBOX_KINDS.deliverReminder,
          payload: { deliveryId: d.id as string },
        })),
    );
    if (auditEntries.length > 0) await audit(tx, auditEntries);
    return outcomes;
  });
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
