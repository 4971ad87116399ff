import { DelayedError, type Job } from 'bullmq';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import {
  JOB_CATALOG,
  type JobName,
  type JobPayload,
  jobsOfQueue,
  type QueueName,
} from './job-catalog.js';

/** `token` is the job's lock token, which moving a running job (e.g. to delayed) needs. */
export type JobHandler<N extends JobName> = (
  payload: JobPayload<N>,
  job: Job,
  token?: string,
) => Promise<unknown>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

/**
 * The processor of one queue: checks at start-up that every job of the queue has exactly one
 * handler (a job without a processor would sit in the queue forever), then routes each job to
 * its handler with its payload validated.
 */
export function createDispatcher(queue: QueueName, handlers: readonly JobHandlers[]) {
  const table = new Map<JobName, JobHandler<JobName>>();
  for (const set of handlers) {
    for (const [name, handler] of Object.entries(set) as [JobName, JobHandler<JobName>][]) {
      if (!(name in JOB_CATALOG)) throw new Error(`Handler for unknown job "${name}"`);
      if (JOB_CATALOG[name].queue !== queue) continue;
      if (table.has(name)) throw new Error(`Job "${name}" has two processors`);
      table.set(name, handler);
    }
  }
  const missing = jobsOfQueue(queue).filter((name) => !table.has(name));
  if (missing.length > 0) {
    throw new Error(`Queue "${queue}" has jobs without a processor: ${missing.join(', ')}`);
  }
  return async (job: Job, token?: string): Promise<unknown> => {
    const handler = table.get(job.name as JobName);
    if (!handler) throw new Error(`No processor for job "${job.name}" on queue "${queue}"`);
    const payload = JOB_CATALOG[job.name as JobName].payload.parse(job.data);
    return handler(payload as never, job, token);
  };
}

/**
 * Logs and counts every failed attempt of a job before BullMQ retries it, so a failing job is
 * seen while it is being retried, not only once it has run out of attempts.
 */
export function reportFailures(
  processor: (job: Job, token?: string) => Promise<unknown>,
  logger: Pick<Logger, 'warn'>,
  metrics: Pick<WorkerMetrics, 'jobsProcessed'>,
) {
  return async (job: Job, token?: string): Promise<unknown> => {
    try {
      return await processor(job, token);
    } catch (error) {
      // A job that moved itself to delayed has not failed.
      if (error instanceof DelayedError) throw error;
      metrics.jobsProcessed.inc({ job: job.name, outcome: 'error' });
      logger.warn(
        {
          job: job.name,
          jobId: job.id,
          attempt: job.attemptsMade + 1,
          err: error,
        },
        'job attempt failed; BullMQ retries it with backoff',
      );
      throw error;
    }
  };
}
