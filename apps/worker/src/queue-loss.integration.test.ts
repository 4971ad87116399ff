// The queue store loses its data (Redis keys deleted as by FLUSHDB or a restart without
// persistence; PostgreSQL queue tables truncated or dropped) while steps fall due. The worker must
// notice within seconds and repair the queue itself, long before the periodic reconciliation
// (here an hour away): no step fires much later than it would have, none twice, and each
// reminder is e-mailed once.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Database, sqlState } from '@vfx/database';
import { enrolPatient, enrolPatients } from '@vfx/database/commands';
import { admittedTestEnrolment } from '@vfx/database/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  deleteRedisPrefix,
  TEST_REDIS_URL,
  type TestEnvironment,
  testEnvironment,
  waitFor,
} from './testing/harness.js';
import type { WorkerApp } from './worker-app.js';

const HOUR = 3_600_000;
const BURST = 240;
/**
 * The burst falls due this long after enrolment starts, within SPREAD_MS. Enrolling 240 patients
 * takes 2-5 s on an idle machine and over 10 s when other suites share its two cores; the lead
 * leaves the worker at least 4 s to start and queue the burst after that.
 */
const LEAD_MS = 25_000;
const SPREAD_MS = 3_000;
/** The target: a loss may make a step at most this much later than it would have been. */
const MAX_LATENESS_MS = 10_000;

type Health = {
  status: string;
  checks: {
    queueStore: { status: string; lastLossDetectedAt: string | null; lastLoss?: string[] };
  };
};

async function health(worker: WorkerApp): Promise<{ code: number; body: Health }> {
  const response = await fetch(`${worker.url}/health/ready`);
  return { code: response.status, body: (await response.json()) as Health };
}

async function metric(worker: WorkerApp, pattern: RegExp): Promise<number | undefined> {
  const metrics = await (await fetch(`${worker.url}/metrics`)).text();
  const value = pattern.exec(metrics)?.[1];
  return value === undefined ? undefined : Number(value);
}

const lossesDetected = (worker: WorkerApp) =>
  metric(worker, /^vfx_queue_loss_detected_total (\d+)/m);

/** E-mail sends counted by the worker, by result. */
const deliveries = async (worker: WorkerApp, result: string) =>
  (await metric(
    worker,
    new RegExp(`^vfx_reminder_deliveries_total\\{result="${result}"\\} (\\d+)`, 'm'),
  )) ?? 0;

/**
 * Everything this test's queue store holds, gone: on Redis only this test's keys (the server is
 * shared with other programs, so never FLUSHDB), on PostgreSQL every table of this test's queue
 * schema but BullMQ's migration ledger.
 */
async function wipeQueueStore(env: TestEnvironment) {
  if (env.backend === 'redis') {
    await deleteRedisPrefix(env.config.QUEUE_PREFIX);
    return;
  }
  const schema = `${env.config.QUEUE_PREFIX}_queue`;
  const tables = await env.db.$queryRaw<{ name: string }[]>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = ${schema} AND tablename <> 'migration'`;
  expect(tables.map((t) => t.name)).toContain('job');
  const truncate = `TRUNCATE ${tables.map((t) => `"${schema}"."${t.name}"`).join(', ')} CASCADE`;
  // TRUNCATE locks the tables one after another, BullMQ's statements in other orders, so they
  // can deadlock. With a long deadlock_timeout here, BullMQ's side finds the deadlock first and
  // gives way, as the jobs it was finishing are being wiped anyway; the retry is for the rest.
  for (let attempt = 1; ; attempt++) {
    try {
      await env.db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL deadlock_timeout = '20s'`);
          await tx.$executeRawUnsafe(truncate);
        },
        { timeout: 60_000 },
      );
      return;
    } catch (error) {
      if (attempt >= 5 || sqlState(error) !== '40P01') throw error;
    }
  }
}

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve: () => resolve() };
}

async function dueFollowUps(db: Database) {
  return db.followUp.findMany({
    where: { stepKey: 'pain-review-48h', transition: 'due' },
    select: { id: true, state: true, fireAt: true, settledAt: true },
  });
}

async function firedCount(db: Database) {
  return db.followUp.count({
    where: { stepKey: 'pain-review-48h', transition: 'due', state: 'fired' },
  });
}

describe.each(BACKENDS)('queue store loss on %s', (backend) => {
  let env: TestEnvironment | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('a wipe during a burst of due steps is repaired in seconds: none fires over 10 s late or twice, every reminder is e-mailed, and the loss sends none twice', async () => {
    env = await testEnvironment(backend);
    const { db } = env;
    const dueFrom = Date.now() + LEAD_MS;
    await enrolPatients(
      db,
      Array.from({ length: BURST }, (_, i) =>
        admittedTestEnrolment(i + 1, dueFrom + Math.floor((i * SPREAD_MS) / BURST) - 48 * HOUR),
      ),
      { actorId: 'nurse-1' },
    );
    const due = await dueFollowUps(db);
    expect(due).toHaveLength(BURST);
    const firstDue = Math.min(...due.map((f) => f.fireAt.getTime()));
    // The setup must leave the worker time to start and queue the burst before it falls due.
    expect(firstDue - Date.now(), 'enrolment took too long for the burst').toBeGreaterThan(4_000);

    const worker = await env.start();
    const fired = await waitFor(
      'a quarter of the burst to fire',
      async () => {
        const count = await firedCount(db);
        return count >= BURST / 4 ? count : undefined;
      },
      60_000,
      10,
    );
    expect(await lossesDetected(worker), 'a loss found before there was one').toBe(0);

    const wipedAt = Date.now();
    await wipeQueueStore(env);
    const pendingAtWipe = BURST - (await firedCount(db));
    // Otherwise the wipe came too late to test anything.
    expect(pendingAtWipe, `fired before the wipe: ${fired}`).toBeGreaterThan(BURST / 4);

    // Readiness while the repair runs (it may be over between two looks; the metric is not).
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { code, body } = await health(worker);
        seen.add(`${code} ${body.status}`);
        await sleep(20);
      }
    })();
    try {
      await waitFor(
        'every due step to fire',
        async () => (await firedCount(db)) === BURST,
        60_000,
        50,
      );
    } finally {
      watching = false;
      await watcher;
    }

    // Fired once each, and not late: settledAt is when the worker applied the step.
    const after = await dueFollowUps(db);
    expect(after.every((f) => f.state === 'fired')).toBe(true);
    const lateness = (f: (typeof after)[number]) =>
      (f.settledAt?.getTime() ?? Infinity) - f.fireAt.getTime();
    const worst = Math.max(...after.map(lateness));
    // "Later than it would have been without the fault": the steps applied before the wipe show
    // how late this machine, at this moment, applies a burst anyway (a few hundred ms when idle,
    // seconds when other suites share its two cores).
    const beforeWipe = after.filter((f) => (f.settledAt?.getTime() ?? Infinity) < wipedAt);
    const baseline = Math.max(0, ...beforeWipe.map(lateness));
    console.info(
      `[${backend}] wiped ${wipedAt - firstDue} ms into the burst with ${pendingAtWipe} of ${BURST} steps pending; worst lateness ${worst} ms, ${baseline} ms before the wipe; readiness seen: ${[...seen].join(', ')}`,
    );
    expect(worst - baseline).toBeLessThanOrEqual(MAX_LATENESS_MS);
    expect(await db.auditEntry.count({ where: { action: 'step.due' } })).toBe(BURST);
    expect(await db.planStep.count({ where: { stepId: 'pain-review-48h', status: 'due' } })).toBe(
      BURST,
    );

    // One reminder per step, each e-mailed once: one e-mail delivery, sent, and one message.
    const reminders = await db.reminder.findMany({
      where: { stepKey: 'pain-review-48h', kind: 'due' },
      select: { id: true, deliveries: { where: { channel: 'email' }, select: { state: true } } },
    });
    expect(reminders).toHaveLength(BURST);
    await waitFor(
      'every e-mail to be sent',
      async () =>
        (await db.reminderDelivery.count({ where: { channel: 'email', state: 'sent' } })) === BURST,
      60_000,
      100,
    );
    for (const reminder of reminders) expect(reminder.deliveries).toHaveLength(1);
    // Every reminder e-mailed once. The capture mailbox keeps one file per delivery and counts a
    // repeat instead of writing it, as a receiver that discards repeats would.
    const mailbox = (await readdir(env.config.MAILBOX_DIR)).filter((f) => f.endsWith('.eml'));
    const episodes = new Set<string>();
    for (const file of mailbox) {
      const text = await readFile(path.join(env.config.MAILBOX_DIR, file), 'utf8');
      episodes.add(/\/episodes\/([\w-]+)/.exec(text)?.[1] ?? file);
    }
    expect(mailbox).toHaveLength(BURST);
    expect(episodes.size).toBe(BURST);
    for (const result of ['repeat-discarded', 'resent']) {
      expect(await deliveries(worker, result), `e-mails ${result}`).toBe(0);
    }

    // Found by the worker itself, and said so. (Once, unless a look came in the middle of the
    // deletion, and the rest of it took the new marker too: that is a second loss.)
    expect(await lossesDetected(worker)).toBeGreaterThanOrEqual(1);
    const { code, body } = await health(worker);
    expect(code).toBe(200);
    expect(body.status).toBe('ok');
    const lossAt = Date.parse(body.checks.queueStore.lastLossDetectedAt ?? '');
    expect(lossAt).toBeGreaterThanOrEqual(wipedAt);
    expect(lossAt - wipedAt).toBeLessThan(MAX_LATENESS_MS);
    // A worker start under load, a burst, the wipe and the repair: a minute on a busy machine.
  }, 180_000);

  it('a job a partial loss left without its data is removed and queued again whole', async () => {
    env = await testEnvironment(backend);
    const worker = await env.start();
    await enrolPatient(env.db, admittedTestEnrolment(1, Date.now() + HOUR - 48 * HOUR), {
      actorId: 'nurse-1',
    });
    const review = await env.db.followUp.findFirstOrThrow({
      where: { stepKey: 'pain-review-48h', transition: 'due' },
    });
    await waitFor('the review job', () => worker.queues.followUps.getJob(review.id));
    // What deleting keys a batch at a time can leave: the id still listed as delayed, its data
    // gone, and a field or two written back by BullMQ's next move of the job.
    if (backend === 'redis') {
      const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        const key = `${env.config.QUEUE_PREFIX}:${worker.queues.followUps.name}:${review.id}`;
        await redis.del(key);
        await redis.hset(key, 'attemptsMade', '1');
      } finally {
        redis.disconnect();
      }
    } else {
      await env.db.$executeRawUnsafe(
        `UPDATE "${env.config.QUEUE_PREFIX}_queue".job SET name = '', data = '{}' WHERE id = $1`,
        review.id,
      );
    }
    expect((await worker.queues.followUps.getJob(review.id))?.name).toBeFalsy();

    const report = await worker.reconciler.reconcile();
    expect(report).toMatchObject({ brokenRemoved: 1, added: 1 });
    const job = await worker.queues.followUps.getJob(review.id);
    expect(job?.name).toBe('fire-follow-up');
    expect(job?.data).toEqual({ followUpId: review.id });
  });

  it('says it is reconciling (HTTP 200) while it repairs a lost queue, and never takes an empty queue for a loss', async () => {
    env = await testEnvironment(backend);
    const { db } = env;
    const worker = await env.start();
    // No patients, so no jobs: several checks of an empty queue find nothing lost.
    await sleep(3.5 * env.config.QUEUE_LOSS_CHECK_MS);
    expect(await lossesDetected(worker)).toBe(0);
    expect((await health(worker)).body).toMatchObject({
      status: 'ok',
      checks: { queueStore: { status: 'ok', lastLossDetectedAt: null } },
    });

    await enrolPatient(db, admittedTestEnrolment(1, Date.now() + HOUR - 48 * HOUR), {
      actorId: 'nurse-1',
    });
    const review = await db.followUp.findFirstOrThrow({
      where: { stepKey: 'pain-review-48h', transition: 'due' },
    });
    await waitFor('the review job', () => worker.queues.followUps.getJob(review.id));

    // A nurse's long write holds the follow-ups, so the repair waits half-way through.
    const released = deferred();
    const held = deferred();
    const holder = db.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE follow_ups IN ACCESS EXCLUSIVE MODE`;
        held.resolve();
        await released.promise;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    try {
      await held.promise;
      const lostAt = Date.now();
      if (backend === 'redis') {
        // An operator empties one queue (Bull Board's obliterate): its marker goes with it.
        await worker.queues.followUps.obliterate({ force: true });
      } else {
        // The queue's schema dropped: BullMQ's own migrations must re-create it first.
        await db.$executeRawUnsafe(`DROP SCHEMA "${env.config.QUEUE_PREFIX}_queue" CASCADE`);
      }
      const repairing = await waitFor(
        'readiness to say the worker is repairing',
        async () => {
          const answer = await health(worker);
          return answer.body.status === 'reconciling' ? answer : undefined;
        },
        15_000,
        50,
      );
      expect(repairing.code).toBe(200);
      expect(repairing.body.checks.queueStore.status).toBe('reconciling');
      const lossAt = Date.parse(repairing.body.checks.queueStore.lastLossDetectedAt ?? '');
      expect(lossAt).toBeGreaterThanOrEqual(lostAt);
      expect(await lossesDetected(worker)).toBe(1);
    } finally {
      released.resolve();
      await holder;
    }
    await waitFor('the repair to end', async () => (await health(worker)).body.status === 'ok');
    expect(await worker.queues.followUps.getJob(review.id)).toBeTruthy();
    expect(await lossesDetected(worker)).toBe(1);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A Redis server of this test's own, which it may restart: the shared one must not be. */
class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(
      await freePort(),
      await mkdtemp(path.join(tmpdir(), 'vfx-redis-')),
    );
    await redis.run();
    return redis;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** With `keepData`, from a snapshot, as a Redis with persistence restarts; else empty. */
  async restart({ keepData }: { keepData: boolean }) {
    if (keepData) await this.command((redis) => redis.save());
    await this.kill();
    if (!keepData) await rm(path.join(this.dir, 'dump.rdb'), { force: true });
    await this.run();
  }

  async stop() {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async run() {
    // No snapshots of its own: only restart({ keepData: true }) writes one.
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''];
    this.child = spawn('redis-server', [...args, '--appendonly', 'no', '--dir', this.dir], {
      stdio: 'ignore',
    });
    await waitFor('the private Redis to answer', () =>
      this.command((redis) => redis.ping()).catch(() => undefined),
    );
  }

  private async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  private async command<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      return await work(redis);
    } finally {
      redis.disconnect();
    }
  }
}

describe.runIf(BACKENDS.includes('redis'))('a Redis restart', () => {
  it('is found by its run_id when the data survived, and by the markers too when it did not', async (context) => {
    if (!hasRedisServer()) {
      if (process.env.CI === 'true') throw new Error('CI needs redis-server for this test');
      context.skip('no redis-server binary to run a Redis of this test’s own');
    }
    const redis = await PrivateRedis.start();
    let env: TestEnvironment | undefined;
    try {
      env = await testEnvironment('redis', { REDIS_URL: redis.url });
      const worker = await env.start();
      await enrolPatient(env.db, admittedTestEnrolment(1, Date.now() + HOUR - 48 * HOUR), {
        actorId: 'nurse-1',
      });
      const review = await env.db.followUp.findFirstOrThrow({
        where: { stepKey: 'pain-review-48h', transition: 'due' },
      });
      await waitFor('the review job', () => worker.queues.followUps.getJob(review.id));
      const found = async (count: number) =>
        waitFor(
          `loss number ${count} to be found`,
          async () => {
            // The count before readiness: the other way round, a loss found between the two
            // reads would pair the new count with the previous loss.
            const seen = await lossesDetected(worker).catch(() => 0);
            const answer = await health(worker).catch(() => undefined);
            return seen === count && answer?.body.status === 'ok'
              ? answer.body.checks.queueStore.lastLoss
              : undefined;
          },
          30_000,
          100,
        );

      // A Redis with persistence restarts from its last snapshot: here everything survived,
      // but what was written after a snapshot would not have, and only the run_id says so.
      await redis.restart({ keepData: true });
      expect(await found(1)).toEqual([expect.stringContaining('run_id changed')]);
      expect(await worker.queues.followUps.getJob(review.id)).toBeTruthy();

      // Without persistence, the markers are gone as well, and the repair queues the job again.
      await redis.restart({ keepData: false });
      const lost = await found(2);
      // The run_id, and one lost marker per queue (follow-ups, deliveries, FHIR exports, patient
      // messages).
      expect(lost).toHaveLength(5);
      expect(lost?.filter((what) => what.includes('lost its marker'))).toHaveLength(4);
      await waitFor('the review job again', () => worker.queues.followUps.getJob(review.id));
    } finally {
      await env?.close();
      await redis.stop();
    }
  }, 120_000);
});
