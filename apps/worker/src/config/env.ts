import { z } from 'zod';
import {
  type NotifyTemplates,
  parseNotifyTemplates,
} from '../patient-messages/notify-templates.js';

/**
 * The worker's configuration, read from the environment once at start-up. Every problem is
 * reported together, each with the variable to set and what it expects.
 */
const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgresql:// connection URL' });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const WorkerEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  /** Set: BullMQ runs on this Redis (production). Unset: on PostgreSQL in DATABASE_URL. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  /** Keeps queues of separate deployments (or test runs) apart on one Redis or database. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,30}$/, {
      error: 'must be 1 to 31 lower-case letters, digits, "-" or "_", starting with a letter',
    })
    .default('vfx'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Jobs each worker process runs at once, per queue. Follow-ups running together are applied
   * in one transaction, so this is also the largest batch.
   */
  WORKER_CONCURRENCY: positiveInt(64),
  /** Follow-ups due within this many hours have queue jobs; later ones wait in the database. */
  SCHEDULE_HORIZON_HOURS: positiveInt(7 * 24),
  /**
   * How often every pending follow-up is checked against the queue, in seconds: the backstop for
   * anything that goes wrong between the database and the queue.
   */
  RECONCILE_INTERVAL_SECONDS: positiveInt(300),
  /**
   * How often the worker checks that the queue store still holds its data (marker fields, and
   * Redis' run_id or the PostgreSQL job table), in milliseconds. A loss found this way is
   * reconciled at once instead of at the next periodic run, so due steps are late by about this
   * much plus the repair, not by up to RECONCILE_INTERVAL_SECONDS. Each check is a few key reads.
   */
  QUEUE_LOSS_CHECK_MS: positiveInt(1_000),
  /** How often the outbox is polled when no write has signalled it, in milliseconds. */
  OUTBOX_POLL_MS: positiveInt(250),
  /**
   * How long a relay's claim on a batch of outbox messages lasts, in seconds. A relay that dies
   * after claiming leaves its messages to others once the lease runs out; a failed relay's
   * messages are retried after a back-off of at most this. It must exceed a slow queue call.
   */
  OUTBOX_LEASE_SECONDS: positiveInt(60),
  /**
   * Patients per batch of a FHIR bulk export: one batch's records and resources are what its job
   * holds in memory (100: under a 160 MB heap; docs/performance.md, FHIR bulk export).
   */
  FHIR_EXPORT_BATCH_SIZE: positiveInt(100),
  /** A pause after each batch of a FHIR bulk export (ms), to leave the database room; 0 for none. */
  FHIR_EXPORT_PAUSE_MS: z.coerce.number().int().min(0).default(0),
  /** How long a job stays locked to a worker before another may take it over (ms). */
  JOB_LOCK_MS: positiveInt(30_000),
  /**
   * How long a worker's claim on an e-mail delivery lasts. A claim that ends with no outcome (the
   * worker died while sending) is sent again under the same Message-ID; each attempt must finish
   * within half of it. Shorter: quicker resends after a crash; it must exceed a slow send.
   */
  DELIVERY_LEASE_SECONDS: positiveInt(120),
  /** SMTP server for reminder e-mails, e.g. smtp://user:pass@mail.example.nhs.uk:587. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { error: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  /** Without SMTP_URL, e-mails are written here as .eml files and never leave the machine. */
  MAILBOX_DIR: z.string().min(1).default('.data/mailbox'),
  MAIL_FROM: z.string().min(3).default('FLS reminders <reminders@fls.localhost>'),
  /**
   * GOV.UK Notify API key ("name-<service id>-<secret>", as Notify issues it). Set: patient
   * reminders go to Notify. Unset (the embedded default, tests): they are written to MAILBOX_DIR.
   */
  NOTIFY_API_KEY: z
    .string()
    .regex(
      /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      {
        error:
          'must be a GOV.UK Notify API key: its name, then the service id and the secret key (two UUIDs), as Notify shows it',
      },
    )
    .optional(),
  /** Notify's API address; default Notify's own (https://api.notifications.service.gov.uk). */
  NOTIFY_BASE_URL: z
    .url({ error: 'must be a URL such as https://api.notifications.service.gov.uk' })
    .optional(),
  /**
   * The Notify template of each patient reminder and channel, as JSON:
   * {"denosumab-dose-before":{"sms":"<template id>","email":"<template id>"},...}. Required with
   * NOTIFY_API_KEY (README, "Patient messages"). Letters need none: they are sent precompiled.
   */
  NOTIFY_TEMPLATE_IDS: z.string().optional(),
  /** Postage of patient letters sent through Notify: first, second or economy. */
  NOTIFY_LETTER_POSTAGE: z
    .enum(['first', 'second', 'economy'], { error: 'must be first, second or economy' })
    .default('second'),
  /**
   * How long a worker's claim on a patient message lasts. Once it runs out with no outcome (the
   * worker died while sending), the next attempt looks the message up in Notify by its reference
   * before sending, so it is never sent twice.
   */
  PATIENT_MESSAGE_LEASE_SECONDS: positiveInt(120),
  /** Also send each reminder to the nurse by e-mail (the in-app worklist always has it). */
  EMAIL_REMINDERS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  /** Where links in reminder e-mails point. */
  DASHBOARD_URL: z
    .url({ error: 'must be a URL such as http://localhost:3000' })
    .default('http://localhost:3000'),
  /** The queue board's cookie needs HTTPS; off only for plain-HTTP development. */
  SECURE_COOKIES: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) =>
      value === undefined ? process.env.NODE_ENV === 'production' : value === 'true',
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type WorkerConfig = z.output<typeof WorkerEnvSchema> & {
  readonly queueBackend: 'redis' | 'postgres';
  /** Notify template ids by template key and channel (empty without NOTIFY_API_KEY). */
  readonly notifyTemplates: NotifyTemplates;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and checks the environment; throws one ConfigError that lists every problem. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  // An empty variable means "not set", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = WorkerEnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && present[name] === undefined
        ? `  ${name}: is required (${describe(name)})`
        : `  ${name}: ${issue.message}`;
    });
    throw new ConfigError(`The worker's configuration is not valid:\n${lines.join('\n')}`);
  }
  const templates = parseNotifyTemplates(
    result.data.NOTIFY_API_KEY,
    result.data.NOTIFY_TEMPLATE_IDS,
  );
  if (!templates.ok) {
    throw new ConfigError(
      `The worker's configuration is not valid:\n${templates.problems.map((p) => `  NOTIFY_TEMPLATE_IDS: ${p}`).join('\n')}`,
    );
  }
  return {
    ...result.data,
    notifyTemplates: templates.value,
    queueBackend: result.data.REDIS_URL ? 'redis' : 'postgres',
  };
}

function describe(name: string): string {
  switch (name) {
    case 'DATABASE_URL':
      return 'set it to the PostgreSQL URL, e.g. postgresql://user@127.0.0.1:5432/fls';
    default:
      return 'see the configuration reference in the README';
  }
}
