// Soak benchmark: the real worker process runs for a long time over a large caseload under steady
// load, while faults are injected on a schedule (the worker killed, the queue's data wiped,
// PostgreSQL restarted). At the end it waits for everything due to fire and prints what the
// database and the capture mailbox show: follow-ups lost, anything done twice, lateness overall
// and in the minute after each fault, e-mail deliveries by state, and the worker's memory.
//
//   npm run bench:soak -- [--backend postgres|redis] [--patients 100000] [--minutes 30]
//                         [--enrol-per-minute 30] [--entries-per-minute 120]
//                         [--burst 200] [--burst-every 30] [--burst-lead 30] [--burst-spread 5]
//                         [--faults kill,wipe,restart] [--fault-every <seconds>]
//                         [--pg-down 10] [--pg-stop fast|immediate] [--drain-minutes 10] [--keep]
//
// It starts a PostgreSQL of its own (embedded, in a temporary folder, on a free port) so that it
// can restart it; with --backend redis it uses TEST_REDIS_URL (default 127.0.0.1:6379) under a
// key prefix of its own and deletes only that prefix's keys.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createDatabase, type Database, RecordError } from '@vfx/database';
import { enrolPatient, enrolPatients, recordEvent } from '@vfx/database/commands';
import { createUsers } from '@vfx/database/testing';
import { deleteRedisPrefix } from '../src/testing/harness.js';
import { readMailbox } from '../src/testing/mailbox.js';
import { startPrivatePostgres } from '../src/testing/private-postgres.js';
import {
  exited,
  freePort,
  readiness,
  ready,
  startWorkerProcess,
} from '../src/testing/worker-process.js';
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
    backend: { type: 'string', default: 'postgres' },
    patients: { type: 'string', default: '100000' },
    minutes: { type: 'string', default: '30' },
    'enrol-per-minute': { type: 'string', default: '30' },
    'entries-per-minute': { type: 'string', default: '120' },
    burst: { type: 'string', default: '200' },
    'burst-every': { type: 'string', default: '30' },
    'burst-lead': { type: 'string', default: '30' },
    'burst-spread': { type: 'string', default: '5' },
    faults: { type: 'string', default: 'kill,wipe,restart' },
    'fault-every': { type: 'string' },
    'pg-down': { type: 'string', default: '10' },
    'pg-stop': { type: 'string', default: 'fast' },
    'drain-minutes': { type: 'string', default: '10' },
    writers: { type: 'string', default: '4' },
    batch: { type: 'string', default: '250' },
    keep: { type: 'boolean', default: false },
  },
});
const BACKEND = values.backend as 'redis' | 'postgres';
if (BACKEND !== 'redis' && BACKEND !== 'postgres') {
  throw new Error(`--backend must be redis or postgres, not "${values.backend}"`);
}
const PG_STOP = values['pg-stop'] as 'fast' | 'immediate';
if (PG_STOP !== 'fast' && PG_STOP !== 'immediate') {
  throw new Error(`--pg-stop must be fast or immediate, not "${values['pg-stop']}"`);
}
type FaultKind = 'kill' | 'wipe' | 'restart';
const FAULTS = values.faults.split(',').filter(Boolean) as FaultKind[];
for (const kind of FAULTS) {
  if (!['kill', 'wipe', 'restart'].includes(kind)) {
    throw new Error(`--faults lists kill, wipe and restart in any order, not "${kind}"`);
  }
}
const PATIENTS = Number(values.patients);
const DURATION_MS = Number(values.minutes) * 60_000;
const ENROL_PER_MINUTE = Number(values['enrol-per-minute']);
const ENTRIES_PER_MINUTE = Number(values['entries-per-minute']);
const BURST = Number(values.burst);
const BURST_EVERY_MS = Number(values['burst-every']) * 1000;
const BURST_LEAD_MS = Number(values['burst-lead']) * 1000;
const BURST_SPREAD_MS = Number(values['burst-spread']) * 1000;
const BURST_OFFSET_MS = 10_000;
// About seven faults in a run (three of each kind in 30 minutes), never closer than 45 s.
const FAULT_EVERY_MS =
  values['fault-every'] !== undefined
    ? Number(values['fault-every']) * 1000
    : Math.max(45_000, Math.round(DURATION_MS / 7.5 / 1000) * 1000);
const PG_DOWN_MS = Number(values['pg-down']) * 1000;
const DRAIN_MS = Number(values['drain-minutes']) * 60_000;
const WRITERS = Number(values.writers);
const BATCH = Number(values.batch);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** How long a supervisor (systemd, Docker) waits before starting a worker that exited. */
const RESTART_DELAY_MS = 1_000;
const SAMPLE_EVERY_MS = 5_000;
const MINUTE = 60_000;

const log = (...args: unknown[]) =>
  console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

/** Resident memory (VmRSS) of a process in MiB, or undefined once it has gone. */
function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Incarnation {
  readonly pid: number;
  readonly startedAt: number;
  /** When it first answered /health/ready with 200. */
  readyAt?: number;
  exit?: string;
  /** Ended by the benchmark (a planned SIGKILL, or the final stop), not by itself. */
  planned: boolean;
  rss: { at: number; mib: number }[];
}

/** Keeps one worker process running, as a supervisor would: restarts it whenever it exits. */
class Supervisor {
  readonly incarnations: Incarnation[] = [];
  private child: ChildProcess | undefined;
  private stopping = false;
  private killing = false;
  private sampler: NodeJS.Timeout | undefined;

  constructor(
    private readonly env: Record<string, string>,
    private readonly port: number,
    private readonly output: (chunk: Buffer) => void,
  ) {}

  get current(): Incarnation | undefined {
    return this.incarnations.at(-1);
  }

  start() {
    const child = startWorkerProcess(this.env, { output: this.output });
    this.child = child;
    const incarnation: Incarnation = {
      pid: child.pid as number,
      startedAt: Date.now(),
      planned: false,
      rss: [],
    };
    this.incarnations.push(incarnation);
    child.once('exit', (code, signal) => {
      incarnation.exit = signal ? `signal ${signal}` : `code ${code}`;
      incarnation.planned = this.killing || this.stopping;
      if (!incarnation.planned) log(`the worker exited by itself (${incarnation.exit})`);
      this.killing = false;
      if (!this.stopping) setTimeout(() => this.start(), RESTART_DELAY_MS);
    });
    this.sampler ??= setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    void (async () => {
      while (!incarnation.exit && !this.stopping) {
        if ((await readiness(this.port)) === 200) {
          incarnation.readyAt = Date.now();
          return;
        }
        await sleep(250);
      }
    })();
  }

  sample() {
    const incarnation = this.current;
    if (!incarnation || incarnation.exit) return;
    // Memory while it starts (tsx compiling, Nest booting) is not growth.
    if (!incarnation.readyAt) return;
    const mib = rssMiB(incarnation.pid);
    if (mib !== undefined) incarnation.rss.push({ at: Date.now(), mib });
  }

  /** SIGKILL, as the OOM killer or a lost host would; the exit handler starts a new one. */
  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.killing = true;
    child.kill('SIGKILL');
    await exited(child);
  }

  /** SIGTERM (running jobs finish), SIGKILL after 40 s. */
  async stop() {
    this.stopping = true;
    clearInterval(this.sampler);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited(child).then(() => true), sleep(40_000, false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
}

/**
 * Runs `work` every `intervalMs` from `offsetMs` on until `until`, one at a time; counts outcomes
 * (a write the database refused by its code, one that failed because it was unreachable).
 */
async function steady(
  intervalMs: number,
  until: number,
  work: (i: number) => Promise<void>,
  counts: Map<string, number>,
  offsetMs = 0,
) {
  const start = Date.now() + offsetMs;
  for (let i = 0; ; i++) {
    const at = start + i * intervalMs;
    if (at >= until) return;
    await sleep(Math.max(0, at - Date.now()));
    try {
      await work(i);
      counts.set('ok', (counts.get('ok') ?? 0) + 1);
    } catch (error) {
      const kind =
        error instanceof RecordError ? `refused (${error.code})` : 'failed (database error)';
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  }
}

const describeCounts = (counts: Map<string, number>) =>
  [...counts].map(([kind, n]) => `${n.toLocaleString('en-GB')} ${kind}`).join(', ') || 'none';

/** Every table of BullMQ's PostgreSQL backend for this prefix, except its migration ledger. */
async function truncateQueueSchema(db: Database, schema: string) {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
    WHERE schemaname = ${schema} AND tablename <> 'migration'`;
  if (tables.length === 0) throw new Error(`No queue tables in schema ${schema}`);
  await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => t.name).join(', ')} CASCADE`);
  return tables.length;
}

interface Fault {
  readonly kind: FaultKind;
  readonly at: number;
  detail: string;
  /** When /health/ready answered 200 again. */
  readyAt?: number;
}

interface Firing {
  readonly fireAt: number;
  /** Commit time of the transaction that fired it, from PostgreSQL's commit timestamps. */
  readonly committedAt: number;
  readonly latenessMs: number;
}

function latenessSummary(firings: readonly Firing[]) {
  const sorted = firings.map((f) => f.latenessMs).sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Counts the worker's log lines by message (JSON lines from pino; anything else is raw output). */
function summariseLog(text: string): string {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let key = 'raw (not pino) lines';
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      key = `${entry.level !== undefined && entry.level >= 50 ? 'error' : 'warn'} "${entry.msg}"`;
    } catch {}
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return (
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `${n} ${key}`)
      .join('; ') || 'none'
  );
}

const f = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';
const seconds = (ms: number) => `${f(ms / 1000, 1)} s`;

async function main() {
  log(
    `soak on ${BACKEND}: ${f(PATIENTS)} patients, ${values.minutes} minutes, faults ${FAULTS.join(' -> ')} every ${seconds(FAULT_EVERY_MS)}`,
  );
  // Commit timestamps let the report time each firing by when PostgreSQL committed it, not by
  // the worker's own clock or claims.
  const postgres = await startPrivatePostgres({
    label: 'soak',
    settings: { track_commit_timestamp: 'on' },
  });
  const prefix = `soak${randomBytes(3).toString('hex')}`;
  const mailbox = path.join(postgres.dir, 'mailbox');
  const workerLog = path.join(postgres.dir, 'worker.log');
  const logStream = createWriteStream(workerLog, { flags: 'a' });
  const db = createDatabase(postgres.url, {
    maxConnections: WRITERS + 4,
    applicationName: 'vfx-soak',
  });
  const port = await freePort();
  const supervisor = new Supervisor(
    {
      DATABASE_URL: postgres.url,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      MAILBOX_DIR: mailbox,
      EMAIL_REMINDERS: 'true',
      REDIS_URL: BACKEND === 'redis' ? REDIS_URL : '',
    },
    port,
    (chunk) => logStream.write(chunk),
  );
  let failed = false;
  try {
    await createUsers(db);
    supervisor.start();
    await ready(port, 120_000);

    // 1. The caseload, through the import write path while the worker relays it.
    const random = seededRandom(42);
    const seedStart = performance.now();
    const seedNow = Date.now();
    let enrolled = 0;
    await pool(
      chunks(
        Array.from({ length: PATIENTS }, (_, i) => i + 1),
        BATCH,
      ),
      WRITERS,
      async (numbers) => {
        await enrolPatients(
          db,
          numbers.map((n) => syntheticPatient(n, seedNow, random)),
          { actorId: 'nurse-1' },
        );
        enrolled += numbers.length;
        if (enrolled % 10_000 < BATCH) log(`seeded ${f(enrolled)} patients`);
      },
    );
    const waitForOutbox = async (what: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while ((await db.outboxMessage.count({ where: { processedAt: null } })) > 0) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await sleep(1_000);
      }
    };
    await waitForOutbox('the seed to be queued', 60 * MINUTE);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const followUpsPending = await db.followUp.count({ where: { state: 'pending' } });
    log(`seeded in ${f(seedSeconds)} s; ${f(followUpsPending)} follow-ups pending`);

    // 2. The soak: steady enrolments and entries, bursts of due reviews, faults on schedule.
    const soakStart = Date.now();
    const soakEnd = soakStart + DURATION_MS;
    const enrolCounts = new Map<string, number>();
    const entryCounts = new Map<string, number>();
    const burstCounts = new Map<string, number>();
    const declineCounts = new Map<string, number>();
    const faults: Fault[] = [];
    let maxConnections = 0;
    const connectionSampler = setInterval(() => {
      db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity`.then(
        ([row]) => {
          maxConnections = Math.max(maxConnections, Number(row?.n ?? 0));
        },
        () => undefined,
      );
    }, SAMPLE_EVERY_MS);

    const enrolments = steady(
      MINUTE / ENROL_PER_MINUTE,
      soakEnd,
      async (i) => {
        await enrolPatient(db, syntheticPatient(PATIENTS + 1 + i, Date.now(), random), {
          actorId: 'nurse-1',
        });
      },
      enrolCounts,
    );
    const entries = steady(
      MINUTE / ENTRIES_PER_MINUTE,
      soakEnd,
      async () => {
        const n = 1 + Math.floor(random() * PATIENTS);
        await recordEvent(
          db,
          {
            episodeId: `bench-ep-${n}`,
            event: {
              type: 'pain-assessment',
              nrsAtRest: 1,
              nrsOnActivity: 3,
              functionalLimitation: 'mild',
              occurredAt: new Date().toISOString(),
            },
          },
          { actorId: `nurse-${1 + (n % 2)}` },
        );
      },
      entryCounts,
    );
    const bursts = steady(
      BURST_EVERY_MS,
      soakEnd - BURST_LEAD_MS,
      async (k) => {
        const dueFrom = Date.now() + BURST_LEAD_MS;
        const inputs = Array.from({ length: BURST }, (_, i) =>
          admittedDueAt(
            `soak-${k}-${i}`,
            dueFrom + Math.floor((i * BURST_SPREAD_MS) / Math.max(1, BURST)),
          ),
        );
        for (const batch of chunks(inputs, 50)) {
          await enrolPatients(db, batch, { actorId: 'nurse-1' });
        }
        // A nurse settles one review in twenty before it falls due: its jobs must go, not fire.
        for (let i = 0; i < BURST; i += 20) {
          try {
            await recordEvent(
              db,
              {
                episodeId: `soak-${k}-${i}-ep`,
                event: {
                  type: 'step-completed',
                  stepKey: 'pain-review-48h',
                  outcome: 'declined',
                  occurredAt: new Date().toISOString(),
                },
              },
              { actorId: 'nurse-1' },
            );
            declineCounts.set('ok', (declineCounts.get('ok') ?? 0) + 1);
          } catch (error) {
            const kind = error instanceof RecordError ? `refused (${error.code})` : 'failed';
            declineCounts.set(kind, (declineCounts.get(kind) ?? 0) + 1);
          }
        }
      },
      burstCounts,
      // Off the faults' beat (whole multiples of --fault-every), so a burst is not always
      // enrolled at the moment the database stops.
      BURST_OFFSET_MS,
    );
    const injector = (async () => {
      for (let j = 1; FAULTS.length > 0; j++) {
        const at = soakStart + j * FAULT_EVERY_MS;
        // A fault needs a minute after it inside the run to be measured.
        if (at > soakEnd - MINUTE) return;
        await sleep(at - Date.now());
        const kind = FAULTS[(j - 1) % FAULTS.length] as FaultKind;
        const fault: Fault = { kind, at: Date.now(), detail: '' };
        faults.push(fault);
        log(`fault: ${kind}`);
        try {
          if (kind === 'kill') {
            const pid = supervisor.current?.pid;
            await supervisor.kill();
            fault.detail = `worker ${pid} killed (SIGKILL), restarted after ${seconds(RESTART_DELAY_MS)}`;
          } else if (kind === 'wipe') {
            if (BACKEND === 'redis') {
              await deleteRedisPrefix(prefix, REDIS_URL);
              fault.detail = `Redis keys ${prefix}:* deleted`;
            } else {
              const tables = await truncateQueueSchema(db, `${prefix}_queue`);
              fault.detail = `${tables} tables of schema ${prefix}_queue truncated`;
            }
          } else {
            await postgres.stop(PG_STOP);
            const stoppedAt = Date.now();
            await sleep(PG_DOWN_MS);
            await postgres.start();
            fault.detail = `PostgreSQL stopped (${PG_STOP}) for ${seconds(Date.now() - stoppedAt)}`;
          }
        } catch (error) {
          fault.detail = `injection failed: ${(error as Error).message}`;
        }
        const deadline = Date.now() + 10 * MINUTE;
        while (Date.now() < deadline) {
          if ((await readiness(port)) === 200) {
            fault.readyAt = Date.now();
            break;
          }
          await sleep(250);
        }
      }
    })();
    const progress = setInterval(() => {
      log(
        `soak ${seconds(Date.now() - soakStart)}: enrolments ${describeCounts(enrolCounts)}; entries ${describeCounts(entryCounts)}; bursts ${describeCounts(burstCounts)}`,
      );
    }, MINUTE);
    await Promise.all([enrolments, entries, bursts, injector]);
    clearInterval(progress);
    const loadEnd = Date.now();

    // 3. Everything due by the end must fire; e-mails must go; the outbox must empty.
    log('load stopped; waiting for everything due to fire');
    const drainStart = Date.now();
    const outstanding = async () => {
      const [row] = await db.$queryRaw<{ due: bigint; mail: bigint; outbox: bigint }[]>`
        SELECT
          (SELECT count(*) FROM follow_ups WHERE state = 'pending' AND fire_at <= ${new Date(loadEnd)}) AS due,
          (SELECT count(*) FROM reminder_deliveries
            WHERE channel = 'email' AND state::text NOT IN ('sent', 'failed')) AS mail,
          (SELECT count(*) FROM outbox WHERE processed_at IS NULL) AS outbox`;
      return { due: Number(row?.due), mail: Number(row?.mail), outbox: Number(row?.outbox) };
    };
    let left = await outstanding().catch(() => ({ due: -1, mail: -1, outbox: -1 }));
    for (let polls = 0; left.due !== 0 || left.mail !== 0 || left.outbox !== 0; polls++) {
      if (Date.now() - drainStart > DRAIN_MS) {
        log(`gave up waiting after ${seconds(DRAIN_MS)}: ${JSON.stringify(left)}`);
        break;
      }
      if (polls % 6 === 0)
        log(`still due ${left.due}, e-mails ${left.mail}, outbox ${left.outbox}`);
      await sleep(5_000);
      left = await outstanding().catch(() => left);
    }
    const drainMs = Date.now() - drainStart;
    // Retries that might still send a message twice have had a moment to run.
    await sleep(10_000);
    supervisor.sample();
    clearInterval(connectionSampler);

    // 4. The report, from the database and the mailbox.
    const end = new Date(loadEnd);
    const start = new Date(soakStart);
    const dueByState = await db.$queryRaw<{ state: string; n: bigint }[]>`
      SELECT state::text AS state, count(*) AS n FROM follow_ups
      WHERE fire_at >= ${start} AND fire_at <= ${end} GROUP BY 1 ORDER BY 1`;
    const states = Object.fromEntries(dueByState.map((r) => [r.state, Number(r.n)]));
    const due = Object.values(states).reduce((a, b) => a + b, 0);
    const lost = await db.followUp.count({ where: { state: 'pending', fireAt: { lte: end } } });
    const firingRows = await db.$queryRaw<
      { fire_ms: number; committed_ms: number | null; settled_ms: number; created_ms: number }[]
    >`
      SELECT extract(epoch FROM fire_at) * 1000 AS fire_ms,
             extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS committed_ms,
             extract(epoch FROM settled_at) * 1000 AS settled_ms,
             extract(epoch FROM created_at) * 1000 AS created_ms
      FROM follow_ups WHERE state = 'fired' AND fire_at >= ${start} AND fire_at <= ${end}`;
    let withoutCommitTime = 0;
    const firings: Firing[] = firingRows.map((row) => {
      if (row.committed_ms === null) withoutCommitTime += 1;
      const committedAt = Number(row.committed_ms ?? row.settled_ms);
      // From when it could first fire, as the worker measures it (a follow-up planned after its
      // time is not late by the time before it existed).
      const from = Math.max(Number(row.fire_ms), Number(row.created_ms));
      return { fireAt: Number(row.fire_ms), committedAt, latenessMs: committedAt - from };
    });
    const [auditTwice] = await db.$queryRaw<{ n: bigint | null }[]>`
      SELECT sum(c - 1) AS n FROM (
        SELECT count(*) AS c FROM audit_log
        WHERE actor = 'system:worker' AND action LIKE 'step.%' AND at >= ${start}
        GROUP BY after->>'followUpId' HAVING count(*) > 1) twice`;
    const [reminderTwice] = await db.$queryRaw<{ n: bigint | null }[]>`
      SELECT sum(c - 1) AS n FROM (
        SELECT count(*) AS c FROM reminders
        WHERE created_at >= ${start} AND kind <> 'manual'
        GROUP BY episode_id, step_key, kind HAVING count(*) > 1) twice`;
    const deliveries = await db.$queryRaw<
      { id: string; state: string; attempts: number; episode_id: string }[]
    >`
      SELECT d.id, d.state::text AS state, d.attempts, r.episode_id
      FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id
      WHERE d.channel = 'email'`;
    const deliveryStates = new Map<string, number>();
    for (const d of deliveries) deliveryStates.set(d.state, (deliveryStates.get(d.state) ?? 0) + 1);
    const sentIds = new Set(deliveries.filter((d) => d.state === 'sent').map((d) => d.id));
    const retriedSent = deliveries.filter((d) => d.state === 'sent' && d.attempts > 1).length;
    const mail = await readMailbox(mailbox);
    // A message is one delivery's when its Message-ID or file name carries the delivery id;
    // otherwise (random Message-IDs) by the episode its link opens and its subject.
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    const keys = mail.map((m) => {
      const id = [...`${m.messageId} ${m.file}`.matchAll(uuid)]
        .map((match) => match[0])
        .find((candidate) => sentIds.has(candidate));
      return id ?? `${m.episodeId}|${m.subject}`;
    });
    const distinctKeys = new Set(keys).size;
    const messageIds = new Set(mail.map((m) => m.messageId));
    const mailboxTwice = mail.length - distinctKeys;
    const messageIdTwice = mail.length - messageIds.size;

    const incarnations = supervisor.incarnations;
    const unplanned = incarnations.filter((i) => i.exit && !i.planned);
    const soakSamples = incarnations.flatMap((i) => i.rss).filter((s) => s.at >= soakStart);
    const longest = [...incarnations].sort(
      (a, b) =>
        (b.rss.at(-1)?.at ?? 0) -
        (b.rss[0]?.at ?? 0) -
        ((a.rss.at(-1)?.at ?? 0) - (a.rss[0]?.at ?? 0)),
    )[0];
    const failedJobs = await fetch(`http://127.0.0.1:${port}/metrics`)
      .then((r) => r.text())
      .then((text) =>
        [...text.matchAll(/^vfx_queue_jobs\{queue="([^"]+)",state="failed"\} (\d+)/gm)]
          .map((m) => `${m[1]} ${m[2]}`)
          .join(', '),
      )
      .catch(() => 'not available (the worker did not answer)');

    const overall = latenessSummary(firings);
    const lines = [
      '',
      `Soak on ${BACKEND} (${BACKEND === 'redis' ? `Redis ${REDIS_URL}, prefix ${prefix}` : `PostgreSQL backend, schema ${prefix}_queue`}); embedded PostgreSQL 17 on port ${postgres.port}`,
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${f(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      `Caseload: ${f(PATIENTS)} patients seeded in ${f(seedSeconds)} s, ${f(followUpsPending)} follow-ups pending at the start`,
      `Run: ${seconds(loadEnd - soakStart)} of load, then ${seconds(drainMs)} until nothing due was left${left.due || left.mail || left.outbox ? ` (gave up: ${JSON.stringify(left)})` : ''}`,
      `Load: enrolments ${describeCounts(enrolCounts)}; entries ${describeCounts(entryCounts)}; bursts of ${BURST} ${describeCounts(burstCounts)} (reviews settled early: ${describeCounts(declineCounts)})`,
      '',
      'Faults:',
      ...faults.map(
        (fault) =>
          `  +${seconds(fault.at - soakStart)} ${fault.kind}: ${fault.detail}; ready again after ${fault.readyAt ? seconds(fault.readyAt - fault.at) : 'never'}`,
      ),
      '',
      `Follow-ups due during the run: ${f(due)} (${Object.entries(states)
        .map(([state, n]) => `${f(n)} ${state}`)
        .join(', ')})`,
      `Lost (due by the end, still pending): ${f(lost)}`,
      `Doubled: firings applied twice (audit per follow-up) ${f(Number(auditTwice?.n ?? 0))}; reminders twice (episode, step, kind) ${f(Number(reminderTwice?.n ?? 0))}; mailbox messages beyond one per delivery ${f(mailboxTwice)}; Message-ID repeated ${f(messageIdTwice)}`,
      `Late (commit time - fire time${withoutCommitTime ? `; ${withoutCommitTime} timed by settled_at` : ''}): ${f(overall.n)} fired, p50 ${f(overall.p50)} ms, p99 ${f(overall.p99)} ms, max ${f(overall.max)} ms`,
      ...faults.map((fault) => {
        const window = firings.filter((x) => x.fireAt >= fault.at && x.fireAt < fault.at + MINUTE);
        const s = latenessSummary(window);
        return `  minute after ${fault.kind} at +${seconds(fault.at - soakStart)}: ${f(s.n)} fired, p50 ${f(s.p50)} ms, p99 ${f(s.p99)} ms, max ${f(s.max)} ms`;
      }),
      `E-mail deliveries: ${[...deliveryStates].map(([state, n]) => `${f(n)} ${state}`).join(', ')}; ${f(retriedSent)} sent after more than one attempt; mailbox ${f(mail.length)} messages`,
      `Jobs failed for good (the queue's count): ${failedJobs || 'none'}`,
      `Worker: ${incarnations.length} processes (${f(unplanned.length)} exited by themselves${unplanned.length ? `: ${unplanned.map((i) => i.exit).join(', ')}` : ''}); each ready ${incarnations.map((i) => (i.readyAt ? seconds(i.readyAt - i.startedAt) : 'never')).join(', ')} after its start`,
      `Worker memory (RSS): at the start ${f(soakSamples[0]?.mib ?? Number.NaN)} MiB, max ${f(Math.max(...soakSamples.map((s) => s.mib)))} MiB, at the end ${f(soakSamples.at(-1)?.mib ?? Number.NaN)} MiB; longest-lived process (${seconds((longest?.rss.at(-1)?.at ?? 0) - (longest?.rss[0]?.at ?? 0))}): ${f(longest?.rss[0]?.mib ?? Number.NaN)} -> ${f(longest?.rss.at(-1)?.mib ?? Number.NaN)} MiB`,
      `Database connections, most at once: ${maxConnections}`,
      `Worker log (warnings and errors): ${summariseLog(await readFile(workerLog, 'utf8').catch(() => ''))}`,
    ];
    console.log(lines.join('\n'));
  } catch (error) {
    failed = true;
    log(`soak failed: ${(error as Error).stack ?? error}`);
  } finally {
    await supervisor.stop();
    await db.$disconnect();
    logStream.end();
    if (BACKEND === 'redis') await deleteRedisPrefix(prefix, REDIS_URL).catch(() => undefined);
    if (values.keep) {
      await postgres.stop('fast');
      log(`kept ${postgres.dir} (worker.log, mailbox/, postgres/)`);
    } else {
      await postgres.close();
    }
  }
  process.exit(failed ? 1 : 0);
}

await main();
