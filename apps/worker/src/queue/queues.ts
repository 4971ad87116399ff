import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { JOB_CATALOG, type JobName, type JobPayload, jobRequest, QUEUES } from './job-catalog.js';

/** The worker's queues, with adds that always go through the job catalog. */
@Injectable()
export class Queues {
  constructor(
    @InjectQueue(QUEUES.followUps) readonly followUps: Queue,
    @InjectQueue(QUEUES.reminderDeliveries) readonly reminderDeliveries: Queue,
    @InjectQueue(QUEUES.fhirExports) readonly fhirExports: Queue,
    @InjectQueue(QUEUES.patientMessages) readonly patientMessages: Queue,
  ) {}

  all(): Queue[] {
    return [this.followUps, this.reminderDeliveries, this.fhirExports, this.patientMessages];
  }

  private queueOf(name: JobName): Queue {
    const queue = this.all().find((q) => q.name === JOB_CATALOG[name].queue);
    if (!queue) throw new Error(`No queue "${JOB_CATALOG[name].queue}" for job "${name}"`);
    return queue;
  }

  /** Adds jobs of one kind in one round trip; ids already queued are left as they are. */
  async addMany<N extends JobName>(
    name: N,
    items: readonly { payload: JobPayload<N>; delayMs: number }[],
  ): Promise<void> {
    if (items.length === 0) return;
    const requests = items.map((item) => jobRequest(name, item.payload, item.delayMs));
    await this.queueOf(name).addBulk(requests as Parameters<Queue['addBulk']>[0]);
  }

  /** Removes a job that has failed for good, so a job with the same id can be queued again. */
  async removeFailed(name: JobName, id: string): Promise<void> {
    const job: Job | undefined = await this.queueOf(name).getJob(id);
    if (job && (await job.isFailed())) await job.remove();
  }

  /** Removes a job if it is waiting or delayed; a running job is left to finish (it re-checks). */
  async remove(name: JobName, id: string): Promise<void> {
    const queue = this.queueOf(name);
    try {
      await queue.remove(id);
    } catch (error) {
      // BullMQ refuses to remove a locked (running) job; its processor will find nothing to do.
      const job: Job | undefined = await queue.getJob(id);
      if (job && (await job.isActive())) return;
      throw error;
    }
  }
}
