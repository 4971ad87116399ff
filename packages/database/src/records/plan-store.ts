// Carries a plan that packages/domain computed into the database: plan-step rows, follow-ups
// (what must fire) and the outbox (what the queue must do). Decides nothing clinical.
import type { Plan, PlanStep, SchedulingCommand, Timer } from '@vfx/domain';
import type { Transaction } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';

export const OUTBOX_KINDS = {
  /** Make sure the follow-up has its delayed job (if it is still pending and within the horizon). */
  enqueueFollowUp: 'follow-up.enqueue',
  /** Remove the follow-up's job from the queue. */
  removeFollowUp: 'follow-up.remove',
  /** Send one reminder delivery (e-mail). */
  deliverReminder: 'reminder.deliver',
} as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[keyof typeof OUTBOX_KINDS];

const json = (value: unknown) => value as Prisma.InputJsonValue;
const instant = (iso: string | undefined) => (iso ? new Date(iso) : null);

function stepRow(step: PlanStep, plan: Plan, nurseId: string | null, planVersion: number) {
  return {
    episodeId: plan.episodeId,
    key: step.key,
    stepId: step.stepId,
    title: step.title,
    category: step.category,
    status: step.status,
    urgent: step.urgent,
    reason: step.reason,
    opensAt: instant(step.window?.transitions.open),
    dueAt: instant(step.window?.transitions.due),
    overdueAt: instant(step.window?.transitions.overdue),
    window: step.window ? json(step.window) : undefined,
    completion: step.completion ? json(step.completion) : undefined,
    nurseId,
    planVersion,
  };
}

function sameStep(a: PlanStep, b: PlanStep): boolean {
  return (
    a.status === b.status &&
    a.urgent === b.urgent &&
    a.reason === b.reason &&
    JSON.stringify(a.window) === JSON.stringify(b.window) &&
    JSON.stringify(a.completion) === JSON.stringify(b.completion)
  );
}

/** Writes the plan's step rows: all of them for a new plan, only what changed otherwise. */
export async function storePlanSteps(
  tx: Transaction,
  before: Plan | undefined,
  after: Plan,
  nurseId: string | null,
  planVersion: number,
): Promise<void> {
  const previous = new Map((before?.steps ?? []).map((step) => [step.key, step]));
  const created: PlanStep[] = [];
  for (const step of after.steps) {
    const old = previous.get(step.key);
    previous.delete(step.key);
    if (!old) created.push(step);
    else if (!sameStep(old, step)) {
      const { episodeId: _e, key: _k, ...row } = stepRow(step, after, nurseId, planVersion);
      await tx.planStep.update({
        where: { episodeId_key: { episodeId: after.episodeId, key: step.key } },
        data: { ...row, window: row.window ?? null, completion: row.completion ?? null } as never,
      });
    }
  }
  if (created.length > 0) {
    await tx.planStep.createMany({
      data: created.map((step) => stepRow(step, after, nurseId, planVersion)),
    });
  }
  // Instances that no longer exist (e.g. a retracted severe pain score's review).
  if (previous.size > 0) {
    await tx.planStep.deleteMany({
      where: { episodeId: after.episodeId, key: { in: [...previous.keys()] } },
    });
  }
}

/**
 * Which new timers must still fire. A transition already in the past when it is planned is in
 * effect already (the plan's status shows it); only the latest past due/overdue transition of a
 * step still fires, at once, so its nurse gets the reminder.
 */
function timersStillToFire(plan: Plan, now: Date): Set<string> {
  const latestPast = new Map<string, Timer>();
  const pending = new Set<string>();
  for (const timer of plan.timers) {
    if (Date.parse(timer.fireAt) > now.getTime()) pending.add(timer.id);
    else if (timer.transition !== 'open') {
      const seen = latestPast.get(timer.stepKey);
      if (!seen || seen.fireAt < timer.fireAt) latestPast.set(timer.stepKey, timer);
    }
  }
  for (const timer of latestPast.values()) pending.add(timer.id);
  return pending;
}

/**
 * Applies the domain's scheduling commands to the follow-ups and writes what the queue must do
 * into the outbox, in the caller's transaction.
 */
export async function applySchedulingCommands(
  tx: Transaction,
  plan: Plan,
  commands: readonly SchedulingCommand[],
  now: Date,
): Promise<{ scheduled: number; cancelled: number }> {
  const toFire = timersStillToFire(plan, now);
  const cancelIds: string[] = [];
  const cancelReasons = new Map<string, string>();
  const creates: Prisma.FollowUpCreateManyInput[] = [];
  for (const command of commands) {
    if (command.kind === 'cancel' || command.kind === 'reschedule') {
      const id = command.kind === 'cancel' ? command.id : command.replaces;
      cancelIds.push(id);
      cancelReasons.set(
        id,
        command.kind === 'cancel' ? command.reason : `Moved: ${command.reason}`,
      );
    }
    if (command.kind === 'schedule' || command.kind === 'reschedule') {
      const fires = toFire.has(command.id);
      creates.push({
        id: command.id,
        episodeId: command.episodeId,
        stepKey: command.stepKey,
        transition: command.transition,
        fireAt: new Date(command.fireAt),
        urgent: command.urgent,
        createdAt: now,
        state: fires ? 'pending' : 'superseded',
        outcome: fires ? null : 'Already in effect when it was planned',
        settledAt: fires ? null : now,
      });
    }
  }

  let cancelled = 0;
  for (const id of cancelIds) {
    const result = await tx.followUp.updateMany({
      where: { id, state: 'pending' },
      data: { state: 'cancelled', outcome: cancelReasons.get(id) ?? null, settledAt: now },
    });
    cancelled += result.count;
  }
  const pendingCreates = creates.filter((row) => row.state === 'pending');
  if (creates.length > 0) {
    await tx.followUp.createMany({ data: creates, skipDuplicates: true });
    // A timer that comes back to an instant it had before (a correction undone) is pending again.
    const revived = pendingCreates.map((row) => row.id);
    if (revived.length > 0) {
      await tx.followUp.updateMany({
        where: { id: { in: revived }, state: 'cancelled' },
        data: { state: 'pending', outcome: null, settledAt: null },
      });
    }
  }
  const outbox = [
    ...cancelIds.map((id) => ({ kind: OUTBOX_KINDS.removeFollowUp, payload: { followUpId: id } })),
    ...pendingCreates.map((row) => ({
      kind: OUTBOX_KINDS.enqueueFollowUp,
      payload: { followUpId: row.id },
    })),
  ];
  if (outbox.length > 0) await tx.outboxMessage.createMany({ data: outbox });
  return { scheduled: pendingCreates.length, cancelled };
}
