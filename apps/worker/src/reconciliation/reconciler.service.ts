import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  type Database,
  expiredDeliveryClaims,
  markDeliveryOutcomeUnknown,
  pendingAmong,
  pendingFollowUpsBefore,
  pruneOutbox,
} from '@vfx/database';
import type { Job, JobType, Queue } from 'bullmq';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import { Periodic } from '../periodic.js';
import { Queues } from '../queue/queues.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, METRICS } from '../tokens.js';

export interface ReconciliationReport {
  readonly pendingInHorizon: number;
  readonly jobsInQueue: number;
  readonly added: number;
  readonly retried: number;
  readonly orphansRemoved: number;
  readonly deliveriesRequeued: number;
  /** Sending claims that ran out with no outcome: sent again, or marked unknown. */
  readonly claimsResent: number;
  readonly claimsUnknown: number;
  readonly outboxPruned: number;
  readonly ms: number;
}

const PAGE = 1000;
const LIVE_STATES: JobType[] = ['delayed', 'waiting', 'prioritized', 'active', 'waiting-children'];
const OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Makes the queue agree with the database, at start-up and every RECONCILE_INTERVAL_SECONDS:
 * every pending follow-up due within the horizon gets its job (so follow-ups move into the queue
 * as their time approaches, and a queue that lost its data - Redis FLUSHALL - is refilled), a
 * failed job of a still-pending follow-up is retried, and jobs whose follow-up is no longer
 * pending are removed. Idempotent, so replicas may run it at the same time.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: Periodic;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(Queues) private readonly queues: Queues,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // reconcile() logs and counts its own failures.
    this.loop = new Periodic(
      () => this.reconcile(),
      config.RECONCILE_INTERVAL_SECONDS * 1000,
      () => undefined,
    );
  }

  onApplicationBootstrap() {
    this.loop.start();
  }

  onModuleDestroy() {
    return this.loop.stop();
  }

  async reconcile(): Promise<ReconciliationReport> {
    const started = Date.now();
    try {
      const report = await this.run();
      this.metrics.reconciliationRuns.inc({ result: 'ok' });
      this.metrics.reconciliationLastSuccess.set(Date.now() / 1000);
      this.metrics.reconciliationRepairs.inc({ kind: 'added' }, report.added);
      this.metrics.reconciliationRepairs.inc({ kind: 'retried' }, report.retried);
      this.metrics.reconciliationRepairs.inc({ kind: 'orphan-removed' }, report.orphansRemoved);
      this.metrics.reconciliationRepairs.inc(
        { kind: 'delivery-requeued' },
        report.deliveriesRequeued,
      );
      this.metrics.reconciliationRepairs.inc({ kind: 'claim-resent' }, report.claimsResent);
      this.metrics.reconciliationRepairs.inc({ kind: 'claim-unknown' }, report.claimsUnknown);
      this.logger.info(report, 'reconciliation done');
      return report;
    } catch (error) {
      this.metrics.reconciliationRuns.inc({ result: 'failed' });
      this.logger.error(
        { err: (error as Error).message, ms: Date.now() - started },
        'reconciliation failed',
      );
      throw error;
    }
  }

  private async jobIds(queue: Queue, types: JobType[]): Promise<Map<string, JobType>> {
    const ids = new Map<string, JobType>();
    for (const type of types) {
      for (let start = 0; ; start += PAGE) {
        const jobs: Job[] = await queue.getJobs([type], start, start + PAGE - 1, true);
        for (const job of jobs) if (job?.id) ids.set(job.id, type);
        if (jobs.length < PAGE) break;
      }
    }
    return ids;
  }

  private async run(): Promise<ReconciliationReport> {
    const started = Date.now();
    const now = this.clock();
    const queue = this.queues.followUps;
    // The queue is read before the database: a follow-up created in between is then seen as
    // missing and added again (a no-op with its deterministic id), never removed as an orphan.
    const live = await this.jobIds(queue, LIVE_STATES);
    const failed = await this.jobIds(queue, ['failed']);
    const horizon = new Date(now.getTime() + this.config.SCHEDULE_HORIZON_HOURS * 3_600_000);
    const pending = await pendingFollowUpsBefore(this.db, horizon);

    const missing = pending.filter((f) => !live.has(f.id) && !failed.has(f.id));
    for (let i = 0; i < missing.length; i += PAGE) {
      await this.queues.addMany(
        'fire-follow-up',
        missing.slice(i, i + PAGE).map((f) => ({
          payload: { followUpId: f.id },
          delayMs: f.fireAt.getTime() - now.getTime(),
        })),
      );
    }
    let retried = 0;
    for (const f of pending) {
      if (!failed.has(f.id)) continue;
      const job = await queue.getJob(f.id);
      if (job && (await job.isFailed())) {
        await job.retry('failed');
        retried += 1;
      }
    }
    // Orphans: jobs (not running) whose follow-up is no longer pending.
    let orphansRemoved = 0;
    const candidates = [...live].filter(([, state]) => state !== 'active').map(([id]) => id);
    for (let i = 0; i < candidates.length; i += PAGE) {
      const page = candidates.slice(i, i + PAGE);
      const stillPending = await pendingAmong(this.db, page);
      for (const id of page) {
        if (stillPending.has(id)) continue;
        await this.queues.remove('fire-follow-up', id);
        orphansRemoved += 1;
      }
    }
    const deliveriesRequeued = await this.requeueDeliveries(now);
    const claims = await this.settleExpiredClaims();
    const outboxPruned = await pruneOutbox(this.db, new Date(now.getTime() - OUTBOX_RETENTION_MS));
    return {
      pendingInHorizon: pending.length,
      jobsInQueue: live.size,
      added: missing.length,
      retried,
      orphansRemoved,
      deliveriesRequeued,
      claimsResent: claims.resent,
      claimsUnknown: claims.unknown,
      outboxPruned,
      ms: Date.now() - started,
    };
  }

  /**
   * E-mail claims whose lease ran out with no outcome (a worker died while sending). A claim whose
   * job is still queued is left to it; one whose job was lost with the queue's data is queued
   * again (sent again under its Message-ID); one whose job failed for good (it stalled too often)
   * becomes unknown, for a scheduler to check.
   */
  private async settleExpiredClaims(): Promise<{ resent: number; unknown: number }> {
    // Leases run on the machine's clock, as the handler's claims do.
    const now = new Date();
    const leaseMs = this.config.DELIVERY_LEASE_SECONDS * 1000;
    const expired = await expiredDeliveryClaims(this.db, now, leaseMs);
    if (expired.length === 0) return { resent: 0, unknown: 0 };
    const queue = this.queues.reminderDeliveries;
    const present = await this.jobIds(queue, [...LIVE_STATES, 'failed']);
    const lost: string[] = [];
    let unknown = 0;
    for (const claim of expired) {
      const state = present.get(`delivery_${claim.id}`);
      if (state === undefined) lost.push(claim.id);
      else if (state === 'failed') {
        const why = `The worker ${claim.claimedBy ?? '(unnamed)'} stopped while sending, and no retry was left: the e-mail may or may not have gone.`;
        if (await markDeliveryOutcomeUnknown(this.db, claim.id, why, now, leaseMs)) unknown += 1;
      }
    }
    await this.queues.addMany(
      'deliver-reminder',
      lost.map((id) => ({ payload: { deliveryId: id }, delayMs: 0 })),
    );
    return { resent: lost.length, unknown };
  }

  /** E-mail deliveries still pending with no job (lost with the queue's data) are queued again. */
  private async requeueDeliveries(now: Date): Promise<number> {
    const pending = await this.db.reminderDelivery.findMany({
      where: {
        channel: 'email',
        state: 'pending',
        createdAt: { lt: new Date(now.getTime() - 60_000) },
      },
      select: { id: true },
      take: 10_000,
    });
    if (pending.length === 0) return 0;
    const queue = this.queues.reminderDeliveries;
    const present = await this.jobIds(queue, [...LIVE_STATES, 'failed']);
    const missing = pending.filter((d) => !present.has(`delivery_${d.id}`));
    await this.queues.addMany(
      'deliver-reminder',
      missing.map((d) => ({ payload: { deliveryId: d.id }, delayMs: 0 })),
    );
    return missing.length;
  }
}
