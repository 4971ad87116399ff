// Page benchmark: the nurse's worklist and caseload and the administrator's overdue list,
// answered by a production build of the dashboard against a seeded caseload (100,000 patients
// by default). Prints p50 / p95 / max server time per page, measured as the time to the last
// byte of the HTML on the same machine.
//
//   npm run bench:pages -- [--patients 100000] [--requests 40] [--keep] [--batch 250]
//
// The database (vfx_bench_pages_<patients> on the PostgreSQL the tests use, TEST_POSTGRES_URL)
// is seeded once and kept with --keep, so a second run measures without seeding again.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase } from '@vfx/database';
import { signIn } from '@vfx/database/auth';
import { recordSearch } from '@vfx/database/commands';
import { rebuildEpisodeKpis } from '@vfx/database/jobs';
import { deployMigrations } from '@vfx/database/migrations';
import { DEMO_PASSWORD, DEMO_USERS, demoDecision, seedScale, seedState } from '@vfx/database/seed';
import { TEST_POSTGRES_URL } from '@vfx/database/testing';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
    // Patients enrolled per seed transaction: smaller on a loaded machine, where a batch of 250
    // can outlast the 30 s transaction timeout.
    batch: { type: 'string', default: '250' },
  },
});
const PATIENTS = Number(values.patients);
const REQUESTS = Number(values.requests);
if (!Number.isInteger(PATIENTS) || PATIENTS < 1)
  throw new Error('--patients must be a whole number of at least 1');
if (!Number.isInteger(REQUESTS) || REQUESTS < 5)
  throw new Error('--requests must be a whole number of at least 5');

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const DIST_DIR = '.next-bench';
const DATABASE = `vfx_bench_pages_${PATIENTS}`;
const url = new URL(TEST_POSTGRES_URL);
url.pathname = `/${DATABASE}`;
const DATABASE_URL = url.toString();

function log(line: string) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function prepareDatabase() {
  const server = createDatabase(TEST_POSTGRES_URL);
  const exists = await server.$queryRaw<
    unknown[]
  >`SELECT 1 FROM pg_database WHERE datname = ${DATABASE}`;
  if (exists.length === 0) await server.$executeRawUnsafe(`CREATE DATABASE "${DATABASE}"`);
  await server.$disconnect();
  await deployMigrations(DATABASE_URL);
  const db = createDatabase(DATABASE_URL);
  try {
    const state = await seedState(db);
    if (state.demo === 'complete' && (await db.patient.count()) === PATIENTS) {
      log(`Reusing ${DATABASE} (${PATIENTS} patients).`);
      // A database seeded before the stored KPI results (or under an older KPI logic) gets them
      // as a deploy would.
      const rebuilt = await rebuildEpisodeKpis(db);
      if (rebuilt > 0) log(`Stored the KPI results of ${rebuilt} episodes.`);
      return;
    }
    if (demoDecision(state).kind !== 'seed')
      throw new Error(`${DATABASE} holds another or a partial seed: drop it and run again`);
    log(`Seeding ${PATIENTS} patients into ${DATABASE}...`);
    const started = Date.now();
    await seedScale(db, { patients: PATIENTS, batch: Number(values.batch), log });
    log(`Seeded in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    // Fresh statistics, as autovacuum would have by the time a real service is this size.
    await db.$executeRawUnsafe('VACUUM ANALYZE');
  } finally {
    await db.$disconnect();
  }
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
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
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

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function main() {
  await prepareDatabase();
  const env = {
    NEXT_DIST_DIR: DIST_DIR,
    DATABASE_URL,
    SECURE_COOKIES: 'false',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  log('Building the dashboard (next build --webpack)...');
  const build = run('npx', ['next', 'build', '--webpack'], env, false);
  if ((await finished(build)) !== 0) throw new Error('next build failed');
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
  try {
    for (let i = 0; ; i++) {
      if (i > 120) throw new Error(`the dashboard did not start:\n${output}`);
      const answered = await fetch(`${base}/sign-in`).then(
        (r) => r.ok,
        () => false,
      );
      if (answered) break;
      await sleep(500);
    }
    const db = createDatabase(DATABASE_URL);
    const sessions: Record<string, string> = {};
    for (const user of DEMO_USERS) {
      const result = await signIn(db, { email: user.email, password: DEMO_PASSWORD });
      if (!result.ok) throw new Error(`could not sign in as ${user.email}`);
      sessions[user.key] = result.token;
    }
    const nurse = await db.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0].email } });
    const caseloadSize = await db.patient.count({ where: { nurseId: nurse.id } });
    const someone = await db.patient.findFirstOrThrow({
      where: { nurseId: nurse.id },
      orderBy: { identifierValue: 'desc' },
    });
    const overdueSteps = await db.planStep.count({ where: { status: 'overdue' } });
    // A search is POSTed and kept behind an opaque id (never in the address): made here as the
    // search form's action makes it, then its result pages are timed.
    const search = (query: string) =>
      recordSearch(db, { actor: nurse.id, scope: 'caseload', query });
    const byName = await search(someone.familyName.slice(0, 4));
    const byNhsNumber = await search(someone.identifierValue);
    await db.$disconnect();

    const pages: { who: keyof typeof sessions; path: string; what: string }[] = [
      { who: 'nurse', path: '/worklist', what: 'Worklist (nurse), risk order' },
      { who: 'nurse', path: '/worklist?sort=when&dir=desc', what: 'Worklist, latest date first' },
      { who: 'nurse', path: '/caseload', what: 'Caseload, overdue first' },
      { who: 'nurse', path: '/caseload?sort=name&page=60', what: 'Caseload by name, page 60' },
      {
        who: 'nurse',
        path: '/caseload?sort=fracture&dir=desc&page=60',
        what: 'Caseload, oldest fracture first, page 60',
      },
      {
        who: 'nurse',
        path: `/caseload?search=${byName}`,
        what: 'Caseload, name search',
      },
      {
        who: 'nurse',
        path: `/caseload?search=${byNhsNumber}`,
        what: 'Caseload, NHS number search',
      },
      {
        who: 'nurse',
        path: '/caseload?phase=acute&overdue=1',
        what: 'Caseload, acute and overdue',
      },
      { who: 'admin', path: '/caseload', what: 'All caseloads (admin)' },
      { who: 'admin', path: '/admin/overdue', what: 'Overdue, all caseloads' },
      { who: 'admin', path: '/admin/overdue?page=40', what: 'Overdue, page 40' },
      {
        who: 'admin',
        path: '/admin/overdue?sort=overdue&dir=asc&page=40',
        what: 'Overdue, most recent first, page 40',
      },
      { who: 'admin', path: '/worklist', what: 'Worklist (admin, no caseload)' },
      { who: 'admin', path: `/admin/overdue?nurse=${nurse.id}`, what: 'Overdue, one nurse' },
      { who: 'admin', path: '/admin/overdue?days=30', what: 'Overdue, 30 days or more' },
      { who: 'admin', path: '/admin/kpis', what: 'KPIs, last 12 months (admin)' },
      {
        who: 'admin',
        path: '/admin/kpis?from=2017-01-01&to=2026-12-31',
        what: 'KPIs, ten years (admin)',
      },
      { who: 'admin', path: '/admin/kpis/export.csv', what: 'KPI CSV, last 12 months' },
    ];
    console.log(
      `\n${PATIENTS} patients; the demo nurse's caseload: ${caseloadSize}; overdue steps in all: ${overdueSteps}.`,
    );
    console.log(
      `Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${REQUESTS} requests per page after 3 warm-up requests, one at a time.\n`,
    );
    console.log('| page | p50 ms | p95 ms | max ms | bytes |');
    console.log('|---|---:|---:|---:|---:|');
    for (const page of pages) {
      const get = async () => {
        const started = performance.now();
        const response = await fetch(`${base}${page.path}`, {
          headers: { cookie: `vfx_session=${sessions[page.who]}; vfx_tz=Europe/London` },
          redirect: 'manual',
        });
        const body = await response.text();
        if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
        return { ms: performance.now() - started, bytes: body.length };
      };
      for (let i = 0; i < 3; i++) await get();
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const result = await get();
        times.push(result.ms);
        bytes = result.bytes;
      }
      times.sort((a, b) => a - b);
      const f = (n: number) => n.toFixed(0);
      console.log(
        `| ${page.what} | ${f(percentile(times, 50))} | ${f(percentile(times, 95))} | ${f(times.at(-1) ?? 0)} | ${bytes} |`,
      );
    }
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await finished(server);
  }
  if (!values.keep) {
    const server = createDatabase(TEST_POSTGRES_URL);
    await server.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await server.$disconnect();
    log(`Dropped ${DATABASE} (keep it for the next run with --keep).`);
  }
}

await main();
