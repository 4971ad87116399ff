import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Database } from '@vfx/database';
import {
  type ClaimedOutboxRow,
  claimOutbox,
  completeOutbox,
  type OutboxMessage,
  parseOutboxMessage,
  pendingFollowUpsBefore,
  releaseOutbox,
  reviveSetAside,
  setAsideOutbox,
} from '@vfx/database/jobs';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import { Periodic } from '../periodic.js';
import { type JobPayload, jobId, patientMessageSendId } from '../queue/job-catalog.js';
import { Queues } from '../queue/queues.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, METRICS } from '../tokens.js';

const BATCH = 500;

/** What a message asks of the job catalogue (queue/job-catalog.ts). */
export type JobCommand =
  /** Make the follow-up's `fire-follow-up` job agree with the follow-up as it is now. */
  | { readonly op: 'sync-follow-up'; readonly followUpId: string }
  /** Add a `deliver-reminder` job; `replaceFailed` first removes a failed job of the same id. */
  | {
      readonly op: 'deliver';
      readonly payload: JobPayload<'deliver-reminder'>;
      readonly replaceFailed: boolean;
    }
  /** Add a `run-fhir-export` job (a repeated add of the same export is ignored). */
  | { readonly op: 'run-fhir-export'; readonly payload: JobPayload<'run-fhir-export'> }
  /** Add a `send-patient-message` job, delayed to its send time. */
  | {
      readonly op: 'send-patient-message';
      readonly payload: JobPayload<'send-patient-message'>;
      /** When it is sent (ISO instant): the job's delay. */
      readonly sendAt: string;
    }
  /** Remove the `send-patient-message` job of a cancelled message, if it is still waiting. */
  | {
      readonly op: 'remove-patient-message';
      readonly payload: JobPayload<'send-patient-message'>;
    };

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled outbox message: ${JSON.stringify(value)}`);
}

/** Maps one parsed message to the job it becomes. Every kind of the catalogue has its case. */
export function jobCommandOf(message: OutboxMessage): JobCommand {
  switch (message.kind) {
    case 'follow-up.enqueue':
    case 'follow-up.remove':
      return { op: 'sync-follow-up', followUpId: message.payload.followUpId };
    case 'reminder.deliver':
      return {
        op: 'deliver',
        payload: { deliveryId: message.payload.deliveryId },
        replaceFailed: false,
      };
    case 'reminder.retry':
      return {
        op: 'deliver',
        payload: { deliveryId: message.payload.deliveryId },
        replaceFailed: true,
      };
    case 'fhir-export.run':
      return { op: 'run-fhir-export', payload: { exportId: message.payload.exportId } };
    case 'patient-message.enqueue':
      return {
        op: 'send-patient-message',
        payload: {
          sendId: patientMessageSendId(message.payload.messageId, message.payload.sendAt),
        },
        sendAt: message.payload.sendAt,
      };
    case 'patient-message.remove':
      return {
        op: 'remove-patient-message',
        payload: {
          sendId: patientMessageSendId(message.payload.messageId, message.payload.sendAt),
        },
      };
    default:
      return assertUnreachable(message);
  }
}

/**
 * Moves queue commands from the outbox (written in the same transaction as each change) to
 * BullMQ, in three steps with no transaction around them:
 *   1. claim a batch with a lease (one committed UPDATE);
 *   2. parse each message, set aside those that do not parse, and queue the jobs (deterministic
 *      job ids: a repeated add is ignored);
 *   3. mark the batch processed, or give it back with the error for a later try.
 * A relay that dies between 1 and 3 leaves claims whose lease runs out; any relay then takes
 * the messages again, and queueing them a second time is harmless. A follow-up message means
 * "make the queue agree with this follow-up now": a job if it is pending and due within the
 * horizon, no job otherwise, so relaying late, twice, or out of order converges on one queue.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: Periodic;
  /** Names this relay's claims (host, process, random). */
  readonly claimant = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private revived = false;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(Queues) private readonly queues: Queues,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.loop = new Periodic(
      () => this.drain(),
      config.OUTBOX_POLL_MS,
      (error) => logger.error({ err: error }, 'outbox relay failed'),
    );
  }

  onApplicationBootstrap() {
    this.loop.start();
  }

  onModuleDestroy() {
    return this.loop.stop();
  }

  private get leaseMs() {
    return this.config.OUTBOX_LEASE_SECONDS * 1000;
  }

  /** Relays until nothing is left to claim. Returns how many messages were claimed. */
  async drain(): Promise<number> {
    if (!this.revived) {
      // Messages an older relay set aside may parse here (a kind or field added since).
      const revived = await reviveSetAside(this.db);
      this.revived = true;
      if (revived > 0) this.logger.info({ revived }, 'set-aside outbox messages put back');
    }
    let total = 0;
    for (;;) {
      const claimed = await claimOutbox(this.db, {
        limit: BATCH,
        claimant: this.claimant,
        leaseMs: this.leaseMs,
        now: this.clock(),
      });
      if (claimed.length > 0) await this.relay(claimed);
      total += claimed.length;
      if (claimed.length < BATCH || this.loop.isStopped) return total;
    }
  }

  private async relay(rows: readonly ClaimedOutboxRow[]): Promise<void> {
    const now = this.clock();
    const expired = rows.filter((row) => row.expiredClaim !== null);
    if (expired.length > 0) {
      this.metrics.outboxLeaseExpired.inc(expired.length);
      this.logger.warn(
        { messages: expired.length, relays: [...new Set(expired.map((r) => r.expiredClaim))] },
        'outbox messages taken over after another relay’s lease ran out',
      );
    }

    const followUps: { row: ClaimedOutboxRow; kind: string; followUpId: string }[] = [];
    const deliveries: {
      row: ClaimedOutboxRow;
      kind: string;
      command: Extract<JobCommand, { op: 'deliver' }>;
    }[] = [];
    const exports: { row: ClaimedOutboxRow; kind: string; exportId: string }[] = [];
    const patientMessages: {
      row: ClaimedOutboxRow;
      kind: string;
      command: Extract<JobCommand, { op: 'send-patient-message' | 'remove-patient-message' }>;
    }[] = [];
    for (const row of rows) {
      const parsed = parseOutboxMessage(row);
      if (!parsed.ok) {
        await setAsideOutbox(this.db, row.id, parsed.error, now);
        this.metrics.outboxSetAside.inc({ kind: row.kind });
        this.logger.error(
          { outboxId: String(row.id), kind: row.kind, err: parsed.error },
          'outbox message set aside: it does not parse (Admin › Queues lists it)',
        );
        continue;
      }
      const command = jobCommandOf(parsed.message);
      switch (command.op) {
        case 'sync-follow-up':
          followUps.push({ row, kind: parsed.message.kind, followUpId: command.followUpId });
          break;
        case 'deliver':
          deliveries.push({ row, kind: parsed.message.kind, command });
          break;
        case 'run-fhir-export':
          exports.push({ row, kind: parsed.message.kind, exportId: command.payload.exportId });
          break;
        case 'send-patient-message':
        case 'remove-patient-message':
          patientMessages.push({ row, kind: parsed.message.kind, command });
          break;
        default:
          assertUnreachable(command);
      }
    }

    const followUpError = await this.attempt(() =>
      this.syncFollowUps(new Set(followUps.map((f) => f.followUpId)), now),
    );
    const deliveryError = await this.attempt(async () => {
      // A retried delivery's previous job failed and is kept (for the queue board); its id is
      // the new job's id, so it must go first or the add would be ignored as a duplicate.
      for (const { command } of deliveries) {
        if (command.replaceFailed) {
          await this.queues.removeFailed(
            'deliver-reminder',
            jobId['deliver-reminder'](command.payload),
          );
        }
      }
      await this.queues.addMany(
        'deliver-reminder',
        deliveries.map(({ command }) => ({ payload: command.payload, delayMs: 0 })),
      );
    });

    const exportError = await this.attempt(() =>
      this.queues.addMany(
        'run-fhir-export',
        exports.map(({ exportId }) => ({ payload: { exportId }, delayMs: 0 })),
      ),
    );

    const patientMessageError = await this.attempt(async () => {
      for (const { command } of patientMessages) {
        if (command.op === 'remove-patient-message') {
          await this.queues.remove(
            'send-patient-message',
            jobId['send-patient-message'](command.payload),
          );
        }
      }
      const adds = patientMessages.flatMap(({ command }) =>
        command.op === 'send-patient-message' ? [command] : [],
      );
      // A retried message's earlier job may have failed and be kept: its id differs (the send
      // time is in it), so the add below is never taken for a duplicate of it.
      await this.queues.addMany(
        'send-patient-message',
        adds.map(({ payload, sendAt }) => ({
          payload,
          delayMs: Date.parse(sendAt) - now.getTime(),
        })),
      );
    });

    const done = [
      ...(followUpError ? [] : followUps),
      ...(deliveryError ? [] : deliveries),
      ...(exportError ? [] : exports),
      ...(patientMessageError ? [] : patientMessages),
    ];
    await completeOutbox(
      this.db,
      done.map((d) => d.row.id),
      this.clock(),
    );
    for (const [group, error] of [
      [followUps, followUpError],
      [deliveries, deliveryError],
      [exports, exportError],
      [patientMessages, patientMessageError],
    ] as const) {
      if (error && group.length > 0) {
        await releaseOutbox(
          this.db,
          group.map((g) => g.row.id),
          error,
          { claimant: this.claimant, maxDelayMs: this.leaseMs, now: this.clock() },
        );
      }
      for (const item of group) {
        this.metrics.outboxRelayed.inc({ kind: item.kind, result: error ? 'failed' : 'done' });
        if (!error) {
          this.metrics.outboxDelay.observe((Date.now() - item.row.createdAt.getTime()) / 1000);
        }
      }
    }
    if (followUpError || deliveryError || exportError || patientMessageError) {
      this.logger.warn(
        {
          followUps: followUpError ?? 'done',
          deliveries: deliveryError ?? 'done',
          fhirExports: exportError ?? 'done',
          patientMessages: patientMessageError ?? 'done',
        },
        'outbox messages not relayed; they stay in the outbox and are retried after a back-off',
      );
    }
  }

  /** Runs queue work; returns its error message, or undefined when it succeeded. */
  private async attempt(work: () => Promise<void>): Promise<string | undefined> {
    try {
      await work();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Each follow-up gets its job if it is pending and due within the horizon, and none otherwise. */
  private async syncFollowUps(ids: ReadonlySet<string>, now: Date): Promise<void> {
    if (ids.size === 0) return;
    const horizon = new Date(now.getTime() + this.config.SCHEDULE_HORIZON_HOURS * 3_600_000);
    const due = await pendingFollowUpsBefore(this.db, horizon, [...ids]);
    await this.queues.addMany(
      'fire-follow-up',
      due.map((f) => ({
        payload: { followUpId: f.id },
        delayMs: f.fireAt.getTime() - now.getTime(),
      })),
    );
    const queued = new Set(due.map((f) => f.id));
    for (const id of ids) {
      if (!queued.has(id)) await this.queues.remove('fire-follow-up', id);
    }
  }
}
