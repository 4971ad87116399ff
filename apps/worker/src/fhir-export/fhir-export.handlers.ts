import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@vfx/database';
import { failFhirExport } from '@vfx/database/jobs';
import type { Job } from 'bullmq';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import type { JobHandlers } from '../queue/dispatcher.js';
import { JOB_CATALOG } from '../queue/job-catalog.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, METRICS } from '../tokens.js';
import { runFhirExport } from './fhir-export.processor.js';

/**
 * Runs FHIR bulk exports (fhir-export.processor.ts). A failed attempt is retried by BullMQ and
 * resumes after the export's last saved batch; after the last attempt the export is marked
 * failed, so its status URL answers the error instead of "in progress" for ever.
 */
@Injectable()
export class FhirExportHandlers {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  readonly handlers: JobHandlers = {
    'run-fhir-export': ({ exportId }, job) => this.run(exportId, job),
  };

  private async run(exportId: string, job: Job) {
    const startedAt = Date.now();
    try {
      const outcome = await runFhirExport(this.db, exportId, {
        batchSize: this.config.FHIR_EXPORT_BATCH_SIZE,
        pauseMs: this.config.FHIR_EXPORT_PAUSE_MS,
        clock: this.clock,
        onBatch: async (progress) => {
          // Shown on the queue board; also tells BullMQ the job is alive between batches.
          await job.updateProgress({
            patientsDone: progress.patientsDone,
            patientsTotal: progress.patientsTotal,
          });
        },
      });
      this.metrics.jobsProcessed.inc({ job: 'run-fhir-export', outcome: outcome.kind });
      this.logger.info(
        { exportId, ...outcome, ms: Date.now() - startedAt, attempt: job.attemptsMade + 1 },
        outcome.kind === 'completed' ? 'FHIR export completed' : 'FHIR export stopped',
      );
      return outcome;
    } catch (error) {
      const attempts = job.opts?.attempts ?? JOB_CATALOG['run-fhir-export'].options.attempts;
      if (job.attemptsMade + 1 >= attempts) {
        await failFhirExport(
          this.db,
          exportId,
          `The export failed after ${attempts} attempts: ${(error as Error).message}`,
          this.clock(),
        );
      }
      throw error;
    }
  }
}
