// What happens when a follow-up's time comes. The job carries only the follow-up's id; this
// reloads everything, and changes nothing unless the follow-up is still pending and its step still
// needs action - so a job that fires twice, late, or after the plan moved on has no effect.
import { computePlan, DEFAULT_SERVICE_SETTINGS, isActive, type ServiceSettings } from '@vfx/domain';
import type { Database } from '../client.js';
import { audit } from '../records/audit.js';
import { OUTBOX_KINDS } from '../records/plan-store.js';
import { loadEpisodeRecord, runWrite } from '../records/write-path.js';

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
  readonly settings?: ServiceSettings;
}

export function fireFollowUp(
  db: Database,
  followUpId: string,
  options: FireOptions = {},
): Promise<FireOutcome> {
  const now = options.now ?? new Date();
  return runWrite(db, async (tx): Promise<FireOutcome> => {
    const found = await tx.followUp.findUnique({ where: { id: followUpId } });
    if (!found) return { kind: 'skipped', reason: 'not-found' };
    // The episode row first, as the write path does, so the two never deadlock; then re-read.
    await tx.$queryRaw`SELECT id FROM episodes WHERE id = ${found.episodeId} FOR UPDATE`;
    const followUp = await tx.followUp.findUnique({ where: { id: followUpId } });
    if (followUp?.state !== 'pending') return { kind: 'skipped', reason: 'not-pending' };
    if (followUp.fireAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
      return { kind: 'skipped', reason: 'early' };
    }
    const settle = (state: 'cancelled' | 'superseded', outcome: string) =>
      tx.followUp.update({
        where: { id: followUpId },
        data: { state, outcome, settledAt: now },
      });

    // The domain says what the step's status is now.
    const record = await loadEpisodeRecord(tx, followUp.episodeId);
    if (!record) return { kind: 'skipped', reason: 'not-found' };
    const plan = computePlan({
      patient: record.patient,
      episode: record.episode,
      events: record.events,
      asOf: Math.max(now.getTime(), followUp.fireAt.getTime()),
      settings: options.settings ?? DEFAULT_SERVICE_SETTINGS,
    });
    const step = plan.steps.find((s) => s.key === followUp.stepKey);
    if (!step || !isActive(step.status)) {
      await settle('cancelled', `The step no longer needs action (${step?.status ?? 'removed'})`);
      return { kind: 'skipped', reason: 'step-settled' };
    }
    const laterDue = await tx.followUp.findFirst({
      where: {
        episodeId: followUp.episodeId,
        stepKey: followUp.stepKey,
        state: 'pending',
        fireAt: { gt: followUp.fireAt, lte: now },
      },
    });
    if (laterDue) {
      await settle('superseded', `A later transition (${laterDue.transition}) was already due`);
      return { kind: 'skipped', reason: 'superseded' };
    }

    // Measured from when it could first fire: a follow-up planned after its time (a fracture
    // identified late) is not late by the weeks before anyone knew of it.
    const firstPossible = Math.max(followUp.fireAt.getTime(), followUp.createdAt.getTime());
    const latenessMs = Math.min(2 ** 31 - 1, Math.max(0, now.getTime() - firstPossible));
    const stored = await tx.planStep.findUnique({
      where: { episodeId_key: { episodeId: followUp.episodeId, key: followUp.stepKey } },
    });
    const statusBefore = stored?.status;
    // The domain's status at this instant is the truth; the row only carries it.
    if (
      stored &&
      (stored.status !== step.status ||
        stored.reason !== step.reason ||
        stored.urgent !== step.urgent)
    ) {
      await tx.planStep.update({
        where: { episodeId_key: { episodeId: followUp.episodeId, key: followUp.stepKey } },
        data: { status: step.status, reason: step.reason, urgent: step.urgent },
      });
    }
    await tx.followUp.update({
      where: { id: followUpId },
      data: { state: 'fired', outcome: `Step ${step.status}`, settledAt: now, latenessMs },
    });

    let reminderId: string | undefined;
    let emailDeliveryId: string | undefined;
    if (followUp.transition === 'due' || followUp.transition === 'overdue') {
      const open = await tx.reminder.findFirst({
        where: {
          episodeId: followUp.episodeId,
          stepKey: followUp.stepKey,
          kind: followUp.transition,
          status: 'open',
        },
      });
      if (!open) {
        if (followUp.transition === 'overdue') {
          // The escalation replaces the step's "due" reminder on the worklist.
          await tx.reminder.updateMany({
            where: { episodeId: followUp.episodeId, stepKey: followUp.stepKey, status: 'open' },
            data: { status: 'superseded', resolvedAt: now },
          });
        }
        const nurse = record.nurseId
          ? await tx.user.findUnique({ where: { id: record.nurseId } })
          : null;
        const reminder = await tx.reminder.create({
          data: {
            followUpId,
            episodeId: followUp.episodeId,
            stepKey: followUp.stepKey,
            stepTitle: step.title,
            kind: followUp.transition,
            urgent: followUp.urgent || step.urgent,
            nurseId: record.nurseId,
            deliveries: {
              create: [
                {
                  channel: 'in_app',
                  state: 'sent',
                  attempts: 1,
                  sentAt: now,
                  recipient: record.nurseId,
                },
                ...(options.emailReminders && nurse?.active
                  ? [{ channel: 'email' as const, recipient: nurse.email }]
                  : []),
              ],
            },
          },
          include: { deliveries: true },
        });
        reminderId = reminder.id;
        emailDeliveryId = reminder.deliveries.find((d) => d.channel === 'email')?.id;
        if (emailDeliveryId) {
          await tx.outboxMessage.create({
            data: { kind: OUTBOX_KINDS.deliverReminder, payload: { deliveryId: emailDeliveryId } },
          });
        }
      }
    }
    await audit(tx, {
      actor: WORKER_ACTOR,
      action: `step.${followUp.transition}`,
      entityType: 'plan-step',
      entityId: `${followUp.episodeId}/${followUp.stepKey}`,
      patientId: record.patient.id,
      before: { status: statusBefore },
      after: { status: step.status, followUpId, latenessMs, reminderId },
      at: now,
    });
    return {
      kind: 'applied',
      transition: followUp.transition,
      stepId: step.stepId,
      latenessMs,
      reminderId,
      emailDeliveryId,
    };
  });
}
