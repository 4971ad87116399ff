// The outbox relay's lease under faults, with the worker as a real process at its default
// concurrency and e-mail reminders on, its Redis reached through a proxy the test controls (the
// shared Redis itself is never touched): (a) the relay killed between claiming messages and
// queueing them; (b) Redis down while the relay claims. Claims must commit before any queue
// call (no transaction left open), a dead relay's messages must be taken over once its lease
// runs out, and in the end every follow-up fires once and every reminder is e-mailed once.
// Also: a job that a newer worker queued with a field this one does not know still runs.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { enrolPatient, enrolPatients } from '@vfx/database/commands';
import { admittedTestEnrolment } from '@vfx/database/testing';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { queueBackend, queueConnection } from './queue/connection.js';
import { QUEUES } from './queue/job-catalog.js';
import { deliveryMessageId } from './reminders/mailer.js';
import {
  BACKENDS,
  TEST_REDIS_URL,
  type TestEnvironment,
  testEnvironment,
  waitFor,
} from './testing/harness.js';
import { readMailbox, repeated } from './testing/mailbox.js';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.js';
import { freePort, kill, ready, startWorkerProcess } from './testing/worker-process.js';

const HOUR = 3_600_000;
const PATIENTS = 80;

/** PATIENTS admitted patients whose 48-hour reviews fall due from `dueAt`, 10 ms apart. */
async function enrolBurst(env: TestEnvironment, dueAt: number) {
  const inputs = Array.from({ length: PATIENTS }, (_, i) =>
    admittedTestEnrolment(i + 1, dueAt + i * 10 - 48 * HOUR),
  );
  for (let i = 0; i < inputs.length; i += 40) {
    await enrolPatients(env.db, inputs.slice(i, i + 40), { actorId: 'nurse-1' });
  }
}

interface OutboxRow {
  id: bigint;
  claimedBy: string | null;
  leaseUntil: Date | null;
  processedAt: Date | null;
}

const waiting = (env: TestEnvironment) =>
  env.db.$queryRaw<OutboxRow[]>`
    SELECT id, claimed_by AS "claimedBy", lease_until AS "leaseUntil", processed_at AS "processedAt"
    FROM outbox WHERE processed_at IS NULL ORDER BY id`;

/** Sessions of the test database (other than this one) inside a transaction, and the oldest. */
async function openTransactions(env: TestEnvironment) {
  const [row] = await env.db.$queryRaw<{ open: bigint; idle: bigint; oldest: number | null }[]>`
    SELECT count(*) FILTER (WHERE xact_start IS NOT NULL) AS open,
           count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle,
           EXTRACT(EPOCH FROM max(clock_timestamp() - xact_start))::float8 AS oldest
      FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  return { open: Number(row?.open), idle: Number(row?.idle), oldest: row?.oldest ?? 0 };
}

async function dbNow(env: TestEnvironment): Promise<Date> {
  const [row] = await env.db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`;
  return row?.now as Date;
}

async function everythingDone(env: TestEnvironment) {
  const [row] = await env.db.$queryRaw<{ fired: bigint; mailed: bigint; outbox: bigint }[]>`
    SELECT
      (SELECT count(*) FROM follow_ups
        WHERE step_key = 'pain-review-48h' AND transition = 'due' AND state = 'fired') AS fired,
      (SELECT count(*) FROM reminder_deliveries
        WHERE channel = 'email' AND state IN ('sent', 'unknown')) AS mailed,
      (SELECT count(*) FROM outbox WHERE processed_at IS NULL) AS outbox`;
  return Number(row?.fired) === PATIENTS && Number(row?.mailed) >= PATIENTS && row?.outbox === 0n;
}

/** Each due step applied once, one reminder each, one e-mail each in the mailbox. */
async function expectEachOnce(env: TestEnvironment) {
  const due = await env.db.followUp.findMany({
    where: { stepKey: 'pain-review-48h', transition: 'due' },
    select: { state: true },
  });
  expect(due).toHaveLength(PATIENTS);
  expect(due.every((f) => f.state === 'fired')).toBe(true);
  expect(await env.db.auditEntry.count({ where: { action: 'step.due' } })).toBe(PATIENTS);
  expect(await env.db.reminder.count({ where: { stepKey: 'pain-review-48h', kind: 'due' } })).toBe(
    PATIENTS,
  );
  const deliveries = await env.db.reminderDelivery.findMany({
    where: { channel: 'email', reminder: { stepKey: 'pain-review-48h', kind: 'due' } },
    select: { id: true, state: true },
  });
  expect(deliveries).toHaveLength(PATIENTS);
  expect(deliveries.filter((d) => d.state !== 'sent')).toEqual([]);
  const mail = await readMailbox(env.config.MAILBOX_DIR);
  const ids = mail.map((message) => message.messageId);
  expect(repeated(ids), 'a Message-ID twice in the mailbox').toEqual(new Map());
  expect(new Set(ids)).toEqual(
    new Set(deliveries.map((d) => deliveryMessageId(d.id, env.config.MAIL_FROM))),
  );
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1];
  return value === undefined ? 0 : Number(value);
}

const onRedis = BACKENDS.includes('redis');

describe.skipIf(!onRedis)('the outbox lease, with the worker as a process on Redis', () => {
  let env: TestEnvironment | undefined;
  let proxy: TcpProxy | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) await kill(child);
    await proxy?.close();
    await env?.close();
    proxy = undefined;
    env = undefined;
  });

  async function start(extra: Record<string, string>) {
    proxy = await startTcpProxy(TEST_REDIS_URL);
    // Default concurrency (64) and e-mail on; a short lease so the test waits seconds, not a
    // minute.
    env = await testEnvironment('redis', { REDIS_URL: proxy.url, ...extra });
    return env;
  }

  async function worker(env: TestEnvironment) {
    const port = await freePort();
    // TEST_WORKER_LOG=<file> keeps the worker's log there, for looking into a failure.
    const log = process.env.TEST_WORKER_LOG;
    const child = startWorkerProcess(
      { ...env.env, PORT: String(port) },
      log ? { logLevel: 'info', output: (chunk) => appendFileSync(log, chunk) } : {},
    );
    children.push(child);
    // Generous: a worker starting under tsx on a loaded 2-core machine.
    await ready(port, 90_000);
    return { child, port };
  }

  it('(a) a relay killed between claiming and queueing: its messages are relayed after the lease, each follow-up fires once', async () => {
    const env = await start({ OUTBOX_LEASE_SECONDS: '8' });
    const first = await worker(env);
    // The queue stops answering: the relay claims, then waits on its first queue call.
    proxy?.hang();
    await enrolBurst(env, Date.now() + 12_000);
    const claimed = await waitFor(
      'the relay to claim messages it cannot queue',
      async () => {
        const rows = (await waiting(env)).filter((row) => row.claimedBy !== null);
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
      50,
    );
    // The claim committed before the queue call: nothing holds a transaction open meanwhile.
    await sleep(500);
    const during = await openTransactions(env);
    expect(during.idle, JSON.stringify(during)).toBe(0);
    const oldClaimant = claimed[0]?.claimedBy;
    const lease = new Map(claimed.map((row) => [row.id, row.leaseUntil as Date]));
    first.child.kill('SIGKILL');
    await kill(first.child);
    // Still claimed by the dead relay, none processed.
    const afterKill = await waiting(env);
    expect(afterKill.filter((row) => row.claimedBy === oldClaimant).length).toBe(claimed.length);

    proxy?.up();
    const second = await worker(env);
    await waitFor('every due step applied and e-mailed', () => everythingDone(env), 120_000, 200);
    await expectEachOnce(env);

    // The dead relay's messages were taken over, and only after its lease ran out.
    const rows = await env.db.outboxMessage.findMany({
      where: { id: { in: [...lease.keys()] } },
      select: { id: true, processedAt: true, claimedBy: true, lastError: true, attempts: true },
    });
    expect(rows).toHaveLength(claimed.length);
    for (const row of rows) {
      expect(row.claimedBy).not.toBe(oldClaimant);
      expect(row.processedAt?.getTime()).toBeGreaterThanOrEqual(
        (lease.get(row.id) as Date).getTime(),
      );
      expect(row.lastError).toBe(`the lease of relay ${oldClaimant} ran out before it finished`);
      expect(row.attempts).toBe(1);
    }
    expect(await metric(second.port, 'vfx_outbox_lease_expired_total')).toBe(claimed.length);
    console.info(
      `outbox lease (a): ${claimed.length} message(s) claimed by the killed relay, relayed by the next after its lease`,
    );
  }, 240_000);

  it('(b) Redis down while claiming: no transaction is held open, the lease runs out, and everything is relayed once Redis is back', async () => {
    const env = await start({ OUTBOX_LEASE_SECONDS: '6' });
    await worker(env);
    proxy?.down();
    await enrolBurst(env, Date.now() + 12_000);
    const claimed = await waitFor(
      'the relay to claim messages',
      async () => {
        const rows = (await waiting(env)).filter((row) => row.claimedBy !== null);
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
      50,
    );
    const leaseEnd = Math.max(...claimed.map((row) => (row.leaseUntil as Date).getTime()));
    // While Redis is away and past the lease: no session sits in a transaction, none is old.
    const samples: Awaited<ReturnType<typeof openTransactions>>[] = [];
    while ((await dbNow(env)).getTime() <= leaseEnd + 500) {
      samples.push(await openTransactions(env));
      await sleep(200);
    }
    expect(samples.length).toBeGreaterThanOrEqual(3);
    // (A transaction held across the queue call would sit here, idle, for the whole outage.)
    expect(
      samples.filter((s) => s.idle > 0 || s.oldest > 3),
      JSON.stringify(samples),
    ).toEqual([]);
    // The lease has run out and the messages still wait: nothing was lost or marked done.
    const stillWaiting = await waiting(env);
    expect(stillWaiting.length).toBeGreaterThanOrEqual(claimed.length);
    const now = await dbNow(env);
    expect(
      stillWaiting.filter((row) => row.leaseUntil && row.leaseUntil > now && row.claimedBy),
    ).toEqual([]);

    proxy?.up();
    await waitFor('every due step applied and e-mailed', () => everythingDone(env), 120_000, 200);
    await expectEachOnce(env);
  }, 240_000);
});

describe.each(BACKENDS)('a job from a newer worker on %s', (backend) => {
  let env: TestEnvironment | undefined;
  let queue: Queue | undefined;
  afterEach(async () => {
    await queue?.close();
    await env?.close();
  });

  it('with a field this worker does not know, is accepted and handled', async () => {
    env = await testEnvironment(backend);
    const { input } = {
      input: admittedTestEnrolment(1, Date.now() - 48 * HOUR - 60_000),
    };
    await enrolPatient(env.db, input, { actorId: 'nurse-1' });
    const due = await env.db.followUp.findFirstOrThrow({
      where: { stepKey: 'pain-review-48h', transition: 'due' },
    });
    // Queued as a newer release would, before this worker (or its relay) has run.
    queue = new Queue(
      QUEUES.followUps,
      queueConnection(env.config),
      queueBackend(env.config) as undefined,
    );
    await queue.add(
      'fire-follow-up',
      { followUpId: due.id, requestedBy: 'a-newer-release' },
      { jobId: due.id, removeOnComplete: false },
    );
    await env.start();
    const job = await waitFor(
      'the job to complete',
      async () => {
        const found = await queue?.getJob(due.id);
        return found && (await found.isCompleted()) ? found : undefined;
      },
      30_000,
      50,
    );
    expect(job.data).toEqual({ followUpId: due.id, requestedBy: 'a-newer-release' });
    expect(job.failedReason).toBeFalsy();
    expect(await env.db.followUp.findUniqueOrThrow({ where: { id: due.id } })).toMatchObject({
      state: 'fired',
    });
  });
});
