// Every job the worker runs: its name, queue, payload and retry policy, in one place.
// Names are constants and are never renamed: jobs already queued under a name must still run.
// Payloads carry ids only: the processor reloads state, and no patient data sits in the queue.
// A new payload field must be optional, because queued jobs must still parse; and payloads are
// loose objects (a field this release does not know is kept, not refused), so during a rolling
// update a worker of the previous release still runs jobs that a newer one queued.
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

export const QUEUES = {
  followUps: 'follow-ups',
  reminderDeliveries: 'reminder-deliveries',
  /** Reminders to patients (GOV.UK Notify, or the local mailbox). */
  patientMessages: 'patient-messages',
  /** Long jobs (FHIR bulk exports), apart so they never hold up a due step or a reminder. */
  fhirExports: 'fhir-exports',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const DAY_SECONDS = 24 * 60 * 60;

export const JOB_CATALOG = {
  /** A plan step's status change is due (open, due or overdue). */
  'fire-follow-up': {
    queue: QUEUES.followUps,
    payload: z.looseObject({ followUpId: z.string().min(1) }),
    options: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000 },
      // Removed at once: the follow_ups table keeps the history, and a retained job would block
      // its id from being queued again.
      removeOnComplete: true,
      removeOnFail: { age: 30 * DAY_SECONDS },
    },
  },
  /** Send one reminder by e-mail. */
  'deliver-reminder': {
    queue: QUEUES.reminderDeliveries,
    payload: z.looseObject({ deliveryId: z.string().min(1) }),
    options: {
      attempts: 6,
      backoff: { type: 'exponential', delay: 15_000 },
      removeOnComplete: true,
      removeOnFail: { age: 30 * DAY_SECONDS },
    },
  },
  /**
   * Send one patient message at its time. Notify answering 429 or 5xx (or not at all) fails the
   * attempt, which BullMQ retries with exponential backoff (10 s, 20 s, 40 s ... about 40 min in
   * all); each retry looks the reference up in Notify before sending, so nothing is sent twice and
   * nothing is lost. After the last attempt the message is failed and the nurse gets a task.
   */
  'send-patient-message': {
    queue: QUEUES.patientMessages,
    // One id: the message and its send time (patientMessageSendId), so a moved message is a new
    // job and the payload still carries ids only.
    payload: z.looseObject({
      sendId: z.string().regex(/^[^@:]+@\d{8}T\d{9}Z$/, {
        error: 'must be <message id>@<send time, YYYYMMDDTHHMMSSmmmZ>',
      }),
    }),
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 10_000 },
      removeOnComplete: true,
      removeOnFail: { age: 30 * DAY_SECONDS },
    },
  },
  /** Write a FHIR Bulk Data export's files; a retry resumes after the last saved batch. */
  'run-fhir-export': {
    queue: QUEUES.fhirExports,
    payload: z.looseObject({ exportId: z.string().min(1) }),
    options: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      // The export itself records the failure (its status URL answers it); exports live a day.
      removeOnFail: { age: DAY_SECONDS },
    },
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType; options: JobsOptions }>;

export type JobName = keyof typeof JOB_CATALOG;
export type JobPayload<N extends JobName> = z.output<(typeof JOB_CATALOG)[N]['payload']>;

/** Job ids are deterministic, so adding the same job twice queues it once. */
export const jobId = {
  'fire-follow-up': (payload: JobPayload<'fire-follow-up'>) => payload.followUpId,
  'deliver-reminder': (payload: JobPayload<'deliver-reminder'>) => `delivery_${payload.deliveryId}`,
  'run-fhir-export': (payload: JobPayload<'run-fhir-export'>) => `fhir-export_${payload.exportId}`,
  // One job per message and send time: a message moved to another time gets a new job.
  'send-patient-message': (payload: JobPayload<'send-patient-message'>) =>
    `patient-message_${payload.sendId.replace('@', '_')}`,
} satisfies { [N in JobName]: (payload: JobPayload<N>) => string };

/** The id of one scheduled send of a patient message: `<message id>@<send time>`. */
export function patientMessageSendId(messageId: string, sendAt: string | Date): string {
  const at = typeof sendAt === 'string' ? sendAt : sendAt.toISOString();
  return `${messageId}@${at.replace(/[-:.]/g, '')}`;
}

/** The message a send id is about. */
export function messageIdOfSendId(sendId: string): string {
  return sendId.slice(0, sendId.lastIndexOf('@'));
}

export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOB_CATALOG) as JobName[]).filter(
    (name) => JOB_CATALOG[name].queue === queue,
  );
}

/** The add() arguments for a job: catalogued options, the deterministic id, and a delay. */
export function jobRequest<N extends JobName>(name: N, payload: JobPayload<N>, delayMs = 0) {
  const parsed = JOB_CATALOG[name].payload.parse(payload) as JobPayload<N>;
  return {
    name,
    data: parsed,
    opts: {
      ...JOB_CATALOG[name].options,
      jobId: (jobId[name] as (payload: JobPayload<N>) => string)(parsed),
      delay: Math.max(0, delayMs),
    },
  };
}
