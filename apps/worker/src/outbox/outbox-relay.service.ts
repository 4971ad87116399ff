import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Database } from '@vfx/database';
import {
  OUTBOX_KINDS,
  type OutboxMessageView,
  pendingFollowUpsBefore,
  type RelayResult,
  relayOutbox,
} from '@vfx/database/jobs';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import { Periodic } from '../periodic.js';
import { jobId } from '../queue/job-catalog.js';
import { Queues } from '../queue/queues.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, METRICS } from '../tokens.js';

const BATCH = 500;

/**
 * Moves queue commands from the outbox (written in the same transaction as each change) to
 * BullMQ. A follow-up message means "make the queue agree with this follow-up now": a job if it
 * is pending and due within the horizon, no job otherwise. Because the relay reads the current
 * state rather than replaying the command, relaying late, twice, or out of order converges on
 * the same queue; and replicas claim different messages (FOR UPDATE SKIP LOCKED).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: Periodic;

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

  /** Relays until the outbox is empty. Returns how many messages were relayed. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await relayOutbox(this.db, BATCH, (messages) => this.relay(messages));
      total += claimed;
      if (claimed < BATCH || this.loop.isStopped) return total;
    }
  }

  private async relay(messages: readonly OutboxMessageView[]): Promise<Map<bigint, RelayResult>> {
    const results = new Map<bigint, RelayResult>();
    const now = this.clock();
    const followUpIds = new Set<string>();
    const deliveries: OutboxMessageView[] = [];
    for (const message of messages) {
      const payload = message.payload as { followUpId?: string; deliveryId?: string };
      if (
        (message.kind === OUTBOX_KINDS.enqueueFollowUp ||
          message.kind === OUTBOX_KINDS.removeFollowUp) &&
        payload.followUpId
      ) {
        followUpIds.add(payload.followUpId);
      } else if (
        (message.kind === OUTBOX_KINDS.deliverReminder ||
          message.kind === OUTBOX_KINDS.retryDelivery) &&
        payload.deliveryId
      ) {
        deliveries.push(message);
      } else {
        results.set(message.id, { error: `Unknown outbox message kind "${message.kind}"` });
      }
    }

    const horizon = new Date(now.getTime() + this.config.SCHEDULE_HORIZON_HOURS * 3_600_000);
    let followUpResult: RelayResult = 'done';
    try {
      const due = await pendingFollowUpsBefore(this.db, horizon, [...followUpIds]);
      await this.queues.addMany(
        'fire-follow-up',
        due.map((f) => ({
          payload: { followUpId: f.id },
          delayMs: f.fireAt.getTime() - now.getTime(),
        })),
      );
      const queued = new Set(due.map((f) => f.id));
      for (const id of followUpIds) {
        if (!queued.has(id)) await this.queues.remove('fire-follow-up', id);
      }
    } catch (error) {
      followUpResult = { error: (error as Error).message };
    }
    let deliveryResult: RelayResult = 'done';
    try {
      // A retried delivery's previous job failed and is kept (for the queue board); its id is
      // the new job's id, so it must go first or the add would be ignored as a duplicate.
      for (const message of deliveries) {
        if (message.kind !== OUTBOX_KINDS.retryDelivery) continue;
        const { deliveryId } = message.payload as { deliveryId: string };
        await this.queues.removeFailed(
          'deliver-reminder',
          jobId['deliver-reminder']({ deliveryId }),
        );
      }
      await this.queues.addMany(
        'deliver-reminder',
        deliveries.map((m) => ({
          payload: { deliveryId: (m.payload as { deliveryId: string }).deliveryId },
          delayMs: 0,
        })),
      );
    } catch (error) {
      deliveryResult = { error: (error as Error).message };
    }

    for (const message of messages) {
      if (results.has(message.id)) continue;
      const result =
        message.kind === OUTBOX_KINDS.deliverReminder || message.kind === OUTBOX_KINDS.retryDelivery
          ? deliveryResult
          : followUpResult;
      results.set(message.id, result);
      this.metrics.outboxRelayed.inc({
        kind: message.kind,
        result: result === 'done' ? 'done' : 'failed',
      });
      if (result === 'done') {
        this.metrics.outboxDelay.observe((Date.now() - message.createdAt.getTime()) / 1000);
      }
    }
    if (followUpResult !== 'done' || deliveryResult !== 'done') {
      this.logger.warn(
        { followUps: followUpResult, deliveries: deliveryResult },
        'outbox messages not relayed; they stay in the outbox and are retried',
      );
    }
    return results;
  }
}
