// The processes of the browser tests' world: the production build of the dashboard, the
// process holding a seeded demo database, and `next start` serving the build on a port of its
// own. Every process group started here is killed if the run exits without stopping it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BUILD_LOG, DASHBOARD_DIR, E2E_DIST_DIR, REPO_DIR, SERVER_LOG } from './paths';

const BUILD_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 60_000;
const SEED_TIMEOUT_MS = 5 * 60_000;
const DEMO_DATABASE_SCRIPT = path.join(DASHBOARD_DIR, 'e2e/support/demo-database.ts');

/**
 * The server runs in UTC, so nothing depends on the machine's zone; the browser reports
 * Europe/London (see support/fixtures.ts), as an NHS user's would, and the pages must render its
 * local dates from that.
 */
const SERVER_TIME_ZONE = 'UTC';

/**
 * Process groups started here (each led by the process spawned), killed outright if the test run
 * exits without its teardown. A group outlives its leader: `next start` serves from a child
 * process, which stays behind if only the leader is stopped.
 */
export const running = new Set<number>();
process.once('exit', () => {
  for (const group of running) signalGroup(group, 'SIGKILL');
});

/** Sends a signal to every process in the group; false when none is left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops a whole process group: SIGTERM, then SIGKILL for whatever is left after the grace. */
export async function stopGroup(group: number, graceMs = 10_000): Promise<void> {
  signalGroup(group, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (signalGroup(group, 0) && Date.now() < deadline) await sleep(100);
  if (signalGroup(group, 'SIGKILL')) {
    const killDeadline = Date.now() + 5_000;
    while (signalGroup(group, 0) && Date.now() < killDeadline) await sleep(50);
  }
  running.delete(group);
}

/** Spawns `next <args>` in the dashboard directory, in a process group of its own. */
export function next(args: string[], env: Record<string, string>, logFile: string): ChildProcess {
  const require = createRequire(import.meta.url);
  const nextBin = require.resolve('next/dist/bin/next', { paths: [DASHBOARD_DIR] });
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: DASHBOARD_DIR,
    env: {
      ...process.env,
      // Vitest sets NODE_ENV=test; Next wants its own value for build and start.
      NODE_ENV: 'production',
      NEXT_DIST_DIR: E2E_DIST_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  if (child.pid !== undefined) running.add(child.pid);
  return child;
}

export function tail(file: string, lines = 60): string {
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * `next build --webpack` into .next-e2e, so a developer's own .next is left alone. It always
 * builds: deciding reliably that a build is current would mean hashing every input Next reads.
 * E2E_REUSE_BUILD=1 skips it on purpose, for iterating on the tests themselves.
 */
export async function build(): Promise<void> {
  const distDir = path.join(DASHBOARD_DIR, E2E_DIST_DIR);
  if (process.env.E2E_REUSE_BUILD === '1' && existsSync(path.join(distDir, 'BUILD_ID'))) {
    console.log(`[e2e] E2E_REUSE_BUILD=1: reusing the build in ${E2E_DIST_DIR}`);
    return;
  }
  const logFile = BUILD_LOG;
  const started = Date.now();
  const child = next(['build', '--webpack'], {}, logFile);
  const group = child.pid;
  const timer = setTimeout(() => group && signalGroup(group, 'SIGKILL'), BUILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  // Build workers that outlived the build itself.
  if (group) await stopGroup(group);
  if (code !== 0) {
    throw new Error(
      `next build failed (exit ${code ?? 'killed'}; full output in ${logFile}):\n${tail(logFile)}`,
    );
  }
  console.log(`[e2e] Built the dashboard in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Starts the process that holds the test database (support/demo-database.ts) and waits for it to
 * report the database's URL once the demo caseload is seeded. Closing its stdin drops the database.
 */
export async function openDemoDatabase(now: Date): Promise<{ holder: ChildProcess; url: string }> {
  // tsx is the database package's own script runner (npm run db:seed uses it).
  const tsx = createRequire(path.join(REPO_DIR, 'packages/database/package.json')).resolve(
    'tsx/cli',
  );
  const started = Date.now();
  const holder = spawn(process.execPath, [tsx, DEMO_DATABASE_SCRIPT, now.toISOString()], {
    cwd: DASHBOARD_DIR,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      holder.kill('SIGTERM');
      reject(new Error(`Seeding the demo database took over ${SEED_TIMEOUT_MS / 1000} s`));
    }, SEED_TIMEOUT_MS);
    holder.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // Only whole lines: the last piece may still be arriving.
      const line = output
        .split('\n')
        .slice(0, -1)
        .find((candidate) => candidate.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch (error) {
        reject(new Error(`Unexpected output from the database process: ${line}`, { cause: error }));
      }
    });
    holder.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The database process exited (code ${code}) before the database was ready`));
    });
  });
  console.log(`[e2e] Database ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { holder, url };
}

/** Asks the holder to drop the database, and waits for it (bounded). */
export async function closeDemoDatabase(holder: ChildProcess): Promise<void> {
  if (holder.exitCode !== null || holder.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  holder.stdin?.end();
  const timer = setTimeout(() => holder.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** The bearer token the browser tests' server expects on Notify's delivery receipts. */
export const E2E_NOTIFY_CALLBACK_TOKEN = 'e2e-notify-callback-token-0123456789abcdef';

/**
 * `next start` on a port the system picks (port 0), so runs never collide; the address is read
 * from what Next prints, then the sign-in page must answer before the tests begin.
 */
export async function start(
  databaseUrl: string,
  logFile: string = SERVER_LOG,
): Promise<{ baseURL: string; group: number | undefined }> {
  const server = next(
    // Connections kept open longer than a test's pause (validating, waiting for the worker):
    // with Node's 5 s default, a client reusing a connection the server has just closed fails
    // with "other side closed".
    ['start', '--port', '0', '--hostname', '127.0.0.1', '--keepAliveTimeout', '120000'],
    {
      DATABASE_URL: databaseUrl,
      SECURE_COOKIES: 'false',
      TRUSTED_PROXY_COUNT: '0',
      TZ: SERVER_TIME_ZONE,
      NOTIFY_CALLBACK_TOKEN: E2E_NOTIFY_CALLBACK_TOKEN,
    },
    logFile,
  );
  const deadline = Date.now() + START_TIMEOUT_MS;
  let baseURL: string | undefined;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`next start exited early:\n${tail(logFile)}`);
    }
    baseURL ??= /Local:\s+(http:\/\/\S+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (baseURL) {
      try {
        const response = await fetch(`${baseURL}/sign-in`, { signal: AbortSignal.timeout(5_000) });
        if (response.ok) return { baseURL, group: server.pid };
      } catch {
        // Not listening yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `The dashboard did not answer within ${START_TIMEOUT_MS / 1000} s${baseURL ? ` at ${baseURL}/sign-in` : ''}:\n${tail(logFile)}`,
  );
}
