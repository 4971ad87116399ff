// Scale benchmark: seeds a synthetic caseload through the real write path, runs the real worker
// as a separate process, and prints figures beside raw BullMQ on the same backend.
//
//   npm run bench:scale -- [--patients 100000] [--backends redis,postgres] [--burst 10000]
//                          [--steady-seconds 60] [--steady-rate 20] [--writers 4] [--batch 250]
//                          [--concurrency 64]
//
// Needs the PostgreSQL and Redis the tests use (TEST_POSTGRES_URL, TEST_REDIS_URL).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '@vfx/database';
import { enrolPatient, enrolPatients } from '@vfx/database/commands';
import { createTestDatabase, createUsers } from '@vfx/database/testing';
import { Queue, setDefaultBackendFactory, Worker } from 'bullmq';
import { loadWorkerConfig } from '../src/config/env.js';
import { queueBackend, queueConnection } from '../src/queue/connection.js';
import { deleteRedisPrefix } from '../src/testing/harness.js';
import {
  admittedDueAt,
  chunks,
  percentile,
  pool,
  seededRandom,
  syntheticPatient,
} from './synthetic-caseload.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    backends: { type: 'string', default: 'redis,postgres' },
    burst: { type: 'string', default: '10000' },
    'steady-seconds': { type: 'string', default: '60' },
    'steady-rate': { type: 'string', default: '20' },
    writers: { type: 'string', default: '4' },
    batch: { type: 'string', default: '250' },
    concurrency: {
      type: 'string',
      default: String(loadWorkerConfig({ DATABASE_URL: 'postgresql://x' }).WORKER_CONCURRENCY),
    },
  },
});
const PATIENTS = Number(values.patients);
const BURST = Number(values.burst);
const STEADY_SECONDS = Number(values['steady-seconds']);
const STEADY_RATE = Number(values['steady-rate']);
const WRITERS = Number(values.writers);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Every follow-up gets its queue job (the longest wait is a 5-year review), so a job is a
// follow-up and the enrolment rate compares like with like against addBulk.
const HORIZON_HOURS = 6 * 366 * 24;
const workerDir = fileURLToPath(new URL('..', import.meta.url));

const log = (...args: unknown[]) =>
  console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 200,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function rawBullmq(
  backend: 'redis' | 'postgres',
  dbUrl: string,
  prefix: string,
  jobs: number,
) {
  // The worker's own connection settings, with a queue prefix (schema) of its own.
  const config = loadWorkerConfig({
    DATABASE_URL: dbUrl,
    QUEUE_PREFIX: `${prefix}raw`,
    ...(backend === 'redis' ? { REDIS_URL } : {}),
  });
  const connection = queueConnection(config);
  setDefaultBackendFactory(queueBackend(config));
  const queue = new Queue('bench-raw', connection);
  // addBulk throughput, delayed far ahead so nothing runs.
  const started = performance.now();
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
        name: 'noop',
        data: { id: `raw-${i + k}` },
        opts: { jobId: `raw-${i + k}`, delay: DAY, removeOnComplete: true },
      })),
    );
  }
  const addSeconds = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true });

  // A burst of no-op jobs due in the same second, drained by a worker of the same concurrency.
  const dueAt = Date.now() + 5_000 + BURST / 10;
  await queue.addBulk(
    Array.from({ length: BURST }, (_, i) => ({
      name: 'noop',
      data: { id: `burst-${i}` },
      opts: { jobId: `burst-${i}`, delay: dueAt - Date.now(), removeOnComplete: true },
    })),
  );
  let done = 0;
  let last = 0;
  const worker = new Worker(
    'bench-raw',
    async () => {
      done += 1;
      last = Date.now();
    },
    { ...connection, concurrency: CONCURRENCY },
  );
  await waitUntil('the raw burst', async () => done >= BURST, 10 * 60_000, 50);
  const drainSeconds = (last - dueAt) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  setDefaultBackendFactory();
  return { addPerSecond: jobs / addSeconds, drainSeconds };
}

async function benchBackend(backend: 'redis' | 'postgres') {
  log(`--- ${backend}: ${PATIENTS} patients`);
  const database = await createTestDatabase(`bench_${backend}`);
  const db: Database = createDatabase(database.url, { maxConnections: WRITERS + 2 });
  await createUsers(db);
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    SCHEDULE_HORIZON_HOURS: String(HORIZON_HOURS),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    EMAIL_REMINDERS: 'false',
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'warn',
    ...(backend === 'redis' ? { REDIS_URL: REDIS_URL } : { REDIS_URL: '' }),
  };
  const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: workerDir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUntil(
      'the worker',
      async () =>
        (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok === true,
      60_000,
    );

    // 1. Enrolment end to end: write path -> outbox -> queue.
    const random = seededRandom(42);
    const now = Date.now();
    const inputs = Array.from({ length: PATIENTS }, (_, i) => syntheticPatient(i + 1, now, random));
    const enrolStart = performance.now();
    let enrolled = 0;
    await pool(chunks(inputs, BATCH), WRITERS, async (batch) => {
      await enrolPatients(db, batch, { actorId: 'nurse-1' });
      enrolled += batch.length;
      if (enrolled % 10_000 < BATCH) log(`enrolled ${enrolled}`);
    });
    await waitUntil(
      'the outbox to drain',
      async () => (await db.outboxMessage.count({ where: { processedAt: null } })) === 0,
      60 * 60_000,
      100,
    );
    const enrolSeconds = (performance.now() - enrolStart) / 1000;
    const queued = await db.followUp.count({
      where: { state: 'pending', fireAt: { lt: new Date(Date.now() + HORIZON_HOURS * HOUR) } },
    });
    const followUps = await db.followUp.count();
    log(`enrolled in ${enrolSeconds.toFixed(1)} s; ${queued} jobs pending in the queue`);

    // 2. Steady firing with the queue full.
    const steadyStart = Date.now() + 5_000;
    const steady = Array.from({ length: STEADY_SECONDS * STEADY_RATE }, (_, i) =>
      admittedDueAt(`steady-${i}`, steadyStart + (i * 1000) / STEADY_RATE),
    );
    await pool(steady, WRITERS, async (input) => {
      await enrolPatient(db, input, { actorId: 'nurse-1' });
    });
    await sleep(Math.max(0, steadyStart + STEADY_SECONDS * 1000 - Date.now()) + 3_000);
    const steadyRows = await db.followUp.findMany({
      where: {
        episodeId: { startsWith: 'steady-' },
        stepKey: 'pain-review-48h',
        transition: 'due',
      },
      select: { latenessMs: true, state: true },
    });
    const lateness = steadyRows
      .map((r) => r.latenessMs ?? Number.POSITIVE_INFINITY)
      .sort((a, b) => a - b);

    // 3. A burst of steps due in the same second.
    // Every job of the burst must be in the queue before they fall due, so the time needed is
    // measured first on a probe of patients like the burst's (their steps fall due tomorrow).
    const queuedAll = async () =>
      (await db.outboxMessage.count({ where: { processedAt: null } })) === 0;
    const probe = Array.from({ length: Math.max(50, BURST / 50) }, (_, i) =>
      admittedDueAt(`probe-${i}`, Date.now() + DAY),
    );
    const probeStart = performance.now();
    await enrolPatients(db, probe, { actorId: 'nurse-1' });
    await waitUntil('the probe to be queued', queuedAll, 10 * 60_000, 50);
    const secondsPerPatient = (performance.now() - probeStart) / 1000 / probe.length;
    const burstEnrolStart = performance.now();
    const estimate = secondsPerPatient * BURST * 1.3 + 15;
    const burstAt = new Date(Math.ceil((Date.now() + estimate * 1000) / 1000) * 1000).getTime();
    const burst = Array.from({ length: BURST }, (_, i) => admittedDueAt(`burst-${i}`, burstAt));
    await pool(chunks(burst, BATCH), WRITERS, async (batch) => {
      await enrolPatients(db, batch, { actorId: 'nurse-1' });
    });
    log(
      `burst enrolled in ${((performance.now() - burstEnrolStart) / 1000).toFixed(1)} s; due at ${new Date(burstAt).toISOString()}`,
    );
    await waitUntil('the burst to be queued', queuedAll, 60 * 60_000);
    log(`burst queued ${((burstAt - Date.now()) / 1000).toFixed(1)} s before it fell due`);
    if (Date.now() > burstAt) log('warning: the burst was still being queued when it fell due');
    const burstWhere = {
      episodeId: { startsWith: 'burst-' },
      stepKey: 'pain-review-48h',
      transition: 'due',
    };
    await waitUntil(
      'the burst to drain',
      async () => (await db.followUp.count({ where: { ...burstWhere, state: 'fired' } })) === BURST,
      30 * 60_000,
      // Times come from follow_ups.settled_at, so polling rarely costs no accuracy, and frequent
      // polling (a scan of follow_ups) would take CPU from the worker it measures.
      2_000,
    );
    const settled = (await db.followUp.findMany({ where: burstWhere, select: { settledAt: true } }))
      .map((row) => ((row.settledAt?.getTime() ?? Number.NaN) - burstAt) / 1000)
      .sort((a, b) => a - b);
    const burstSeconds = settled.at(-1) ?? Number.NaN;
    const burstHalfSeconds = percentile(settled, 50);
    const burst90Seconds = percentile(settled, 90);

    // Nothing lost: every follow-up whose time has passed was settled.
    const lost = await db.followUp.count({
      where: { state: 'pending', fireAt: { lt: new Date(Date.now() - 10_000) } },
    });
    const memory = peakMemoryMiB(worker.pid as number);

    // Raw BullMQ on the same backend, in the same run.
    const raw = await rawBullmq(backend, database.url, prefix, queued);
    return {
      backend,
      patients: PATIENTS,
      followUps,
      queued,
      enrolPatientsPerSecond: PATIENTS / enrolSeconds,
      enrolJobsPerSecond: queued / enrolSeconds,
      rawAddPerSecond: raw.addPerSecond,
      lateness: {
        count: lateness.length,
        p50: percentile(lateness, 50),
        p95: percentile(lateness, 95),
        p99: percentile(lateness, 99),
        max: lateness.at(-1) ?? Number.NaN,
      },
      burstSeconds,
      burstHalfSeconds,
      burst90Seconds,
      rawBurstSeconds: raw.drainSeconds,
      lost,
      workerPeakMiB: memory,
    };
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    await db.$disconnect();
    if (backend === 'redis') {
      await deleteRedisPrefix(prefix, REDIS_URL);
      await deleteRedisPrefix(`${prefix}raw`, REDIS_URL);
    }
    await database.drop();
  }
}

const results = [];
for (const backend of values.backends.split(',') as ('redis' | 'postgres')[]) {
  results.push(await benchBackend(backend));
}
const f = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(
  `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${f(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
console.log(
  `Worker concurrency ${CONCURRENCY}; ${WRITERS} concurrent writers of ${BATCH} enrolments per transaction; every follow-up queued\n`,
);
for (const r of results) {
  console.log(
    `${r.backend}: ${f(r.patients)} patients, ${f(r.followUps)} follow-ups, ${f(r.queued)} jobs pending`,
  );
  console.log(
    `  enrolment end to end   ${f(r.enrolPatientsPerSecond, 1)} patients/s = ${f(r.enrolJobsPerSecond)} jobs/s; raw addBulk ${f(r.rawAddPerSecond)} jobs/s; ratio ${f(r.enrolJobsPerSecond / r.rawAddPerSecond, 3)} (target >= 0.5)`,
  );
  console.log(
    `  steady firing lateness ${r.lateness.count} jobs: p50 ${f(r.lateness.p50)} ms, p95 ${f(r.lateness.p95)} ms, p99 ${f(r.lateness.p99)} ms, max ${f(r.lateness.max)} ms (target p99 < 1000 ms)`,
  );
  console.log(
    `  burst of ${f(BURST)} due at once: half applied by ${f(r.burstHalfSeconds, 2)} s, 90% by ${f(r.burst90Seconds, 2)} s, all in ${f(r.burstSeconds, 2)} s; raw BullMQ no-op ${f(r.rawBurstSeconds, 2)} s; speed ratio ${f(r.rawBurstSeconds / r.burstSeconds, 3)} (target >= 0.5)`,
  );
  console.log(`  lost: ${r.lost}; worker peak memory ${f(r.workerPeakMiB)} MiB`);
}
process.exit(0);
