// npm start: the whole product on one machine with nothing installed but Node.js. Builds the
// dashboard when its sources changed, starts PostgreSQL from a project-local folder (or uses
// DATABASE_URL), migrates, seeds the demo on the first run, then runs the worker and the
// dashboard until Ctrl-C, and stops everything in order: dashboard, worker, database.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createDatabase, DEMO_PASSWORD, DEMO_USERS, rebuildEpisodeKpis } from '@vfx/database';
import { EmbeddedPostgres } from '@vfx/database/embedded-postgres';
import { deployMigrations } from '@vfx/database/migrations';
import { type LauncherConfig, loadLauncherConfig, StartError } from './config.js';
import { prepareDemo } from './demo.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DASHBOARD_DIR = path.join(ROOT, 'apps', 'dashboard');
const WORKER_DIR = path.join(ROOT, 'apps', 'worker');

const started = Date.now();
const say = (line: string) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${seconds}s] ${line}`);
};

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

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
}

/** Runs a program in its own process group, its output going to .data/logs/<name>.log. */
async function startChild(
  config: LauncherConfig,
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<Child> {
  const logDir = path.join(config.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, process: child, logFile, exited };
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Waits until `url` answers 200, or the child exits (then its log says why). */
async function waitForHttp(child: Child, url: string, seconds: number): Promise<void> {
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  for (let i = 0; i < seconds * 4; i++) {
    if (exited) {
      throw new StartError(
        `The ${child.name} stopped while starting. Its last lines (${child.logFile}):\n${await tail(child.logFile)}`,
      );
    }
    const ok = await fetch(url, { redirect: 'manual' }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new StartError(
    `The ${child.name} did not answer at ${url} within ${seconds} s (log: ${child.logFile}).`,
  );
}

/** Asks a child to stop (SIGTERM to its group) and waits; forces it after a grace period. */
async function stopChild(child: Child, graceSeconds: number): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const group = -(child.process.pid as number);
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  const done = await Promise.race([
    child.exited.then(() => true),
    sleep(graceSeconds * 1000).then(() => false),
  ]);
  if (!done) {
    try {
      process.kill(group, 'SIGKILL');
    } catch {}
    await child.exited;
  }
}

async function main(): Promise<void> {
  const config = loadLauncherConfig(process.env, ROOT);
  const children: Child[] = [];
  let postgres: EmbeddedPostgres | undefined;
  let stopping: Promise<void> | undefined;

  const stopAll = (why: string) => {
    stopping ??= (async () => {
      say(`Stopping (${why})...`);
      for (const child of [...children].reverse()) {
        await stopChild(child, child.name === 'worker' ? 35 : 10);
        say(`Stopped the ${child.name}.`);
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
      const build = await startChild(
        config,
        'dashboard-build',
        'npx',
        ['next', 'build', '--webpack'],
        DASHBOARD_DIR,
        {
          NEXT_TELEMETRY_DISABLED: '1',
        },
      );
      children.push(build);
      const code = await build.exited;
      children.pop();
      if (stopping) return;
      if (code !== 0)
        throw new StartError(
          `The dashboard did not build. Its last lines (${build.logFile}):\n${await tail(build.logFile, 40)}`,
        );
      await writeFile(stamp, hash);
      say('Built the dashboard.');
    }

    const dashboardUrl = `http://localhost:${config.dashboardPort}`;
    const workerUrl = `http://127.0.0.1:${config.workerPort}`;
    const worker = await startChild(config, 'worker', 'npx', ['tsx', 'src/main.ts'], WORKER_DIR, {
      DATABASE_URL: databaseUrl,
      ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
      PORT: String(config.workerPort),
      HOST: '127.0.0.1',
      DASHBOARD_URL: dashboardUrl,
      MAILBOX_DIR: path.join(config.dataDir, 'mailbox'),
    });
    children.push(worker);
    const dashboard = await startChild(
      config,
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
    );
    children.push(dashboard);
    say(
      `Starting the worker (queues on ${config.redisUrl ? 'Redis' : 'PostgreSQL'}) and the dashboard...`,
    );
    await Promise.all([
      waitForHttp(worker, `${workerUrl}/health/ready`, 90),
      waitForHttp(dashboard, `${dashboardUrl}/sign-in`, 90),
    ]);
    if (stopping) return;

    console.log(`
  The fracture liaison dashboard is ready: ${dashboardUrl}

  Demo sign-ins (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.role.padEnd(10)} ${u.email}`).join('\n')}

  Worker health ${workerUrl}/health/ready, metrics ${workerUrl}/metrics; logs in ${path.relative(ROOT, path.join(config.dataDir, 'logs'))}/.
  E-mails are written to ${path.relative(ROOT, path.join(config.dataDir, 'mailbox'))}/ and never leave this machine.
  Press Ctrl-C to stop; the data stays for the next run.
`);
    // Running until a signal, or until a part stops by itself.
    const first = await Promise.race(children.map((child) => child.exited.then(() => child)));
    if (!stopping) {
      console.error(
        `The ${first.name} stopped unexpectedly. Its last lines (${first.logFile}):\n${await tail(first.logFile)}`,
      );
      await stopAll(`the ${first.name} stopped`);
      process.exit(1);
    }
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
