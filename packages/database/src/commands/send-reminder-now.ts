// A scheduler's "send now": a reminder about an active step to the patient's responsible nurse at
// once. Whether it may be sent (the step, the nurse, the cool-down) and what it is are the
// domain's reminder policy (reminderSentNow); the reminder writer makes the rows, exactly as for a
// reminder made when a step falls due.
import { reminderSentNow, type StepStatus } from '@vfx/domain';
import type { Queryable } from '../client.js';
import {
  type NurseColumns,
  responsibleNurse,
  writeReminders,
} from '../follow-ups/reminder-writer.js';
import { RecordError } from '../records/errors.js';
import type { WriteOptions } from '../records/write-path.js';
import { runCommand } from './run-command.js';

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
 * through the outbox. The e-mail is always made: a scheduler who asks to send now wants the nurse
 * told, whatever the automatic setting. Schedulers and administrators only ('reminder.sendNow').
 */
export function sendReminderNow(
  db: Queryable,
  input: SendReminderNowInput,
  options: WriteOptions,
): Promise<SentReminder> {
  const now = options.now ?? new Date();
  return runCommand(db, options.actorId, 'reminder.sendNow', async ({ tx, actor, audit }) => {
    // The episode lock the write path and the worker take: the step cannot settle meanwhile.
    const locked = await tx.$queryRaw<({ patientId: string } & NurseColumns)[]>`
      SELECT e.patient_id AS "patientId", p.nurse_id AS "nurseId", u.name AS "nurseName",
             u.email AS "nurseEmail", u.active AS "nurseActive"
      FROM episodes e JOIN patients p ON p.id = e.patient_id LEFT JOIN users u ON u.id = p.nurse_id
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
    const lastByHand = await tx.reminder.findFirst({
      where: { episodeId: input.episodeId, stepKey: input.stepKey, kind: 'manual' },
      select: { createdAt: true },
      orderBy: { createdAt: 'desc' },
    });
    const nurse = responsibleNurse(episode);
    const decision = reminderSentNow({
      step: { title: step.title, status: step.status as StepStatus, urgent: step.urgent },
      nurse,
      lastSentByHandAt: lastByHand?.createdAt.getTime(),
      requestedBy: actor.id,
      now: now.getTime(),
    });
    if (!decision.allowed) throw new RecordError('conflict', decision.reason);

    const [written] = await writeReminders(
      tx,
      [
        {
          episodeId: input.episodeId,
          stepKey: input.stepKey,
          stepTitle: step.title,
          followUpId: null,
          reminder: decision.reminder,
        },
      ],
      now,
    );
    const reminderId = written?.reminderId as string;
    const emailDeliveryId = written?.emailDeliveryId as string;
    const nurseId = decision.reminder.nurseId as string;
    await audit({
      action: 'reminder.sent-now',
      entityType: 'plan-step',
      entityId: `${input.episodeId}/${input.stepKey}`,
      patientId: episode.patientId,
      after: { reminderId, emailDeliveryId, nurseId, stepStatus: step.status },
      at: now,
    });
    return { reminderId, emailDeliveryId, nurseId, nurseName: nurse?.name ?? nurseId };
  });
}
