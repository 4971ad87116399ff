import type { Job } from 'bullmq';
import {
  JOB_CATALOG,
  type JobName,
  type JobPayload,
  jobsOfQueue,
  type QueueName,
} from './job-catalog.js';

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: Job) => Promise<unknown>;
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
  return async (job: Job): Promise<unknown> => {
    const handler = table.get(job.name as JobName);
    if (!handler) throw new Error(`No processor for job "${job.name}" on queue "${queue}"`);
    const payload = JOB_CATALOG[job.name as JobName].payload.parse(job.data);
    return handler(payload as never, job);
  };
}
