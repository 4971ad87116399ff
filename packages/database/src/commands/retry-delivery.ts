// A scheduler's "retry" of a reminder e-mail that failed, or whose outcome is unknown.
import type { Queryable } from '../client.js';
import { queueDeliveries } from '../follow-ups/reminder-writer.js';
import { OUTBOX_KINDS } from '../outbox/catalog.js';
import { RecordError } from '../records/errors.js';
import type { WriteOptions } from '../records/write-path.js';
import { runCommand } from './run-command.js';

/**
 * Puts a failed e-mail delivery (or one whose outcome is unknown) back to be sent: pending again,
 * to the nurse's current address (it may have been the address that was wrong), with a retry
 * message in the outbox. The attempts and the last error stay until an attempt succeeds, so the
 * history is not lost. Schedulers and administrators only ('delivery.retry').
 */
export function retryDelivery(
  db: Queryable,
  deliveryId: string,
  options: WriteOptions,
): Promise<{ readonly recipient: string }> {
  const now = options.now ?? new Date();
  return runCommand(db, options.actorId, 'delivery.retry', async ({ tx, audit }) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM reminder_deliveries WHERE id = ${deliveryId} FOR UPDATE`;
    if (rows.length === 0) {
      throw new RecordError('not-found', `Delivery "${deliveryId}" does not exist`);
    }
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
    await queueDeliveries(tx, OUTBOX_KINDS.retryDelivery, [deliveryId]);
    await audit({
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
