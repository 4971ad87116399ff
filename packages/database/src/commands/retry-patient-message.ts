// A scheduler's "retry" of a patient message that failed (Notify refused it, or reported a
// failure): scheduled again at the next sending hour, to the patient's contact details as they
// are now (the check at send runs again, so an opt-out since still stops it).
import {
  DEFAULT_SERVICE_SETTINGS,
  nextSendingInstant,
  type ServiceSettings,
  serviceCalendar,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { enqueue, OUTBOX_KINDS } from '../outbox/catalog.js';
import {
  FAILED_PATIENT_MESSAGE_STATES,
  PATIENT_MESSAGE_FAILED_REMINDER,
  type PatientMessageState,
} from '../patient-messages/states.js';
import { RecordError } from '../records/errors.js';
import type { WriteOptions } from '../records/write-path.js';
import { runCommand } from './run-command.js';

export interface PatientMessageRetried {
  readonly messageId: string;
  /** When it will be sent (ISO instant): now, or the next sending hour. */
  readonly sendAt: string;
}

/**
 * Puts a failed patient message back to be sent at the next sending hour (09:00-19:00 service
 * time, working day), closes the nurse's task about it, and audits the retry. The attempts and
 * the last error stay, so the history is kept (the failed attempt's Notify id in the audit entry);
 * the next attempt looks the reference up in Notify first. Schedulers and administrators only ('patient-message.retry').
 */
export function retryPatientMessage(
  db: Queryable,
  messageId: string,
  options: WriteOptions & { readonly settings?: ServiceSettings },
): Promise<PatientMessageRetried> {
  const now = options.now ?? new Date();
  const calendar = serviceCalendar(options.settings ?? DEFAULT_SERVICE_SETTINGS);
  return runCommand(db, options.actorId, 'patient-message.retry', async ({ tx, audit }) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM patient_messages WHERE id = ${messageId} FOR UPDATE`;
    if (rows.length === 0) {
      throw new RecordError('not-found', `Patient message "${messageId}" does not exist`);
    }
    const message = await tx.patientMessage.findUniqueOrThrow({ where: { id: messageId } });
    const state = message.state as PatientMessageState;
    if (!FAILED_PATIENT_MESSAGE_STATES.includes(state)) {
      throw new RecordError(
        'conflict',
        state === 'cancelled'
          ? `This message was cancelled (${message.outcome ?? 'no longer planned'}); there is nothing to retry.`
          : `This message is ${state}: only a failed message can be retried.`,
      );
    }
    const sendAt = new Date(nextSendingInstant(now.getTime(), calendar, { workingDaysOnly: true }));
    await tx.patientMessage.update({
      where: { id: messageId },
      // The failed attempt's Notify id is no longer the current attempt's: a late receipt of it
      // is then held, never applied, unless Notify's look-up finds that notification again
      // (receipts.ts). The id stays in this retry's audit entry.
      data: {
        state: 'scheduled',
        sendAt,
        outcome: null,
        claimedAt: null,
        notifyId: null,
        updatedAt: now,
      },
    });
    await enqueue(tx, OUTBOX_KINDS.enqueuePatientMessage, {
      messageId,
      sendAt: sendAt.toISOString(),
    });
    await tx.reminder.updateMany({
      where: {
        episodeId: message.episodeId,
        stepKey: message.stepKey,
        kind: PATIENT_MESSAGE_FAILED_REMINDER,
        status: 'open',
      },
      data: { status: 'resolved', resolvedAt: now },
    });
    await audit({
      action: 'patient-message.retried',
      entityType: 'patient-message',
      entityId: messageId,
      patientId: message.patientId,
      before: {
        state,
        attempts: message.attempts,
        lastError: message.lastError,
        providerStatus: message.providerStatus,
        notifyId: message.notifyId,
      },
      after: { state: 'scheduled', sendAt: sendAt.toISOString() },
      at: now,
    });
    return { messageId, sendAt: sendAt.toISOString() };
  });
}
