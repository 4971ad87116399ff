// A scheduler's writes on reminders: send one now, move a step's due reminder within its window,
// and send a failed e-mail again. Each is one transaction with its audit entry; whatever the queue
// must do goes through the outbox, as every other change does.
import { randomUUID } from 'node:crypto';
import { isActive, type StepStatus } from '@vfx/domain';
import type { Database } from '../client.js';
import { recordEvent } from '../commands/record-event.js';
import { audit } from './audit.js';
import { RecordError } from './errors.js';
import { OUTBOX_KINDS } from './plan-store.js';
import { type RecordEventResult, runWrite, type WriteOptions } from './write-path.js';

/**
 * A second "send now" for the same step within this time is refused: it is almost always a double
 * submission, and the nurse would get the same e-mail twice.
 */
export const MANUAL_REMINDER_COOLDOWN_MS = 15 * 60_000;

export interface SendReminderNowInput {
  readonly episodeId: string;
  readonly stepKey: string;
}

export interface SentReminder {
  readonly reminderId: string;
  readonly emailDeliveryId: string;
  readonly nurseId: string;
  readonly nurseName: string;
}

/**
 * Sends a reminder about an active step to the patient's responsible nurse at once: a reminder on
 * their worklist (in-app, delivered when written) and an e-mail delivery that the worker sends
 * through the outbox, exactly as for a reminder made when a step falls due. The e-mail is always
 * made: a scheduler who asks to send now wants the nurse told, whatever the automatic setting.
 */
export async function sendReminderNow(
  db: Database,
  input: SendReminderNowInput,
  options: WriteOptions,
): Promise<SentReminder> {
  const now = options.now ?? new Date();
  return runWrite(db, async (tx) => {
    const actor = await tx.user.findUnique({ where: { id: options.actorId } });
    if (!actor?.active) {
      throw new RecordError(
        'forbidden',
        `User "${options.actorId}" does not exist or is not active`,
      );
    }
    // The episode lock the write path and the worker take: the step cannot settle meanwhile.
    const locked = await tx.$queryRaw<{ patientId: string; nurseId: string | null }[]>`
      SELECT e.patient_id AS "patientId", p.nurse_id AS "nurseId"
      FROM episodes e JOIN patients p ON p.id = e.patient_id
      WHERE e.id = ${input.episodeId} FOR UPDATE OF e`;
    const episode = locked[0];
    if (!episode) throw new RecordError('not-found', `Episode "${input.episodeId}" does not exist`);
    const step = await tx.planStep.findUnique({
      where: { episodeId_key: { episodeId: input.episodeId, key: input.stepKey } },
      select: { title: true, status: true, urgent: true },
    });
    if (!step) {
      throw new RecordError(
        'not-found',
        `Step "${input.stepKey}" is not in the plan of episode "${input.episodeId}"`,
      );
    }
    if (!isActive(step.status as StepStatus)) {
      throw new RecordError(
        'conflict',
        `"${step.title}" is ${step.status}: it needs no reminder. Refresh the list to see the plan as it is now.`,
      );
    }
    const nurse = episode.nurseId
      ? await tx.user.findUnique({ where: { id: episode.nurseId } })
      : null;
    if (!nurse?.active) {
      throw new RecordError(
        'conflict',
        'The patient has no active responsible nurse to remind; assign the patient to a nurse first.',
      );
    }
    const recent = await tx.reminder.findFirst({
      where: {
        episodeId: input.episodeId,
        stepKey: input.stepKey,
        kind: 'manual',
        createdAt: { gt: new Date(now.getTime() - MANUAL_REMINDER_COOLDOWN_MS) },
      },
      select: { createdAt: true },
      orderBy: { createdAt: 'desc' },
    });
    if (recent) {
      throw new RecordError(
        'conflict',
        `A reminder about "${step.title}" was already sent to ${nurse.name} at ${recent.createdAt.toISOString()}; wait ${MANUAL_REMINDER_COOLDOWN_MS / 60_000} minutes before sending another.`,
      );
    }

    const reminderId = randomUUID();
    const emailDeliveryId = randomUUID();
    await tx.reminder.create({
      data: {
        id: reminderId,
        followUpId: null,
        episodeId: input.episodeId,
        stepKey: input.stepKey,
        stepTitle: step.title,
        kind: 'manual',
        urgent: step.urgent,
        requestedBy: actor.id,
        nurseId: nurse.id,
        createdAt: now,
      },
    });
    await tx.reminderDelivery.createMany({
      data: [
        {
          id: randomUUID(),
          reminderId,
          channel: 'in_app',
          state: 'sent',
          attempts: 1,
          sentAt: now,
          recipient: nurse.id,
        },
        { id: emailDeliveryId, reminderId, channel: 'email', recipient: nurse.email },
      ],
    });
    await tx.outboxMessage.create({
      data: { kind: OUTBOX_KINDS.deliverReminder, payload: { deliveryId: emailDeliveryId } },
    });
    await audit(tx, {
      actor: actor.id,
      action: 'reminder.sent-now',
      entityType: 'plan-step',
      entityId: `${input.episodeId}/${input.stepKey}`,
      patientId: episode.patientId,
      after: { reminderId, emailDeliveryId, nurseId: nurse.id, stepStatus: step.status },
      at: now,
    });
    return { reminderId, emailDeliveryId, nurseId: nurse.id, nurseName: nurse.name };
  });
}

export interface RescheduleStepInput {
  readonly episodeId: string;
  readonly stepKey: string;
  /** The working day (YYYY-MM-DD, service time zone) the due reminder should fire on. */
  readonly remindOn: unknown;
  readonly reason: unknown;
}

/**
 * Moves a step's due reminder within its window. The domain decides whether the day is allowed
 * (packages/domain `step-rescheduled`); this records the entry through the write path, so the
 * plan, the follow-ups, the queue (through the outbox) and the audit log change together.
 * Problems come back as `invalid-input` issues on `event.remindOn`, `event.reason` or
 * `event.stepKey`.
 */
export function rescheduleStep(
  db: Database,
  input: RescheduleStepInput,
  options: WriteOptions,
): Promise<RecordEventResult> {
  const now = options.now ?? new Date();
  return recordEvent(
    db,
    {
      episodeId: input.episodeId,
      event: {
        type: 'step-rescheduled',
        stepKey: input.stepKey,
        remindOn: input.remindOn,
        reason: input.reason,
        occurredAt: now.toISOString(),
      },
    },
    { ...options, now },
  );
}

/**
 * Puts a failed e-mail delivery (or one whose outcome is unknown) back to be sent: pending again, to the nurse's current address
 * (it may have been the address that was wrong), with a retry message in the outbox. The attempts
 * and the last error stay until an attempt succeeds, so the history is not lost.
 */
export async function retryDelivery(
  db: Database,
  deliveryId: string,
  options: WriteOptions,
): Promise<{ readonly recipient: string }> {
  const now = options.now ?? new Date();
  return runWrite(db, async (tx) => {
    const actor = await tx.user.findUnique({ where: { id: options.actorId } });
    if (!actor?.active) {
      throw new RecordError(
        'forbidden',
        `User "${options.actorId}" does not exist or is not active`,
      );
    }
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM reminder_deliveries WHERE id = ${deliveryId} FOR UPDATE`;
    if (rows.length === 0)
      throw new RecordError('not-found', `Delivery "${deliveryId}" does not exist`);
    const delivery = await tx.reminderDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { reminder: { include: { episode: { select: { patientId: true } } } } },
    });
    if (delivery.channel !== 'email') {
      throw new RecordError(
        'conflict',
        'Only e-mail deliveries are sent again; in-app reminders cannot fail.',
      );
    }
    // An unknown outcome (a worker stopped while sending, and no retry was left) may be sent
    // again: under the same Message-ID, so a mail system that already has it can discard it.
    if (delivery.state !== 'failed' && delivery.state !== 'unknown') {
      throw new RecordError(
        'conflict',
        delivery.state === 'sent'
          ? 'This e-mail has been sent since; there is nothing to retry.'
          : delivery.state === 'sending'
            ? 'This e-mail is being sent now.'
            : 'This e-mail is already waiting to be sent.',
      );
    }
    if (delivery.reminder.status !== 'open') {
      throw new RecordError(
        'conflict',
        `The reminder is ${delivery.reminder.status}: the step no longer needs this e-mail.`,
      );
    }
    const nurse = delivery.reminder.nurseId
      ? await tx.user.findUnique({ where: { id: delivery.reminder.nurseId } })
      : null;
    if (!nurse?.active) {
      throw new RecordError(
        'conflict',
        'The nurse this reminder was for is no longer active; the e-mail cannot be sent again.',
      );
    }
    await tx.reminderDelivery.update({
      where: { id: deliveryId },
      data: { state: 'pending', recipient: nurse.email },
    });
    await tx.outboxMessage.create({
      data: { kind: OUTBOX_KINDS.retryDelivery, payload: { deliveryId } },
    });
    await audit(tx, {
      actor: actor.id,
      action: 'reminder-delivery.retried',
      entityType: 'reminder-delivery',
      entityId: deliveryId,
      patientId: delivery.reminder.episode.patientId,
      before: {
        state: delivery.state,
        recipient: delivery.recipient,
        attempts: delivery.attempts,
        lastError: delivery.lastError,
      },
      after: { state: 'pending', recipient: nurse.email },
      at: now,
    });
    return { recipient: nurse.email };
  });
}
