import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The worker's Prometheus metrics. Labels carry step types and outcomes, never patient data. */
export class WorkerMetrics {
  readonly registry = new Registry();

  readonly jobsProcessed = new Counter({
    name: 'vfx_jobs_processed_total',
    help: 'Jobs run, by job name and outcome (applied, skipped reason, or failed).',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly followUpsFired = new Counter({
    name: 'vfx_follow_ups_fired_total',
    help: 'Follow-ups applied (a step became open, due or overdue), by transition.',
    labelNames: ['transition'] as const,
    registers: [this.registry],
  });

  readonly firingLateness = new Histogram({
    name: 'vfx_follow_up_lateness_seconds',
    help: 'How long after its time a follow-up was applied.',
    labelNames: ['transition'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600],
    registers: [this.registry],
  });

  readonly outboxRelayed = new Counter({
    name: 'vfx_outbox_relayed_total',
    help: 'Outbox messages carried to the queue, by kind and result.',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly outboxSetAside = new Counter({
    name: 'vfx_outbox_set_aside_total',
    help: 'Outbox messages set aside because they did not parse (Admin › Queues lists them), by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly outboxLeaseExpired = new Counter({
    name: 'vfx_outbox_lease_expired_total',
    help: 'Outbox messages taken over from a relay whose lease ran out before it finished.',
    registers: [this.registry],
  });

  readonly outboxDelay = new Histogram({
    name: 'vfx_outbox_delay_seconds',
    help: 'Time from a change being committed to its queue command being carried out.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300],
    registers: [this.registry],
  });

  readonly reconciliationRepairs = new Counter({
    name: 'vfx_reconciliation_repairs_total',
    help: 'Queue repairs made by reconciliation: missing jobs added, orphans removed, failed retried.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly reconciliationRuns = new Counter({
    name: 'vfx_reconciliation_runs_total',
    help: 'Reconciliation runs, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly reconciliationLastSuccess = new Gauge({
    name: 'vfx_reconciliation_last_success_timestamp_seconds',
    help: 'When reconciliation last completed.',
    registers: [this.registry],
  });

  readonly queueLossDetected = new Counter({
    name: 'vfx_queue_loss_detected_total',
    help: 'Times this worker found that the queue store had lost data (flushed, restarted without persistence, truncated or dropped) and began repairing it.',
    registers: [this.registry],
  });

  readonly queueLossLastDetected = new Gauge({
    name: 'vfx_queue_loss_last_detected_timestamp_seconds',
    help: 'When this worker last found that the queue store had lost data (0: never since it started).',
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'vfx_reminder_deliveries_total',
    help: 'E-mail reminder delivery attempts, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'vfx_worker_' });
  }

  /** A gauge whose value is read from the database or queue when Prometheus scrapes. */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (set: (labels: Partial<Record<L, string>>, value: number) => void) => Promise<void>,
  ): Gauge<L> {
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels, value));
      },
    });
  }
}
