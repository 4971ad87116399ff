import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Database } from '@vfx/database';
import {
  deleteExpiredFhirExports,
  failFhirExport,
  unattendedFhirExports,
} from '@vfx/database/jobs';
import type { Logger } from '../logger.js';
import { Periodic } from '../periodic.js';
import { jobId } from '../queue/job-catalog.js';
import { Queues } from '../queue/queues.js';
import { CLOCK, type Clock, DATABASE, LOGGER } from '../tokens.js';

/** How often the sweep runs. */
export const FHIR_EXPORT_SWEEP_MS = 60_000;
/** An export untouched this long while queued or running has lost its job. */
export const FHIR_EXPORT_UNATTENDED_MS = 5 * 60_000;

/**
 * Keeps exports moving and the database clean, once a minute (and at start-up):
 *   - an export queued or running that no job has touched for FHIR_EXPORT_UNATTENDED_MS has its
 *     job queued again (the queue store lost it, or the outbox message was relayed to a store
 *     that was then wiped); the deterministic job id makes this a no-op if the job is there; a
 *     job that BullMQ failed without its handler seeing it (stalled too often) fails the export;
 *   - exports whose time has passed are deleted with their files, whether or not anyone asks for
 *     another export.
 */
@Injectable()
export class FhirExportSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: Periodic<number>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(Queues) private readonly queues: Queues,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.loop = new Periodic(
      () => this.sweep(),
      FHIR_EXPORT_SWEEP_MS,
      (error) => logger.error({ err: error }, 'FHIR export sweep failed'),
    );
  }

  onApplicationBootstrap() {
    this.loop.start();
  }

  onModuleDestroy() {
    return this.loop.stop();
  }

  /** One sweep; returns how many exports had their job queued again. */
  async sweep(): Promise<number> {
    const now = this.clock();
    const deleted = await deleteExpiredFhirExports(this.db, now);
    if (deleted > 0) this.logger.info({ deleted }, 'expired FHIR exports deleted');
    const ids = await unattendedFhirExports(this.db, {
      updatedBefore: new Date(now.getTime() - FHIR_EXPORT_UNATTENDED_MS),
      now,
      limit: 100,
    });
    const requeue: string[] = [];
    for (const exportId of ids) {
      const job = await this.queues.fhirExports.getJob(jobId['run-fhir-export']({ exportId }));
      if (job && (await job.isFailed())) {
        await failFhirExport(
          this.db,
          exportId,
          `The export's job failed: ${job.failedReason ?? 'no reason recorded'}`,
          now,
        );
      } else {
        requeue.push(exportId);
      }
    }
    await this.queues.addMany(
      'run-fhir-export',
      requeue.map((exportId) => ({ payload: { exportId }, delayMs: 0 })),
    );
    if (requeue.length > 0) {
      this.logger.warn(
        { exports: requeue },
        'FHIR exports with no job seen: their jobs queued again',
      );
    }
    return requeue.length;
  }
}
