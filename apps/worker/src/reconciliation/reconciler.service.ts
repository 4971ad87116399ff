import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Database } from '@vfx/database';
import {
  expiredDeliveryClaims,
  markDeliveryOutcomeUnknown,
  pendingAmong,
  pendingEmailDeliveries,
  pendingFollowUpsBefore,
  pruneOutbox,
} from '@vfx/database/jobs';
import type { Job, JobType, Queue } from 'bullmq';
import type { WorkerConfig } from '../config/env.js';
import { FollowUpHandlers } from '../follow-ups/follow-up.handlers.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import { Periodic } from '../periodic.js';
import { JOB_CATALOG, type JobName } from '../queue/job-catalog.js';
import { Queues } from '../queue/queues.js';
import { describeLoss, QueueStoreMarker } from '../queue/store-marker.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, METRICS } from '../tokens.js';

export interface ReconciliationReport {
  readonly pendingInHorizon: number;
  readonly jobsInQueue: number;
  readonly added: number;
  /** Follow-ups already due that a repair applied itself instead of leaving them to the queue. */
  readonly appliedAtOnce: number;
  readonly retried: number;
  readonly orphansRemoved: number;
  readonly deliveriesRequeued: number;
  /** Sending claims that ran out with no outcome: sent again, or marked unknown. */
  readonly claimsResent: number;
  readonly claimsUnknown: number;
  /** Jobs a partial loss left without their data, removed so that their work is queued again. */
  readonly brokenRemoved: number;
  readonly outboxPruned: number;
  readonly ms: number;
}

/** Whether a job is one of the catalog's, for this queue, with a payload that parses. */
function isCatalogued(queueName: string, job: Job): boolean {
  const entry = JOB_CATALOG[job.name as JobName] as (typeof JOB_CATALOG)[JobName] | undefined;
  return entry?.queue === queueName && entry.payload.safeParse(job.data).success;
}

/** What /health/ready says about the queue store. */
export interface QueueStoreStatus {
  /** A loss was found and the reconciliation repairing it has not yet completed. */
  readonly repairing: boolean;
  readonly lastLossDetectedAt: Date | null;
  /** What the last loss was, in words. */
  readonly lastLoss: readonly string[];
}

const PAGE = 1000;
const LIVE_STATES: JobType[] = ['delayed', 'waiting', 'prioritized', 'active', 'waiting-children'];
const OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;
/**
 * The periodic pass leaves younger pending deliveries to the outbox relay, which is queuing them
 * (a job added twice is harmless; the age only spares the queue the extra adds).
 */
const DELIVERY_REQUEUE_MIN_AGE_MS = 60_000;
/** How long start-up waits for the queue store to be marked, and shutdown for a check. */
const MARK_AT_START_MS = 5_000;

/** The promise's value, or 'timed out' if it takes longer than `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Makes the queue agree with the database: every pending follow-up due within the horizon gets
 * its job (so follow-ups move into the queue as their time approaches, and a queue that lost its
 * data is refilled), a failed job of a still-pending follow-up is retried, jobs whose follow-up is
 * no longer pending are removed, jobs a partial loss left without their data are replaced, and
 * pending e-mail deliveries without a job are queued again.
 * Idempotent, so replicas may run it at the same time; within one worker, runs never overlap.
 *
 * It runs at start-up, every RECONCILE_INTERVAL_SECONDS as the backstop, and at once when the
 * queue store is found to have lost data (checked every QUEUE_LOSS_CHECK_MS, see
 * QueueStoreMarker): without that, a flushed or restarted Redis would leave every step due in the
 * meantime late by up to the whole interval.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: Periodic<ReconciliationReport>;
  private readonly watch: Periodic<void>;
  private readonly marker: QueueStoreMarker;
  /** Set from a loss being found until a reconciliation started after it completes. */
  private repair: { readonly detectedAt: Date; generation: number } | undefined;
  private repairInFlight = false;
  private lastLoss: { readonly at: Date; readonly lost: readonly string[] } | undefined;
  private storeUnreachable = false;
  /** Broken jobs removed during the run in progress (runs never overlap). */
  private brokenRemoved = 0;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(Queues) private readonly queues: Queues,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FollowUpHandlers) private readonly followUps: FollowUpHandlers,
  ) {
    // reconcileOnce() logs and counts its own failures.
    this.loop = new Periodic(
      () => this.reconcileOnce(),
      config.RECONCILE_INTERVAL_SECONDS * 1000,
      () => undefined,
    );
    this.marker = new QueueStoreMarker(queues.all());
    this.watch = new Periodic(
      () => this.checkStore(),
      config.QUEUE_LOSS_CHECK_MS,
      (error) => this.checkFailed(error),
    );
  }

  async onApplicationBootstrap() {
    // The store is marked before the first reconciliation reads the queue: a loss after that
    // read then always removes a marker this worker knows of. A store that does not answer
    // must not hold up the start (its commands wait for it); the checks mark it when it answers.
    const marking = this.marker.mark();
    const outcome = await within(marking, MARK_AT_START_MS).catch((error: Error) => error);
    if (outcome instanceof Error) this.checkFailed(outcome);
    else if (outcome === 'timed out') {
      marking.catch(() => undefined);
      this.checkFailed(new Error(`no answer within ${MARK_AT_START_MS} ms`));
    }
    this.loop.start();
    this.watch.start(this.config.QUEUE_LOSS_CHECK_MS);
  }

  async onModuleDestroy() {
    // A check only reads (and re-marks); one stuck on a store that does not answer is left
    // behind rather than holding up shutdown. A reconciliation in progress is waited for.
    await within(this.watch.stop(), MARK_AT_START_MS);
    await this.loop.stop();
  }

  /** Reconciles now, or right after the run in progress (runs never overlap). */
  reconcile(): Promise<ReconciliationReport> {
    return this.loop.runNow();
  }

  storeStatus(): QueueStoreStatus {
    return {
      repairing: this.repair !== undefined,
      lastLossDetectedAt: this.lastLoss?.at ?? null,
      lastLoss: this.lastLoss?.lost ?? [],
    };
  }

  /** One look at the queue store; a loss starts the repair without waiting for it. */
  private async checkStore(): Promise<void> {
    if (!this.marker.isMarked) {
      // The store did not answer at start, so neither did the start-up reconciliation, most
      // likely: it runs now instead of at the next interval.
      await this.marker.mark();
      this.storeReachable();
      this.logger.info('queue store marked; reconciling what start-up could not');
      this.reconcile().catch(() => undefined);
      return;
    }
    const { lost, remarkedElsewhere } = await this.marker.inspect();
    this.storeReachable();
    if (lost.length > 0) {
      const at = new Date();
      const described = lost.map(describeLoss);
      // One loss may show for several checks until it is repaired; it is counted once.
      if (!this.repair) {
        this.metrics.queueLossDetected.inc();
        this.metrics.queueLossLastDetected.set(at.getTime() / 1000);
        this.lastLoss = { at, lost: described };
      }
      this.logger.warn(
        { lost: described, backend: this.config.queueBackend },
        'the queue store lost data: repairing now (marking it again, then reconciling the queue with the database: due follow-ups applied, pending e-mails queued again)',
      );
      this.startRepair(at);
      await this.marker.remark(lost);
      this.requestRepairRun();
    } else if (remarkedElsewhere) {
      this.logger.info(
        'another worker marked the queue store again after a loss; reconciling here too',
      );
      this.startRepair(new Date());
      this.requestRepairRun();
    } else if (this.repair && !this.repairInFlight) {
      // The last repair run failed (it logged why): try again.
      this.requestRepairRun();
    }
  }

  private startRepair(detectedAt: Date) {
    this.repair ??= { detectedAt, generation: 0 };
  }

  /**
   * A reconciliation that starts after now (Periodic.runNow): when one that started after the
   * latest loss completes, the repair is done.
   */
  private requestRepairRun() {
    const repair = this.repair;
    if (!repair) return;
    repair.generation += 1;
    const generation = repair.generation;
    this.repairInFlight = true;
    this.loop.runNow().then(
      (report) => {
        if (this.repair !== repair || repair.generation !== generation) return;
        this.repair = undefined;
        this.repairInFlight = false;
        this.logger.warn(
          {
            added: report.added,
            appliedAtOnce: report.appliedAtOnce,
            deliveriesRequeued: report.deliveriesRequeued,
            msSinceDetected: Date.now() - repair.detectedAt.getTime(),
          },
          'queue store repaired: every pending follow-up and e-mail has its job again',
        );
      },
      () => {
        if (this.repair === repair && repair.generation === generation) this.repairInFlight = false;
      },
    );
  }

  private checkFailed(error: Error) {
    // Checked every second or so: an unreachable store is logged once, not every time (the
    // readiness check reports it meanwhile).
    if (this.storeUnreachable) return;
    this.storeUnreachable = true;
    this.logger.warn(
      { err: error, backend: this.config.queueBackend },
      'cannot check the queue store for lost data; retrying',
    );
  }

  private storeReachable() {
    if (!this.storeUnreachable) return;
    this.storeUnreachable = false;
    this.logger.info('the queue store answers again; checking it for lost data');
  }

  private async reconcileOnce(): Promise<ReconciliationReport> {
    const started = Date.now();
    try {
      const report = await this.run();
      this.metrics.reconciliationRuns.inc({ result: 'ok' });
      this.metrics.reconciliationLastSuccess.set(Date.now() / 1000);
      this.metrics.reconciliationRepairs.inc({ kind: 'added' }, report.added);
      this.metrics.reconciliationRepairs.inc({ kind: 'applied-at-once' }, report.appliedAtOnce);
      this.metrics.reconciliationRepairs.inc({ kind: 'retried' }, report.retried);
      this.metrics.reconciliationRepairs.inc({ kind: 'orphan-removed' }, report.orphansRemoved);
      this.metrics.reconciliationRepairs.inc(
        { kind: 'delivery-requeued' },
        report.deliveriesRequeued,
      );
      this.metrics.reconciliationRepairs.inc({ kind: 'claim-resent' }, report.claimsResent);
      this.metrics.reconciliationRepairs.inc({ kind: 'claim-unknown' }, report.claimsUnknown);
      this.metrics.reconciliationRepairs.inc({ kind: 'broken-removed' }, report.brokenRemoved);
      this.logger.info(report, 'reconciliation done');
      return report;
    } catch (error) {
      this.metrics.reconciliationRuns.inc({ result: 'failed' });
      this.logger.error({ err: error, ms: Date.now() - started }, 'reconciliation failed');
      throw error;
    }
  }

  /**
   * The ids of the queue's jobs in these states. A job that is not one of the catalog's (no name,
   * or a payload that does not parse) is what a partial loss leaves behind: its hash deleted while
   * its id stayed in a list (keys deleted a batch at a time, or evicted), then half re-created by
   * BullMQ's next move of it. It can never run, and its id would keep the real job out, so it is
   * removed and not counted: the follow-up or delivery is queued again. One a worker holds is left
   * to fail its attempt; a later pass removes it.
   */
  private async jobIds(queue: Queue, types: JobType[]): Promise<Map<string, JobType>> {
    const ids = new Map<string, JobType>();
    const broken: string[] = [];
    for (const type of types) {
      for (let start = 0; ; start += PAGE) {
        const jobs: Job[] = await queue.getJobs([type], start, start + PAGE - 1, true);
        for (const job of jobs) {
          if (!job?.id) continue;
          if (type !== 'active' && !isCatalogued(queue.name, job)) broken.push(job.id);
          else ids.set(job.id, type);
        }
        if (jobs.length < PAGE) break;
      }
    }
    for (const id of broken) {
      // Removed after the listing, which removals would shift; one taken meanwhile stays.
      await queue.remove(id).catch(() => undefined);
      this.brokenRemoved += 1;
    }
    if (broken.length > 0) {
      this.logger.warn(
        { queue: queue.name, jobs: broken.length },
        'removed queue jobs left broken by a partial loss of the queue data; their work is queued again',
      );
    }
    return ids;
  }

  private async run(): Promise<ReconciliationReport> {
    const started = Date.now();
    const now = this.clock();
    const queue = this.queues.followUps;
    this.brokenRemoved = 0;
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
    const appliedAtOnce = this.repair ? await this.applyDue(missing, now) : 0;
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
    // While repairing a loss, every pending delivery without a job is re-queued, however young.
    const deliveriesRequeued = await this.requeueDeliveries(now, {
      minAgeMs: this.repair ? 0 : DELIVERY_REQUEUE_MIN_AGE_MS,
    });
    const claims = await this.settleExpiredClaims();
    const outboxPruned = await pruneOutbox(this.db, new Date(now.getTime() - OUTBOX_RETENTION_MS));
    return {
      pendingInHorizon: pending.length,
      jobsInQueue: live.size,
      added: missing.length,
      appliedAtOnce,
      retried,
      orphansRemoved,
      deliveriesRequeued,
      claimsResent: claims.resent,
      claimsUnknown: claims.unknown,
      brokenRemoved: this.brokenRemoved,
      outboxPruned,
      ms: Date.now() - started,
    };
  }

  /**
   * While repairing a loss, the follow-ups already due are applied here, at once, through the
   * same batches as their jobs: the queue backend has just lost its data and may take seconds to
   * run jobs again (BullMQ's PostgreSQL worker first fails every job it was running, each failure
   * on a new connection; 3 to 7 s measured with 64 running). Their jobs stay queued and do nothing
   * once the follow-up is applied; one that cannot be applied here is left to its job's retries.
   */
  private async applyDue(missing: readonly { id: string; fireAt: Date }[], now: Date) {
    const due = missing.filter((f) => f.fireAt.getTime() <= now.getTime());
    const outcomes = await Promise.allSettled(due.map((f) => this.followUps.apply(f.id)));
    return outcomes.filter((o) => o.status === 'fulfilled' && o.value.kind === 'applied').length;
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
  private async requeueDeliveries(now: Date, { minAgeMs }: { minAgeMs: number }): Promise<number> {
    const pending = await pendingEmailDeliveries(
      this.db,
      new Date(now.getTime() - minAgeMs),
      10_000,
    );
    if (pending.length === 0) return 0;
    const queue = this.queues.reminderDeliveries;
    const present = await this.jobIds(queue, [...LIVE_STATES, 'failed']);
    const missing = pending.filter((id) => !present.has(`delivery_${id}`));
    await this.queues.addMany(
      'deliver-reminder',
      missing.map((id) => ({ payload: { deliveryId: id }, delayMs: 0 })),
    );
    return missing.length;
  }
}
