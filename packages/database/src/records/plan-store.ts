// Carries a plan that packages/domain computed into the database: plan-step rows, follow-ups
// (what must fire) and the outbox (what the queue must do). Decides nothing clinical.
import { type Plan, type PlanStep, type SchedulingCommand, timersStillToFire } from '@vfx/domain';
import { insertMany } from '../bulk-insert.js';
import type { Transaction } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { enqueueMany, OUTBOX_KINDS } from '../outbox/catalog.js';

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

export interface PlanStepsChange {
  readonly before: Plan | undefined;
  readonly after: Plan;
  readonly nurseId: string | null;
  readonly planVersion: number;
}

/**
 * Writes plans' step rows: all of them for a new plan, only what changed otherwise. New rows of
 * every plan go in one statement, so enrolling many patients costs no more round trips than one.
 */
export async function storePlanSteps(
  tx: Transaction,
  changes: readonly PlanStepsChange[],
): Promise<void> {
  const created: ReturnType<typeof stepRow>[] = [];
  for (const { before, after, nurseId, planVersion } of changes) {
    const previous = new Map((before?.steps ?? []).map((step) => [step.key, step]));
    for (const step of after.steps) {
      const old = previous.get(step.key);
      previous.delete(step.key);
      if (!old) created.push(stepRow(step, after, nurseId, planVersion));
      else if (!sameStep(old, step)) {
        const { episodeId: _e, key: _k, ...row } = stepRow(step, after, nurseId, planVersion);
        await tx.planStep.update({
          where: { episodeId_key: { episodeId: after.episodeId, key: step.key } },
          data: { ...row, window: row.window ?? null, completion: row.completion ?? null } as never,
        });
      }
    }
    // Instances that no longer exist (e.g. a retracted severe pain score's review).
    if (previous.size > 0) {
      await tx.planStep.deleteMany({
        where: { episodeId: after.episodeId, key: { in: [...previous.keys()] } },
      });
    }
  }
  await insertMany(tx, 'plan_steps', created);
}

/**
 * Applies the domain's scheduling commands to the follow-ups and writes what the queue must do
 * into the outbox, in the caller's transaction: a fixed number of statements however many plans.
 */
export async function applySchedulingCommands(
  tx: Transaction,
  changes: readonly { readonly plan: Plan; readonly commands: readonly SchedulingCommand[] }[],
  now: Date,
): Promise<{ scheduled: Map<string, number>; cancelled: number }> {
  const cancelsByReason = new Map<string, string[]>();
  const creates: Prisma.FollowUpCreateManyInput[] = [];
  const scheduled = new Map<string, number>();
  for (const { plan, commands } of changes) {
    const toFire = timersStillToFire(plan, now.getTime());
    let pending = 0;
    for (const command of commands) {
      if (command.kind === 'cancel' || command.kind === 'reschedule') {
        const id = command.kind === 'cancel' ? command.id : command.replaces;
        const reason = command.kind === 'cancel' ? command.reason : `Moved: ${command.reason}`;
        cancelsByReason.set(reason, [...(cancelsByReason.get(reason) ?? []), id]);
      }
      if (command.kind === 'schedule' || command.kind === 'reschedule') {
        const fires = toFire.has(command.id);
        if (fires) pending += 1;
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
    scheduled.set(plan.episodeId, pending);
  }

  let cancelled = 0;
  const cancelIds: string[] = [];
  for (const [reason, ids] of cancelsByReason) {
    cancelIds.push(...ids);
    const result = await tx.followUp.updateMany({
      where: { id: { in: ids }, state: 'pending' },
      data: { state: 'cancelled', outcome: reason, settledAt: now },
    });
    cancelled += result.count;
  }
  const pendingIds = creates.filter((row) => row.state === 'pending').map((row) => row.id);
  if (creates.length > 0) {
    await insertMany(tx, 'follow_ups', creates, { onConflictDoNothing: true });
    // A timer that comes back to an instant it had before (a correction undone) is pending again.
    if (pendingIds.length > 0) {
      await tx.followUp.updateMany({
        where: { id: { in: pendingIds }, state: 'cancelled' },
        data: { state: 'pending', outcome: null, settledAt: null },
      });
    }
  }
  const outbox = [
    ...cancelIds.map((id) => ({ kind: OUTBOX_KINDS.removeFollowUp, payload: { followUpId: id } })),
    ...pendingIds.map((id) => ({
      kind: OUTBOX_KINDS.enqueueFollowUp,
      payload: { followUpId: id },
    })),
  ];
  await enqueueMany(tx, outbox);
  return { scheduled, cancelled };
}
