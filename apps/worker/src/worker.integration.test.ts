import { enrolPatient, issueQueueBoardTicket, recordEvent } from '@vfx/database/commands';
import { fireFollowUp } from '@vfx/database/jobs';
import { admittedTestEnrolment, testEnrolment } from '@vfx/database/testing';
import { isReminderTimer, serviceCalendar } from '@vfx/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  deleteRedisPrefix,
  type TestEnvironment,
  testEnvironment,
  waitFor,
} from './testing/harness.js';
import type { WorkerApp } from './worker-app.js';

const HOUR = 3_600_000;
const calendar = serviceCalendar();
let counter = 0;

/** An admitted patient whose 48-hour pain review becomes due `inMs` from now. */
function admittedDueIn(inMs: number) {
  counter += 1;
  return {
    n: counter,
    input: admittedTestEnrolment(counter, Date.now() - 48 * HOUR + inMs),
    episodeId: `ep-${counter}`,
  };
}

/**
 * A nurse settles the 48-hour review now, before it opens: as declined, since only a pain
 * assessment made once the review opens would complete it (and the generic entry may not say
 * "done" for a step with an entry of its own).
 */
function completeReview(env: TestEnvironment, episodeId: string) {
  return recordEvent(
    env.db,
    {
      episodeId,
      event: {
        type: 'step-completed',
        stepKey: 'pain-review-48h',
        outcome: 'declined',
        occurredAt: new Date().toISOString(),
      },
    },
    { actorId: 'nurse-1' },
  );
}

async function queuedIds(worker: WorkerApp) {
  const jobs = await worker.queues.followUps.getJobs(
    ['delayed', 'waiting', 'active', 'prioritized'],
    0,
    -1,
  );
  return new Set(jobs.filter(Boolean).map((job) => job.id as string));
}

async function pendingIds(env: TestEnvironment, episodeId?: string, withinMs = 7 * 24 * HOUR) {
  const rows = await env.db.followUp.findMany({
    where: {
      state: 'pending',
      fireAt: { lt: new Date(Date.now() + withinMs) },
      ...(episodeId ? { episodeId } : {}),
    },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

describe.each(BACKENDS)('worker on %s', (backend) => {
  let env: TestEnvironment;
  let worker: WorkerApp;
  beforeEach(async () => {
    env = await testEnvironment(backend);
    worker = await env.start();
  });
  afterEach(async () => {
    await env.close();
  });

  it('enrolling a patient schedules the plan’s jobs, each at its time', async () => {
    const { input, episodeId } = admittedDueIn(6 * HOUR);
    await enrolPatient(env.db, input, { actorId: 'nurse-1' });
    const expected = await pendingIds(env, episodeId);
    // Within the horizon: the review's due and overdue reminders (the first contact is done),
    // besides status changes at the start of the coming days ('open', 'due-day', 'overdue-day'),
    // which remind nobody.
    const soon = await env.db.followUp.findMany({ where: { id: { in: expected } } });
    expect(
      soon
        .filter((f) => isReminderTimer(f.transition))
        .map((f) => `${f.stepKey}/${f.transition}`)
        .sort(),
    ).toEqual(['pain-review-48h/due', 'pain-review-48h/overdue']);
    await waitFor('the jobs', async () => {
      const queued = await queuedIds(worker);
      return expected.every((id) => queued.has(id));
    });
    const followUps = await env.db.followUp.findMany({ where: { id: { in: expected } } });
    for (const followUp of followUps) {
      const job = await worker.queues.followUps.getJob(followUp.id);
      expect(job?.data).toEqual({ followUpId: followUp.id });
      const firesAt = (job?.timestamp ?? 0) + (job?.delay ?? 0);
      expect(Math.abs(firesAt - followUp.fireAt.getTime())).toBeLessThan(5_000);
    }
    // Follow-ups beyond the horizon wait in the database, not in the queue.
    const later = await env.db.followUp.findMany({
      where: { episodeId, state: 'pending', fireAt: { gte: new Date(Date.now() + 8 * 24 * HOUR) } },
    });
    expect(later.length).toBeGreaterThan(0);
    const queued = await queuedIds(worker);
    for (const followUp of later) expect(queued.has(followUp.id)).toBe(false);
  });

  it('a step made due 2 seconds ahead fires within 1 second of its time (real wait)', async () => {
    const { input, episodeId } = admittedDueIn(2_000);
    await enrolPatient(env.db, input, { actorId: 'nurse-1' });
    const due = await env.db.followUp.findFirstOrThrow({
      where: { episodeId, stepKey: 'pain-review-48h', transition: 'due' },
    });
    expect(due.fireAt.getTime() - Date.now()).toBeGreaterThan(1_000);
    const fired = await waitFor(
      'the 48-hour review to become due',
      () => env.db.followUp.findFirst({ where: { id: due.id, state: 'fired' } }),
      10_000,
    );
    const settledAt = fired.settledAt?.getTime() ?? 0;
    expect(settledAt - due.fireAt.getTime()).toBeGreaterThanOrEqual(0);
    expect(settledAt - due.fireAt.getTime()).toBeLessThan(1_000);
    const step = await env.db.planStep.findUniqueOrThrow({
      where: { episodeId_key: { episodeId, key: 'pain-review-48h' } },
    });
    expect(step.status).toBe('due');
    const reminder = await env.db.reminder.findUniqueOrThrow({
      where: { followUpId: due.id },
      include: { deliveries: true },
    });
    expect(reminder).toMatchObject({ kind: 'due', nurseId: 'nurse-1', status: 'open' });
    expect(reminder.deliveries.map((d) => d.channel).sort()).toEqual(['email', 'in_app']);
  });

  it('recording a completion removes the step’s jobs; a correction moves them', async () => {
    const { input, episodeId } = admittedDueIn(6 * HOUR);
    await enrolPatient(env.db, input, { actorId: 'nurse-1' });
    const reviewJobs = await env.db.followUp.findMany({
      where: { episodeId, stepKey: 'pain-review-48h', state: 'pending' },
    });
    await waitFor('the review jobs', async () => {
      const queued = await queuedIds(worker);
      return reviewJobs.every((f) => queued.has(f.id));
    });
    await completeReview(env, episodeId);
    await waitFor('the review jobs to go', async () => {
      const queued = await queuedIds(worker);
      return reviewJobs.every((f) => !queued.has(f.id));
    });

    // Denosumab: starting it schedules the next dose; correcting the start date moves it. The
    // start is chosen so that the next dose falls on a working day within the queue's horizon
    // (a bank holiday may push a dose 6 months after other days past it).
    const today = calendar.localDate(Date.now());
    let startDay: string | undefined;
    for (let doseDay = today; !startDay; ) {
      doseDay = calendar.workingDayOnOrAfter(calendar.addToDate(doseDay, { days: 1 }));
      // 6 months before it, unless month ends clamp it (31 Aug + 6 months is 28 Feb).
      const candidate = calendar.addToDate(doseDay, { months: -6 });
      if (calendar.addToDate(candidate, { months: 6 }) === doseDay) startDay = candidate;
    }
    const startedAt = new Date(calendar.atLocalTime(startDay, '10:00'));
    counter += 1;
    const dmab = testEnrolment({
      n: counter,
      fractureDate: calendar.addToDate(startDay, { days: -30 }),
    });
    const dmabEpisode = `ep-${counter}`;
    await enrolPatient(env.db, dmab, { actorId: 'nurse-1' });
    await recordEvent(
      env.db,
      {
        episodeId: dmabEpisode,
        event: {
          id: `start-${counter}`,
          type: 'bone-therapy-started',
          drug: 'denosumab',
          occurredAt: startedAt.toISOString(),
        },
      },
      { actorId: 'nurse-1' },
    );
    const key = `denosumab-next-dose~start-${counter}~2`;
    const before = await env.db.followUp.findMany({
      where: { episodeId: dmabEpisode, stepKey: key, state: 'pending' },
    });
    await waitFor('the dose jobs', async () => {
      const queued = await queuedIds(worker);
      return before.some((f) => queued.has(f.id));
    });
    await recordEvent(
      env.db,
      {
        episodeId: dmabEpisode,
        event: {
          type: 'bone-therapy-started',
          drug: 'denosumab',
          supersedes: `start-${counter}`,
          occurredAt: new Date(startedAt.getTime() + 3 * 24 * HOUR).toISOString(),
        },
      },
      { actorId: 'nurse-1' },
    );
    const after = await env.db.followUp.findMany({
      where: { episodeId: dmabEpisode, stepKey: key, state: 'pending' },
    });
    const inHorizon = after.filter((f) => f.fireAt.getTime() < Date.now() + 7 * 24 * HOUR);
    expect(after.map((f) => f.id)).not.toEqual(before.map((f) => f.id));
    await waitFor('the moved dose jobs', async () => {
      const queued = await queuedIds(worker);
      const moved = before.filter((f) => !after.some((a) => a.id === f.id));
      return inHorizon.every((f) => queued.has(f.id)) && moved.every((f) => !queued.has(f.id));
    });
  });

  it('a duplicate or late firing changes nothing (side effects stay at one)', async () => {
    const { input, episodeId } = admittedDueIn(300);
    await enrolPatient(env.db, input, { actorId: 'nurse-1' });
    const due = await env.db.followUp.findFirstOrThrow({
      where: { episodeId, stepKey: 'pain-review-48h', transition: 'due' },
    });
    await waitFor('the firing', () =>
      env.db.followUp.findFirst({ where: { id: due.id, state: 'fired' } }),
    );
    // The same job again (a second delivery), and the processor's work run twice more directly.
    await worker.queues.followUps.add(
      'fire-follow-up',
      { followUpId: due.id },
      { jobId: `${due.id}-again`, removeOnComplete: true },
    );
    await waitFor(
      'the duplicate job to finish',
      async () => !(await worker.queues.followUps.getJob(`${due.id}-again`)),
    );
    const again = await Promise.all([fireFollowUp(env.db, due.id), fireFollowUp(env.db, due.id)]);
    expect(again).toEqual([
      { kind: 'skipped', reason: 'not-pending' },
      { kind: 'skipped', reason: 'not-pending' },
    ]);
    expect(await env.db.reminder.count({ where: { followUpId: due.id } })).toBe(1);
    expect(
      await env.db.auditEntry.count({
        where: { action: 'step.due', entityId: `${episodeId}/pain-review-48h` },
      }),
    ).toBe(1);

    // A job that arrives after the step was completed does nothing either.
    const overdue = await env.db.followUp.findFirstOrThrow({
      where: { episodeId, stepKey: 'pain-review-48h', transition: 'overdue' },
    });
    await completeReview(env, episodeId);
    expect(
      await fireFollowUp(env.db, overdue.id, { now: new Date(overdue.fireAt.getTime() + 1000) }),
    ).toEqual({
      kind: 'skipped',
      reason: 'not-pending',
    });
    expect(await env.db.reminder.count({ where: { episodeId } })).toBe(1);
  });

  it('after the queue loses all its data, reconciliation puts every pending job back', async () => {
    // Only the reconciliation called below may repair the queue here: a worker that looks for
    // the loss itself would repair it first (queue-loss.integration.test.ts tests that).
    await worker.close();
    worker = await env.start({ env: { QUEUE_LOSS_CHECK_MS: String(HOUR) } });
    const enrolled = [admittedDueIn(6 * HOUR), admittedDueIn(30 * HOUR), admittedDueIn(40 * HOUR)];
    for (const { input } of enrolled) await enrolPatient(env.db, input, { actorId: 'nurse-1' });
    const expected = await pendingIds(env);
    await waitFor('the jobs', async () => {
      const queued = await queuedIds(worker);
      return expected.every((id) => queued.has(id));
    });
    if (backend === 'redis') {
      // Everything this worker keeps in Redis, as after a Redis restart without persistence;
      // only this test's own keys, never another program's.
      await deleteRedisPrefix(env.config.QUEUE_PREFIX);
    } else {
      await worker.queues.followUps.obliterate({ force: true });
    }
    expect((await queuedIds(worker)).size).toBe(0);
    const report = await worker.reconciler.reconcile();
    expect(report.added).toBe(expected.length);
    const queued = await queuedIds(worker);
    for (const id of expected) expect(queued.has(id), id).toBe(true);
    // And an orphan (a job whose follow-up is no longer pending) is removed.
    await worker.queues.followUps.add(
      'fire-follow-up',
      { followUpId: 'no-such-follow-up' },
      { jobId: 'orphan-1', delay: HOUR },
    );
    const second = await worker.reconciler.reconcile();
    expect(second).toMatchObject({ added: 0, orphansRemoved: 1 });
    expect(await worker.queues.followUps.getJob('orphan-1')).toBeFalsy();
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    const repaired = /vfx_reconciliation_repairs_total\{kind="added"\} (\d+)/.exec(metrics);
    expect(Number(repaired?.[1])).toBeGreaterThanOrEqual(expected.length);
  });

  it('two worker replicas relay the outbox without double or lost jobs', async () => {
    const second = await env.start();
    const enrolled = Array.from({ length: 12 }, () => admittedDueIn(6 * HOUR));
    await Promise.all(
      enrolled.map(({ input }) => enrolPatient(env.db, input, { actorId: 'nurse-1' })),
    );
    await Promise.all([worker.relay.drain(), second.relay.drain()]);
    await waitFor(
      'the outbox to empty',
      async () => (await env.db.outboxMessage.count({ where: { processedAt: null } })) === 0,
    );
    const expected = await pendingIds(env);
    const jobs = await worker.queues.followUps.getJobs(['delayed', 'waiting'], 0, -1);
    const ids = jobs.map((job) => job.id);
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(expected));
  });

  it('answers health, readiness and metrics, and opens the queue UI to administrators only', async () => {
    expect(await (await fetch(`${worker.url}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${worker.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { queue: { backend } } });
    const { input } = admittedDueIn(-30 * HOUR);
    await enrolPatient(env.db, input, { actorId: 'nurse-1' });
    const metrics = await waitFor('the overdue step to be counted', async () => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      const counted =
        text.includes('vfx_overdue_steps{step="pain-review-48h"} 1') &&
        text.includes('vfx_follow_up_lateness_seconds_bucket');
      return counted ? text : undefined;
    });
    for (const name of [
      'vfx_follow_ups_fired_total',
      'vfx_follow_up_lateness_seconds_bucket',
      'vfx_overdue_steps{step="pain-review-48h"} 1',
      'vfx_outbox_lag_seconds',
      'vfx_queue_jobs{queue="follow-ups",state="delayed"}',
      'vfx_reconciliation_runs_total',
      'vfx_worker_process_resident_memory_bytes',
    ]) {
      expect(metrics).toContain(name);
    }
    const board = `${worker.url}/admin/queues`;
    // No password is accepted any more: the old HTTP Basic way in is gone.
    const basic = `Basic ${Buffer.from('admin-1@fls.test:admin-password').toString('base64')}`;
    const refusedBasic = await fetch(board, { headers: { authorization: basic } });
    expect(refusedBasic.status).toBe(401);
    expect(refusedBasic.headers.get('www-authenticate')).toBeNull();
    expect(await refusedBasic.text()).toContain('Open the queue board from the dashboard');
    expect((await fetch(`${board}/open?ticket=made-up`, { redirect: 'manual' })).status).toBe(403);
    // The dashboard issues a ticket to an administrator; the worker exchanges it for a cookie.
    const { ticket } = await issueQueueBoardTicket(env.db, 'admin-1');
    const opened = await fetch(`${board}/open?ticket=${ticket}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/admin/queues/');
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^vfx_queue_board=[\w-]+; Path=\/admin\/queues; Max-Age=1800; HttpOnly; SameSite=Lax/,
    );
    const cookie = setCookie.split(';')[0] ?? '';
    // Single use: the same ticket again is refused.
    expect((await fetch(`${board}/open?ticket=${ticket}`, { redirect: 'manual' })).status).toBe(
      403,
    );
    const admin = await fetch(`${board}/api/queues?activeQueue=follow-ups&status=delayed&page=1`, {
      headers: { cookie },
    });
    expect(admin.status).toBe(200);
    const body = (await admin.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([
      'fhir-exports',
      'follow-ups',
      'patient-messages',
      'reminder-deliveries',
    ]);
    const audited = await env.db.auditEntry.findMany({
      where: { action: { in: ['queues.board-opened', 'access.refused'] } },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((row) => [row.action, row.actor])).toEqual([
      ['access.refused', 'anonymous'],
      ['queues.board-opened', 'admin-1'],
      ['access.refused', 'admin-1'],
    ]);
  });

  it('answers every route, and a refusal, with the security headers', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/admin/queues', '/nothing']) {
      const response = await fetch(`${worker.url}${path}`);
      const header = (name: string) => response.headers.get(name) ?? '';
      expect(header('x-content-type-options'), path).toBe('nosniff');
      expect(header('x-frame-options'), path).toBe('DENY');
      expect(header('referrer-policy'), path).toBe('same-origin');
      expect(header('permissions-policy'), path).toContain('camera=()');
      expect(header('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(header('content-security-policy'), path).toMatch(/script-src 'self'(;|$)/);
      expect(header('strict-transport-security'), `${path} over HTTP`).toBe('');
    }
    const proxied = await fetch(`${worker.url}/health/live`, {
      headers: { 'X-Forwarded-Proto': 'https' },
    });
    expect(proxied.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });
});
