import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@vfx/database';
import { type FireOutcome, fireFollowUps } from '@vfx/database/jobs';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import { Batcher } from '../queue/batcher.js';
import type { JobHandlers } from '../queue/dispatcher.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, METRICS } from '../tokens.js';

/**
 * Carries fired follow-ups to the database (packages/database re-checks every state). Jobs
 * running at the same time are applied together, one transaction per batch; each job still
 * completes only once its batch has committed.
 */
@Injectable()
export class FollowUpHandlers {
  private readonly batcher: Batcher<string, FireOutcome>;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(CONFIG) config: WorkerConfig,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.batcher = new Batcher(
      (ids) => fireFollowUps(db, ids, { now: clock(), emailReminders: config.EMAIL_REMINDERS }),
      // Batches are bounded by the jobs running at once; two batches overlap so one can be
      // planned while the other commits.
      { maxBatch: config.WORKER_CONCURRENCY, maxInFlight: 2 },
    );
  }

  readonly handlers: JobHandlers = {
    'fire-follow-up': ({ followUpId }) => this.apply(followUpId),
  };

  /**
   * Applies one follow-up now, in the next batch, if it is still pending and due (the database
   * re-checks), and counts and logs the outcome. Its job runs this; so does the repair of a lost
   * queue, for follow-ups already due (the job added for it then finds nothing to do).
   */
  async apply(followUpId: string): Promise<FireOutcome> {
    const outcome = await this.batcher.submit(followUpId);
    if (outcome.kind === 'applied') {
      this.metrics.jobsProcessed.inc({ job: 'fire-follow-up', outcome: 'applied' });
      this.metrics.followUpsFired.inc({ transition: outcome.transition });
      this.metrics.firingLateness.observe(
        { transition: outcome.transition },
        outcome.latenessMs / 1000,
      );
      this.logger.info(
        {
          followUpId,
          step: outcome.stepId,
          transition: outcome.transition,
          latenessMs: outcome.latenessMs,
        },
        'follow-up applied',
      );
    } else {
      this.metrics.jobsProcessed.inc({ job: 'fire-follow-up', outcome: outcome.reason });
      this.logger.debug({ followUpId, reason: outcome.reason }, 'follow-up skipped');
    }
    return outcome;
  }
}
