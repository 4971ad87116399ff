// What the dashboard's benchmarks share (bench-pages.ts, bench-fhir.ts): the seeded database
// vfx_bench_pages_<patients> on the PostgreSQL the tests use (TEST_POSTGRES_URL), seeded once by
// the scale seed and kept with --keep so either benchmark reuses it; a production build of the
// dashboard in its own dist dir, started on a free port; and the timing of requests.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@vfx/database';
import { rebuildEpisodeKpis } from '@vfx/database/jobs';
import { deployMigrations } from '@vfx/database/migrations';
import { demoDecision, seedScale, seedState } from '@vfx/database/seed';
import { TEST_POSTGRES_URL } from '@vfx/database/testing';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

export function log(line: string) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** A whole-number command-line option, refused with its name when it is not one. */
export function wholeOption(name: string, value: string | undefined, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new Error(`--${name} must be a whole number of at least ${min} (got "${value}")`);
  }
  return number;
}

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  readonly patients: number;
}

/** The benchmarks' database for a caseload size: one name, so both benchmarks share it. */
export function benchDatabase(patients: number): BenchDatabase {
  const name = `vfx_bench_pages_${patients}`;
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), patients };
}

/**
 * Creates and migrates the database, and seeds it with the scale seed unless it already holds
 * that many seeded patients (then it is reused as it is).
 */
export async function prepareBenchDatabase(
  database: BenchDatabase,
  options: { readonly batch: number },
): Promise<void> {
  const server = createDatabase(TEST_POSTGRES_URL);
  const exists = await server.$queryRaw<
    unknown[]
  >`SELECT 1 FROM pg_database WHERE datname = ${database.name}`;
  if (exists.length === 0) await server.$executeRawUnsafe(`CREATE DATABASE "${database.name}"`);
  await server.$disconnect();
  await deployMigrations(database.url);
  const db = createDatabase(database.url);
  try {
    const state = await seedState(db);
    if (state.demo === 'complete' && (await db.patient.count()) === database.patients) {
      log(`Reusing ${database.name} (${database.patients} patients).`);
      // A database seeded before the stored KPI results (or under an older KPI logic) gets them
      // as a deploy would.
      const rebuilt = await rebuildEpisodeKpis(db);
      if (rebuilt > 0) log(`Stored the KPI results of ${rebuilt} episodes.`);
      return;
    }
    if (demoDecision(state).kind !== 'seed')
      throw new Error(`${database.name} holds another or a partial seed: drop it and run again`);
    log(`Seeding ${database.patients} patients into ${database.name}...`);
    const started = Date.now();
    await seedScale(db, { patients: database.patients, batch: options.batch, log });
    const seconds = (Date.now() - started) / 1000;
    log(
      `Seeded in ${seconds.toFixed(0)} s (${(database.patients / seconds).toFixed(0)} patients/s; load average ${loadAverage()}).`,
    );
    // Fresh statistics, as autovacuum would have by the time a real service is this size.
    await db.$executeRawUnsafe('VACUUM ANALYZE');
  } finally {
    await db.$disconnect();
  }
}

export async function dropBenchDatabase(database: BenchDatabase): Promise<void> {
  const server = createDatabase(TEST_POSTGRES_URL);
  await server.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`);
  await server.$disconnect();
  log(`Dropped ${database.name} (keep it for the next run with --keep).`);
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  quiet = true,
): ChildProcess {
  return spawn(command, args, {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    detached: true,
  });
}

function finished(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningDashboard {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  stop(): Promise<void>;
}

/**
 * Builds the dashboard for production into `distDir` (next build --webpack; skipped with
 * `build: false`, which reuses the last build there) and starts it against the database,
 * answering once `readyPath` does.
 */
export async function startDashboard(options: {
  readonly database: BenchDatabase;
  readonly distDir: string;
  readonly build: boolean;
  readonly readyPath: string;
}): Promise<RunningDashboard> {
  const env = {
    NEXT_DIST_DIR: options.distDir,
    DATABASE_URL: options.database.url,
    SECURE_COOKIES: 'false',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (options.build) {
    log(`Building the dashboard (next build --webpack) into ${options.distDir}...`);
    const build = run('npx', ['next', 'build', '--webpack'], env, false);
    if ((await finished(build)) !== 0) throw new Error('next build failed');
  } else {
    log(`Reusing the last build in ${options.distDir} (no --build).`);
  }
  const port = await freePort();
  const server = run(
    'npx',
    ['next', 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    env,
  );
  let output = '';
  server.stdout?.on('data', (chunk) => (output += chunk));
  server.stderr?.on('data', (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    await finished(server);
  };
  try {
    for (let i = 0; ; i++) {
      if (i > 120) throw new Error(`the dashboard did not start:\n${output}`);
      const answered = await fetch(`${base}${options.readyPath}`).then(
        (r) => r.status < 500,
        () => false,
      );
      if (answered) break;
      await sleep(500);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, stop };
}

export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

export interface Timing {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly bytes: number;
}

/**
 * Times `get` (one request to its last byte, returning the body's size) `requests` times, one
 * at a time, after `warmUp` requests that are not counted.
 */
export async function timeRequests(
  get: () => Promise<number>,
  requests: number,
  warmUp = 3,
): Promise<Timing> {
  for (let i = 0; i < warmUp; i++) await get();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    bytes = await get();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times.at(-1) ?? Number.NaN,
    bytes,
  };
}

export function timingRow(what: string, timing: Timing): string {
  const f = (n: number) => n.toFixed(0);
  return `| ${what} | ${f(timing.p50)} | ${f(timing.p95)} | ${f(timing.max)} | ${timing.bytes} |`;
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(', ');
}

export function machine(): string {
  return `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadAverage()}`;
}
