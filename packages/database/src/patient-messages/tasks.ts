// A patient message that failed for good becomes a task on the nurse's worklist: a reminder of
// kind 'patient-message-failed' about the step the message was for, with its in-app delivery, so
// it shows where the nurse already looks (the worklist, the reminders page). Nobody else is told:
// the nurse checks the patient's contact details and tells the patient another way.
import { randomUUID } from 'node:crypto';
import { findPathway } from '@vfx/domain';
import type { Transaction } from '../client.js';
import { PATIENT_MESSAGE_FAILED_REMINDER } from './states.js';

/** The failed message as its row is read under lock (the sends and the receipts read it so). */
export interface FailedMessage {
  readonly id: string;
  readonly episode_id: string;
  readonly kind: string;
  readonly step_key: string;
  readonly channel: string;
}

const CHANNEL_WORDS: Record<string, string> = {
  sms: 'text message',
  email: 'e-mail',
  letter: 'letter',
};

/** Writes the nurse's task about a failed patient message, in the caller's transaction. */
export async function raisePatientMessageTask(
  tx: Transaction,
  message: FailedMessage,
  why: string,
  now: Date,
): Promise<string> {
  const episode = await tx.episode.findUniqueOrThrow({
    where: { id: message.episode_id },
    select: { pathwayVersion: true, patient: { select: { nurseId: true } } },
  });
  const reminder = findPathway(episode.pathwayVersion)?.patientReminders?.find(
    (r) => r.kind === message.kind,
  );
  const channel = CHANNEL_WORDS[message.channel] ?? message.channel;
  const title = `${channel[0]?.toUpperCase()}${channel.slice(1)} to the patient failed: ${reminder?.title ?? message.kind}. ${why.replace(/\.$/, '')}. Check their contact details and tell them another way.`;
  const id = randomUUID();
  const nurseId = episode.patient.nurseId;
  await tx.reminder.create({
    data: {
      id,
      followUpId: null,
      episodeId: message.episode_id,
      stepKey: message.step_key,
      stepTitle: title.slice(0, 500),
      kind: PATIENT_MESSAGE_FAILED_REMINDER,
      // A missed denosumab reminder risks a late dose (rebound bone loss): urgent.
      urgent: message.kind.startsWith('denosumab'),
      requestedBy: null,
      nurseId,
      createdAt: now,
      deliveries: {
        create: {
          id: randomUUID(),
          channel: 'in_app',
          state: 'sent',
          attempts: 1,
          sentAt: now,
          recipient: nurseId,
        },
      },
    },
  });
  return id;
}
