import { Inject, Injectable } from '@nestjs/common';
import { type Database, fireFollowUp } from '@vfx/database';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import type { JobHandlers } from '../queue/dispatcher.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, METRICS } from '../tokens.js';

/** Carries a fired follow-up to the database (packages/database re-checks every state). */
@Injectable()
export class FollowUpHandlers {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  readonly handlers: JobHandlers = {
    'fire-follow-up': async ({ followUpId }) => {
      const outcome = await fireFollowUp(this.db, followUpId, {
        now: this.clock(),
        emailReminders: this.config.EMAIL_REMINDERS,
      });
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
    },
  };
}
