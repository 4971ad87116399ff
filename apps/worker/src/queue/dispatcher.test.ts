import { DelayedError, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { WorkerMetrics } from '../metrics/metrics.js';
import { createDispatcher, reportFailures } from './dispatcher.js';
import { JOB_CATALOG, jobRequest, jobsOfQueue, QUEUES } from './job-catalog.js';

const job = (name: string, data: unknown) => ({ name, data }) as Job;

describe('job catalog and dispatch', () => {
  it('refuses to start when a job of the queue has no processor, or two', () => {
    expect(() => createDispatcher(QUEUES.followUps, [])).toThrow(
      'Queue "follow-ups" has jobs without a processor: fire-follow-up',
    );
    const handler = { 'fire-follow-up': async () => 'ok' };
    expect(() => createDispatcher(QUEUES.followUps, [handler, handler])).toThrow(
      'Job "fire-follow-up" has two processors',
    );
  });

  it('routes a job to its handler with the payload checked against the catalog', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatcher(QUEUES.followUps, [
      { 'fire-follow-up': async (payload) => seen.push(payload) },
      { 'deliver-reminder': async () => undefined },
    ]);
    await dispatch(job('fire-follow-up', { followUpId: 'f1' }));
    expect(seen).toEqual([{ followUpId: 'f1' }]);
    // A field this release does not know (a newer worker queued the job) is accepted, and the
    // job is handled; a missing or wrong known field is still refused.
    await dispatch(job('fire-follow-up', { followUpId: 'f2', priority: 'high' }));
    expect(seen).toEqual([{ followUpId: 'f1' }, { followUpId: 'f2', priority: 'high' }]);
    await expect(dispatch(job('fire-follow-up', { followUp: 'f1' }))).rejects.toThrow(/followUpId/);
    await expect(dispatch(job('fire-follow-up', { followUpId: '' }))).rejects.toThrow();
    await expect(dispatch(job('unknown', {}))).rejects.toThrow('No processor for job "unknown"');
  });

  it('gives every job a deterministic id, its retry policy, and ids only in the payload', () => {
    const request = jobRequest(
      'fire-follow-up',
      { followUpId: 'ep1_step_due_20260101T090000Z' },
      -5,
    );
    expect(request.opts).toMatchObject({
      jobId: 'ep1_step_due_20260101T090000Z',
      delay: 0,
      attempts: JOB_CATALOG['fire-follow-up'].options.attempts,
      removeOnComplete: true,
    });
    expect(jobRequest('deliver-reminder', { deliveryId: 'd1' }).opts.jobId).toBe('delivery_d1');
    for (const name of Object.keys(JOB_CATALOG) as (keyof typeof JOB_CATALOG)[]) {
      const shape = JOB_CATALOG[name].payload.shape as Record<string, unknown>;
      for (const key of Object.keys(shape)) expect(key).toMatch(/Id$/);
    }
    expect(jobsOfQueue(QUEUES.reminderDeliveries)).toEqual(['deliver-reminder']);
  });

  it('passes the lock token on, and counts a job that moved itself to delayed as no failure', async () => {
    const tokens: (string | undefined)[] = [];
    const dispatch = createDispatcher(QUEUES.reminderDeliveries, [
      {
        'deliver-reminder': async ({ deliveryId }, _job, token) => {
          tokens.push(token);
          if (deliveryId === 'wait') throw new DelayedError();
          throw new Error('SMTP 450');
        },
      },
    ]);
    const warnings: unknown[] = [];
    const metrics = new WorkerMetrics();
    const processor = reportFailures(
      dispatch,
      { warn: (...args: unknown[]) => warnings.push(args) },
      metrics,
    );
    await expect(
      processor(job('deliver-reminder', { deliveryId: 'wait' }), 'tok-1'),
    ).rejects.toBeInstanceOf(DelayedError);
    expect(warnings).toEqual([]);
    await expect(processor(job('deliver-reminder', { deliveryId: 'd1' }), 'tok-2')).rejects.toThrow(
      'SMTP 450',
    );
    expect(warnings).toHaveLength(1);
    expect(tokens).toEqual(['tok-1', 'tok-2']);
    expect(await metrics.registry.metrics()).toMatch(
      /vfx_jobs_processed_total\{job="deliver-reminder",outcome="error"\} 1/,
    );
  });
});
