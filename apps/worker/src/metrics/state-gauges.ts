import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Database } from '@vfx/database';
import { outboxLagSeconds, outboxSetAsideCount, overdueStepsByType } from '@vfx/database/jobs';
import { failedDeliveryCount } from '@vfx/database/views';
import { Queues } from '../queue/queues.js';
import { DATABASE, METRICS } from '../tokens.js';
import type { WorkerMetrics } from './metrics.js';

/** Gauges read from the database and queues at scrape time, so every replica reports the truth. */
@Injectable()
export class StateGauges implements OnModuleInit {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(Queues) private readonly queues: Queues,
  ) {}

  onModuleInit() {
    this.metrics.gauge(
      'vfx_overdue_steps',
      'Plan steps now overdue, by step type.',
      ['step'],
      async (set) => {
        for (const [step, count] of await overdueStepsByType(this.db)) set({ step }, count);
      },
    );
    this.metrics.gauge(
      'vfx_outbox_lag_seconds',
      'Age of the oldest outbox message not yet relayed (0 when the outbox is empty).',
      [],
      async (set) => set({}, await outboxLagSeconds(this.db)),
    );
    this.metrics.gauge(
      'vfx_outbox_set_aside',
      'Outbox messages set aside because they did not parse, still kept (see Admin › Queues).',
      [],
      async (set) => set({}, await outboxSetAsideCount(this.db)),
    );
    this.metrics.gauge(
      'vfx_queue_jobs',
      'Jobs in each queue, by state.',
      ['queue', 'state'],
      async (set) => {
        for (const queue of this.queues.all()) {
          const counts = await queue.getJobCounts(
            'delayed',
            'waiting',
            'active',
            'failed',
            'prioritized',
          );
          for (const [state, count] of Object.entries(counts))
            set({ queue: queue.name, state }, count);
        }
      },
    );
    this.metrics.gauge(
      'vfx_reminder_deliveries_failed',
      'E-mail reminders that failed after every retry and wait for a scheduler.',
      [],
      async (set) => set({}, await failedDeliveryCount(this.db)),
    );
  }
}
