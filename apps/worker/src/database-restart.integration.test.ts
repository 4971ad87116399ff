// PostgreSQL goes away for 10 seconds under a running worker process (default concurrency,
// e-mail reminders on) while a burst of steps falls due, and comes back. On the PostgreSQL queue
// backend the queue lives in the same database, so it is gone too. The worker must recover by
// itself: every due step applied once, every e-mail sent once, nothing left in the outbox.
//
// The server is the test's own (testing/private-postgres.ts): the shared one is never stopped.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { enrolPatients } from '@vfx/database/commands';
import { admittedTestEnrolment } from '@vfx/database/testing';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { BACKENDS, type TestEnvironment, testEnvironment, waitFor } from './testing/harness.js';
import { readMailbox, repeated } from './testing/mailbox.js';
import { type PrivatePostgres, startPrivatePostgres } from './testing/private-postgres.js';
import { freePort, kill, readiness, ready, startWorkerProcess } from './testing/worker-process.js';

const HOUR = 3_600_000;
const BURST = 200;
const DOWN_MS = 10_000;
/** Time to enrol the burst and queue its jobs before the database stops (ample on 2 busy cores). */
const LEAD_MS = 25_000;
/** The burst's due times: from 3 s before the stop to 7 s after it, 20 a second. */
const DUE_FROM_MS = -3_000;
const DUE_SPREAD_MS = 10_000;
const review = { stepKey: 'pain-review-48h', transition: 'due' } as const;

/** Counts of the burst's 48-hour reviews by state. */
async function reviewStates(env: TestEnvironment) {
  const rows = await env.db.followUp.groupBy({
    by: ['state'],
    where: review,
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((row) => [row.state, row._count._all])) as Record<
    string,
    number
  >;
}

/** The worker's own view of its queues, from /metrics: jobs by queue and state. */
async function queueJobs(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const jobs = new Map<string, number>();
  for (const match of text.matchAll(/^vfx_queue_jobs\{queue="([^"]+)",state="([^"]+)"\} (\d+)/gm))
    jobs.set(`${match[1]}/${match[2]}`, Number(match[3]));
  return jobs;
}

describe.each(BACKENDS)('the worker process on %s when PostgreSQL stops for 10 s', (backend) => {
  let postgres: PrivatePostgres | undefined;
  let env: TestEnvironment | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    // Whatever failed: the worker, then the clients, then the server and its folder.
    if (child?.exitCode === null && child.signalCode === null) {
      child.removeAllListeners('exit');
    }
    await kill(child);
    await postgres?.start().catch(() => undefined);
    await env?.close().catch(() => undefined);
    await postgres?.close();
    child = undefined;
    env = undefined;
    postgres = undefined;
  });

  it('recovers by itself: each due step fired once, each e-mail sent once, the outbox drained', async () => {
    postgres = await startPrivatePostgres({ label: 'pg-restart' });
    const mailbox = path.join(postgres.dir, 'mailbox');
    env = await testEnvironment(backend, { MAILBOX_DIR: mailbox }, { databaseUrl: postgres.url });
    const db = env.db;
    const port = await freePort();
    const log: string[] = [];
    child = startWorkerProcess(
      { ...env.env, PORT: String(port) },
      {
        output: (chunk) => {
          log.push(chunk.toString());
          if (log.length > 400) log.shift();
        },
      },
    );
    const worker = child;
    let exit: string | undefined;
    worker.once('exit', (code, signal) => {
      exit ??= `exited by itself with code ${code} (signal ${signal})`;
    });
    onTestFailed(() => {
      console.error(`The worker ${exit ?? 'was running'}; its last log lines:\n${log.join('')}`);
    });
    await ready(port, 60_000);

    // The burst, enrolled as an import and queued before the database stops.
    const stopAt = Date.now() + LEAD_MS;
    const inputs = Array.from({ length: BURST }, (_, i) =>
      admittedTestEnrolment(
        i + 1,
        stopAt + DUE_FROM_MS + Math.floor((i * DUE_SPREAD_MS) / BURST) - 48 * HOUR,
      ),
    );
    for (let i = 0; i < BURST; i += 50) {
      await enrolPatients(db, inputs.slice(i, i + 50), { actorId: 'nurse-1' });
    }
    await waitFor(
      'the burst to be queued',
      async () => (await db.outboxMessage.count({ where: { processedAt: null } })) === 0,
      LEAD_MS,
      100,
    );
    await sleep(stopAt - Date.now());

    // Down for 10 s, as a crash would take it (no clean goodbye to the clients).
    const beforeStop = await reviewStates(env);
    await postgres.stop('immediate');
    const stoppedAt = Date.now();
    await sleep(DOWN_MS / 2);
    expect(exit, 'the worker process must survive the database going away').toBeUndefined();
    expect(await readiness(port)).toBe(503);
    await sleep(stoppedAt + DOWN_MS - Date.now());
    await postgres.start();

    // Some of the burst fell due while the database was down (else this proves nothing).
    expect(beforeStop.pending ?? 0, JSON.stringify(beforeStop)).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(stopAt + DUE_FROM_MS + DUE_SPREAD_MS);

    await waitFor(
      'the worker to be ready again',
      async () => (await readiness(port)) === 200,
      60_000,
      250,
    );
    await waitFor(
      'every due review to fire',
      async () => (await reviewStates(env as TestEnvironment)).fired === BURST,
      240_000,
      500,
    );
    await waitFor(
      'every e-mail to be sent',
      async () =>
        (await db.reminderDelivery.count({ where: { channel: 'email', state: 'sent' } })) === BURST,
      240_000,
      500,
    );
    // Nothing still running or waiting to retry that could send a message twice after this.
    await waitFor(
      'the delivery queue to empty',
      async () => {
        const jobs = await queueJobs(port);
        return ['waiting', 'active', 'delayed', 'prioritized'].every(
          (state) => (jobs.get(`reminder-deliveries/${state}`) ?? 0) === 0,
        );
      },
      60_000,
      500,
    );

    // Each due step fired exactly once.
    const due = await db.followUp.findMany({ where: review, select: { id: true, state: true } });
    expect(due).toHaveLength(BURST);
    expect(due.filter((f) => f.state !== 'fired')).toEqual([]);
    const reminders = await db.reminder.findMany({
      where: { stepKey: review.stepKey, kind: 'due' },
      select: { episodeId: true, followUpId: true },
    });
    expect(reminders).toHaveLength(BURST);
    expect(repeated(reminders.map((r) => r.episodeId))).toEqual(new Map());
    const audits = await db.auditEntry.findMany({
      where: { action: 'step.due' },
      select: { entityId: true },
    });
    expect(audits).toHaveLength(BURST);
    expect(repeated(audits.map((a) => a.entityId))).toEqual(new Map());

    // Each e-mail delivery sent, and the mailbox holds one message for each.
    const deliveries = await db.reminderDelivery.findMany({
      where: { channel: 'email' },
      select: { id: true, state: true, attempts: true, reminder: { select: { episodeId: true } } },
    });
    expect(deliveries).toHaveLength(BURST);
    expect(deliveries.filter((d) => d.state !== 'sent')).toEqual([]);
    // The capture mailbox keeps one file per delivery whatever happens, so the proof that nothing
    // was sent twice is here: every send follows a committed claim, which counts the attempt. An
    // e-mail sent while the database went away is recorded once it is back, without a resend.
    expect(deliveries.filter((d) => d.attempts !== 1)).toEqual([]);
    const mail = await readMailbox(mailbox);
    expect(repeated(mail.map((m) => m.messageId))).toEqual(new Map());
    expect(repeated(mail.map((m) => m.episodeId))).toEqual(new Map());
    expect(new Set(mail.map((m) => m.episodeId))).toEqual(
      new Set(deliveries.map((d) => d.reminder.episodeId)),
    );
    expect(mail).toHaveLength(BURST);

    // The outbox drained; nothing failed for good; and it is the same process, ready.
    expect(await db.outboxMessage.count({ where: { processedAt: null } })).toBe(0);
    const jobs = await queueJobs(port);
    expect(jobs.get('follow-ups/failed')).toBe(0);
    expect(jobs.get('reminder-deliveries/failed')).toBe(0);
    expect(exit).toBeUndefined();
    expect(worker.exitCode).toBeNull();
    expect(await readiness(port)).toBe(200);
  }, 600_000);
});
