// npm start: the whole product on one machine with nothing installed but Node.js. Builds the
// dashboard when its sources changed, starts PostgreSQL from a project-local folder (or uses
// DATABASE_URL), migrates, seeds the demo on the first run, then runs the worker and the
// dashboard until Ctrl-C (restarting either when it dies, see supervisor.ts), and stops
// everything in order: dashboard, worker, database.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@vfx/database';
import { EmbeddedPostgres } from '@vfx/database/embedded-postgres';
import { rebuildEpisodeKpis } from '@vfx/database/jobs';
import { deployMigrations } from '@vfx/database/migrations';
import { DEMO_PASSWORD, DEMO_USERS } from '@vfx/database/seed';
import { describeExit, startChild, stopChild, tail } from './child.js';
import { loadLauncherConfig, StartError } from './config.js';
import { prepareDemo } from './demo.js';
import { postgresDied, postmasterAlive } from './postgres-watch.js';
import { Supervisor } from './supervisor.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DASHBOARD_DIR = path.join(ROOT, 'apps', 'dashboard');
const WORKER_DIR = path.join(ROOT, 'apps', 'worker');

const started = Date.now();
const elapsed = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s]`;
const say = (line: string) => console.log(`${elapsed()} ${line}`);

/** Refuses a port another program holds, naming the setting that moves it. */
async function ensureFree(port: number, what: string, setting: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartError(
              `Port ${port} (${what}) is already in use by another program. Stop it, or choose another port with ${setting}=<port>.`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A fingerprint of everything the dashboard's production build is made from. */
async function buildInputsHash(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        hash.update(path.relative(ROOT, full));
        hash.update(await readFile(full));
      }
    }
  };
  for (const dir of ['apps/dashboard/src', 'packages/domain/src', 'packages/database/src']) {
    await walk(path.join(ROOT, dir));
  }
  for (const file of [
    'apps/dashboard/next.config.ts',
    'apps/dashboard/package.json',
    'prisma/schema.prisma',
    'pnpm-lock.yaml',
  ]) {
    hash.update(file);
    hash.update(await readFile(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

/**
 * One run per data folder: a second `npm start` would share (and at its end stop) the first
 * one's database. The lock names the running launcher; a lock left by a killed run is taken over.
 */
async function claimDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'launcher.pid');
  try {
    const holder = Number((await readFile(lock, 'utf8')).trim());
    if (Number.isInteger(holder) && holder !== process.pid) {
      let alive = true;
      try {
        process.kill(holder, 0);
      } catch {
        alive = false;
      }
      if (alive) {
        throw new StartError(
          `The product is already running from ${dataDir} (process ${holder}). Use that one, stop it with Ctrl-C, or give this run its own DATA_DIR and ports.`,
        );
      }
    }
  } catch (error) {
    if (error instanceof StartError) throw error;
  }
  await writeFile(lock, String(process.pid));
  process.on('exit', () => {
    try {
      if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
    } catch {}
  });
}

/** Something the launcher runs and stops, in reverse order of starting. */
interface Part {
  readonly name: string;
  stop(): Promise<void>;
}

/**
 * How often the embedded PostgreSQL is looked at: a check reads one small file, and within two
 * seconds of its death the worker has hardly begun to fail on it.
 */
const POSTGRES_CHECK_MS = 2000;

async function main(): Promise<void> {
  const config = loadLauncherConfig(process.env, ROOT);
  const logDir = path.join(config.dataDir, 'logs');
  const parts: Part[] = [];
  let postgres: EmbeddedPostgres | undefined;
  let stopping: Promise<void> | undefined;
  const watching = new AbortController();

  const stopAll = (why: string) => {
    stopping ??= (async () => {
      watching.abort();
      say(`Stopping (${why})...`);
      for (const part of [...parts].reverse()) {
        await part.stop();
        say(`Stopped the ${part.name}.`);
      }
      if (postgres) {
        await postgres.stop();
        say(`Stopped PostgreSQL; the data is kept in ${path.relative(ROOT, config.dataDir)}.`);
      }
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      void stopAll(signal === 'SIGINT' ? 'Ctrl-C' : signal).then(
        () => process.exit(0),
        (error: Error) => {
          console.error(`Stopping failed: ${error.message}`);
          process.exit(1);
        },
      );
    });
  }

  try {
    await claimDataDir(config.dataDir);
    await ensureFree(config.dashboardPort, 'the dashboard', 'PORT');
    await ensureFree(config.workerPort, "the worker's health and metrics", 'WORKER_PORT');

    // The database.
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      postgres = new EmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.postgresPort,
        log: say,
      });
      if (await postgres.running()) {
        say(
          `Using the PostgreSQL already running on ${path.relative(ROOT, config.dataDir)}/postgres (left by an earlier run).`,
        );
      } else {
        await ensureFree(config.postgresPort, 'the embedded PostgreSQL', 'POSTGRES_PORT');
        if (await postgres.initialise())
          say(`Created the database folder ${path.relative(ROOT, config.dataDir)}/postgres.`);
        await postgres.start();
        say(
          `PostgreSQL is running on port ${config.postgresPort} (embedded; data in ${path.relative(ROOT, config.dataDir)}/postgres).`,
        );
      }
      databaseUrl = postgres.url;
    } else {
      say('Using the PostgreSQL in DATABASE_URL.');
    }
    const applied = await deployMigrations(databaseUrl);
    say(
      applied.length > 0
        ? `Applied ${applied.length} migration(s).`
        : 'The database schema is up to date.',
    );
    // Stored KPI results for episodes that have none, or an older logic's (packages/database
    // kpi-store.ts): after the migration that added them, and after a change to a measure.
    const kpiDb = createDatabase(databaseUrl, { applicationName: 'vfx-launcher' });
    try {
      const rebuilt = await rebuildEpisodeKpis(kpiDb);
      if (rebuilt > 0) say(`Stored the KPI results of ${rebuilt} episode(s).`);
    } finally {
      await kpiDb.$disconnect();
    }
    await prepareDemo({ databaseUrl, ownsDatabase: postgres !== undefined, say });

    // The dashboard's production build, when anything it is made from changed.
    const hash = await buildInputsHash();
    const stamp = path.join(DASHBOARD_DIR, '.next', 'fls-build-inputs');
    const built = existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash;
    if (!built) {
      say('Building the dashboard (the first time takes about a minute)...');
      const build = startChild(
        logDir,
        'dashboard-build',
        'npx',
        ['next', 'build', '--webpack'],
        DASHBOARD_DIR,
        { NEXT_TELEMETRY_DISABLED: '1' },
      );
      parts.push({ name: build.name, stop: () => stopChild(build, 10) });
      const { code } = await build.exited;
      parts.pop();
      if (stopping) return;
      if (code !== 0)
        throw new StartError(
          `The dashboard did not build (${describeExit(await build.exited)}). Its last lines (${build.logFile}):\n${await tail(build.logFile, 40)}`,
        );
      await writeFile(stamp, hash);
      say('Built the dashboard.');
    }

    const dashboardUrl = `http://localhost:${config.dashboardPort}`;
    const workerUrl = `http://127.0.0.1:${config.workerPort}`;
    // Without PostgreSQL nothing works: a child that died with it is not restarted, since the
    // launcher is about to stop everything (below) and say why.
    const postgresDir = postgres ? path.join(config.dataDir, 'postgres') : undefined;
    const databaseUp = () => postgresDir === undefined || postmasterAlive(postgresDir);
    const worker = new Supervisor({
      name: 'worker',
      start: () =>
        startChild(logDir, 'worker', 'npx', ['tsx', 'src/main.ts'], WORKER_DIR, {
          DATABASE_URL: databaseUrl,
          ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
          PORT: String(config.workerPort),
          HOST: '127.0.0.1',
          DASHBOARD_URL: dashboardUrl,
          MAILBOX_DIR: path.join(config.dataDir, 'mailbox'),
        }),
      healthUrl: `${workerUrl}/health/ready`,
      startSeconds: 90,
      // It finishes the jobs it is running before it exits.
      graceSeconds: 35,
      prerequisite: databaseUp,
      say,
    });
    parts.push(worker);
    const dashboard = new Supervisor({
      name: 'dashboard',
      start: () =>
        startChild(
          logDir,
          'dashboard',
          'npx',
          ['next', 'start', '--port', String(config.dashboardPort)],
          DASHBOARD_DIR,
          {
            DATABASE_URL: databaseUrl,
            SECURE_COOKIES: 'false',
            WORKER_URL: workerUrl,
            NEXT_TELEMETRY_DISABLED: '1',
          },
        ),
      healthUrl: `${dashboardUrl}/sign-in`,
      startSeconds: 90,
      graceSeconds: 10,
      prerequisite: databaseUp,
      say,
    });
    parts.push(dashboard);
    say(
      `Starting the worker (queues on ${config.redisUrl ? 'Redis' : 'PostgreSQL'}) and the dashboard...`,
    );
    await Promise.all([worker.firstStart(), dashboard.firstStart()]);
    if (stopping) return;

    console.log(`
  The fracture liaison dashboard is ready: ${dashboardUrl}

  Demo sign-ins (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.role.padEnd(10)} ${u.email}`).join('\n')}

  Worker health ${workerUrl}/health/ready, metrics ${workerUrl}/metrics; logs in ${path.relative(ROOT, path.join(config.dataDir, 'logs'))}/.
  E-mails are written to ${path.relative(ROOT, path.join(config.dataDir, 'mailbox'))}/ and never leave this machine.
  Press Ctrl-C to stop; the data stays for the next run.
`);
    // Running until a signal (the handler above stops everything), until restarting a child
    // stops helping, or until PostgreSQL dies.
    const postgresDeath = async (): Promise<string | undefined> => {
      if (!postgresDir) return new Promise<never>(() => {});
      if (!(await postgresDied(postgresDir, POSTGRES_CHECK_MS, watching.signal))) return undefined;
      postgres = undefined;
      const log = path.join(postgresDir, 'server.log');
      return `PostgreSQL stopped unexpectedly. The worker and the dashboard cannot work without it, so everything stops; npm start starts it again, with the data as it was. Its log is ${log}; its last lines:\n${await tail(log)}`;
    };
    const ending = await Promise.race([
      worker.keepRunning().then((message) => message && { message, why: 'the worker keeps dying' }),
      dashboard
        .keepRunning()
        .then((message) => message && { message, why: 'the dashboard keeps dying' }),
      postgresDeath().then((message) => message && { message, why: 'PostgreSQL died' }),
    ]);
    if (stopping || !ending) return;
    console.error(`${elapsed()} ${ending.message}\n`);
    await stopAll(ending.why);
    process.exit(1);
  } catch (error) {
    if (stopping) return;
    console.error(error instanceof StartError ? `\n${error.message}\n` : error);
    await stopAll('start-up failed').catch(() => {});
    process.exit(1);
  }
}

await main().catch((error: unknown) => {
  // A bad setting, found before anything started.
  console.error(error instanceof StartError ? `\n${error.message}\n` : error);
  process.exit(1);
});
