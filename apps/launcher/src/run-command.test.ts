// The README's run command, as a newcomer runs it: `npm start` in a fresh copy of the repository
// with nothing but Node.js. It must reach a dashboard where the demo nurse signs in and sees
// today's worklist, stop cleanly on Ctrl-C leaving no process behind, start again in seconds
// with the same data, and start afresh from a partial demo an older version left behind. A worker
// that dies is restarted without losing a follow-up; a PostgreSQL that dies stops everything.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@vfx/database';
import { signIn } from '@vfx/database/auth';
import { enrolPatient } from '@vfx/database/commands';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from '@vfx/database/embedded-postgres';
import { DEMO_PASSWORD } from '@vfx/database/seed';
import { admittedTestEnrolment } from '@vfx/database/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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

interface Run {
  readonly process: ChildProcess;
  output: string;
  readonly exited: Promise<number | null>;
}

let copy: string;
let ports: { PORT: string; WORKER_PORT: string; POSTGRES_PORT: string };

/** `npm start` in its own process group, as a terminal runs it. */
function start(): Run {
  const child = spawn('npm', ['start'], {
    cwd: copy,
    env: { ...process.env, ...ports, DATABASE_URL: '', REDIS_URL: '', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const run: Run = {
    process: child,
    output: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk) => (run.output += chunk));
  child.stderr?.on('data', (chunk) => (run.output += chunk));
  return run;
}

async function ready(run: Run, seconds: number): Promise<number> {
  const began = Date.now();
  while (!run.output.includes('dashboard is ready')) {
    if (run.process.exitCode !== null) throw new Error(`npm start exited:\n${run.output}`);
    if (Date.now() - began > seconds * 1000)
      throw new Error(`not ready in ${seconds} s:\n${run.output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return (Date.now() - began) / 1000;
}

/**
 * Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it. npm itself exits on the
 * signal at once; the launcher goes on stopping the rest, so wait until nothing from the copy runs.
 */
async function interrupt(run: Run): Promise<void> {
  process.kill(-(run.process.pid as number), 'SIGINT');
  await run.exited;
  await nothingLeft(run, 'Ctrl-C');
}

async function nothingLeft(run: Run, after: string): Promise<void> {
  const began = Date.now();
  while (leftovers().length > 0) {
    if (Date.now() - began > 90_000) {
      throw new Error(
        `still running 90 s after ${after}:\n${leftovers().join('\n')}\n${run.output}`,
      );
    }
    await sleep(250);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms: number) {
  const began = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - began > ms)
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

/** Processes started from the copy (its database server, worker, dashboard, npm). */
function leftovers(): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes(copy) && !line.includes('ps -eo'));
}

/**
 * Signs in as the demo nurse (with the dashboard's own sign-in: password checked, session made)
 * and returns the patients on today's worklist, read from the page the dashboard serves. The
 * sign-in form itself is covered by the dashboard's browser tests; this needs no browser.
 */
const databaseUrl = () =>
  `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${ports.POSTGRES_PORT}/postgres`;

async function worklistAsNurse(): Promise<string[]> {
  const db = createDatabase(databaseUrl());
  try {
    const session = await signIn(db, { email: 'nurse@demo.fls.example', password: DEMO_PASSWORD });
    if (!session.ok) throw new Error(`the demo nurse could not sign in (${session.reason})`);
    const response = await fetch(`http://localhost:${ports.PORT}/worklist`, {
      headers: { cookie: `vfx_session=${session.token}` },
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Worklist</h1>');
    // The patient links of the worklist's tables, in order (whatever other attributes the
    // design system's link carries; step links, /episodes/<id>/steps/…, are not patient links).
    return [...html.matchAll(/<a [^>]*href="\/episodes\/[^"/]+"[^>]*>([^<]+)<\/a>/g)].map(
      (m) => m[1] as string,
    );
  } finally {
    await db.$disconnect();
  }
}

/**
 * The worker's own process (node running src/main.ts under tsx's loader, in the copy's
 * apps/worker), not npx or tsx around it: the one an out-of-memory kill would hit. The launcher
 * runs src/main.ts under tsx too, in apps/launcher, hence the working folder.
 */
function workerPid(): number {
  const workerDir = path.join(copy, 'apps', 'worker');
  const pids = leftovers()
    .filter((line) => line.includes('loader.mjs') && line.trimEnd().endsWith('src/main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === workerDir;
      } catch {
        return false;
      }
    });
  expect(pids, leftovers().join('\n')).toHaveLength(1);
  return pids[0] as number;
}

const answers = (url: string) =>
  fetch(url, { redirect: 'manual' }).then(
    (r) => r.status === 200,
    () => false,
  );

const HOUR = 3_600_000;
const BURST = 50;

/**
 * Enrols BURST admitted patients whose 48-hour reviews all fall due at one instant, and kills the
 * worker (SIGKILL) three seconds before it: they fall due while it is down or starting again. The
 * launcher restarts it, and every review fires, once.
 */
async function killWorkerBeforeBurst(run: Run): Promise<void> {
  const db = createDatabase(databaseUrl());
  try {
    const nurse = await db.user.findUniqueOrThrow({ where: { email: 'nurse@demo.fls.example' } });
    const enrolling = Date.now();
    // Enrolling takes 2 to 7 s on a busy 2-core machine (one transaction per patient).
    const dueAt = enrolling + 25_000;
    const episodes: string[] = [];
    for (let n = 1; n <= BURST; n++) {
      const enrolment = { ...admittedTestEnrolment(n, dueAt - 48 * HOUR), nurseId: nurse.id };
      await enrolPatient(db, enrolment, { actorId: nurse.id });
      episodes.push(`ep-${n}`);
    }
    const enrolled = Date.now();
    expect(enrolled, `enrolling took ${enrolled - enrolling} ms`).toBeLessThan(dueAt - 3_000);
    await sleep(dueAt - 3_000 - enrolled);
    const pid = workerPid();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();

    await waitFor(
      'the launcher to restart the worker',
      async () => run.output.includes('The worker is running again.'),
      120_000,
    );
    console.log(
      `The worker was running again ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill.`,
    );
    expect(run.output).toMatch(
      /The worker stopped unexpectedly \(exit code 137, i\.e\. killed by SIGKILL\); restarting it in 1 s \(restart 1\)\. Its last lines \(.*worker\.log\):/,
    );
    expect(workerPid()).not.toBe(pid);
    expect(await answers(`http://127.0.0.1:${ports.WORKER_PORT}/health/ready`)).toBe(true);
    expect(await answers(`http://localhost:${ports.PORT}/sign-in`)).toBe(true);

    const where = { episodeId: { in: episodes }, stepKey: 'pain-review-48h' };
    await waitFor(
      'every 48-hour review of the burst to fire',
      async () => {
        const due = await db.followUp.findMany({
          where: { ...where, transition: 'due' },
          select: { state: true },
        });
        return due.length === BURST && due.every((f) => f.state === 'fired');
      },
      120_000,
    );
    console.log(
      `The burst had fired ${((Date.now() - dueAt) / 1000).toFixed(1)} s after it fell due.`,
    );
    const reminders = await db.reminder.findMany({
      where: { ...where, kind: 'due' },
      select: { episodeId: true },
    });
    expect(reminders.map((r) => r.episodeId).sort()).toEqual([...episodes].sort());
  } finally {
    await db.$disconnect();
  }
}

/**
 * What an older version's interrupted first run left in the copy's .data: the demo's accounts in
 * a migrated database, and no finished seed. Done by a script run in the copy, with the copy's
 * own embedded PostgreSQL (its binaries, like its data, are where the server's user can reach).
 */
function leavePartialDemo(): void {
  const script = path.join(copy, 'apps', 'launcher', 'leave-partial-demo.ts');
  writeFileSync(
    script,
    `import { createDatabase } from '@vfx/database';
import { DEMO_USERS } from '@vfx/database/seed';
import { EmbeddedPostgres } from '@vfx/database/embedded-postgres';
import { deployMigrations, recreateDatabase } from '@vfx/database/migrations';
const server = new EmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(copy, '.data', 'postgres'))}, port: ${ports.POSTGRES_PORT}, log: () => {} });
await server.start();
try {
  await recreateDatabase(server.url);
  await deployMigrations(server.url);
  const db = createDatabase(server.url);
  for (const [i, user] of DEMO_USERS.slice(0, 2).entries()) {
    await db.user.create({ data: { id: \`older-seed-\${i}\`, email: user.email, name: user.name, role: user.role } });
  }
  await db.$disconnect();
} finally {
  await server.stop();
}
`,
  );
  execFileSync('npx', ['tsx', script], { cwd: path.dirname(script), stdio: 'inherit' });
}

beforeAll(async () => {
  copy = mkdtempSync(path.join(os.tmpdir(), 'fls-run-'));
  // Run as root, PostgreSQL runs as "postgres", which must reach the data folder inside.
  chmodSync(copy, 0o755);
  // A fresh copy of the repository's files (committed or not, nothing git ignores: no
  // node_modules, no build, no data), as a newcomer's clone has them.
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!existsSync(from)) continue;
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    copyFileSync(from, path.join(copy, file));
  }
  // Directories git creates are world-readable; copied ones too (umask permitting).
  execFileSync('chmod', ['-R', 'a+rX', copy]);
  ports = {
    PORT: String(await freePort()),
    WORKER_PORT: String(await freePort()),
    POSTGRES_PORT: String(await freePort()),
  };
});

/** Whatever a failed test left running from the copy, so the next test starts from nothing. */
async function killLeftovers(): Promise<void> {
  for (const line of leftovers()) {
    const pid = Number(line.trim().split(/\s+/)[0]);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  await waitFor('the leftovers to go', async () => leftovers().length === 0, 30_000);
}

afterEach(killLeftovers);

afterAll(async () => {
  await killLeftovers();
  rmSync(copy, { recursive: true, force: true });
});

describe('npm start in a fresh copy', () => {
  it('runs the product, stops cleanly on Ctrl-C, and starts again with the same data', async () => {
    const first = start();
    await ready(first, 12 * 60);
    expect(first.output).toContain('First run: recording the demo caseload');
    expect(first.output).toContain('nurse@demo.fls.example');
    expect((await worklistAsNurse()).length).toBeGreaterThan(0);

    await killWorkerBeforeBurst(first);
    // Taken after the burst, whose patients are the nurse's too.
    const worklist = await worklistAsNurse();

    // Killed again, then Ctrl-C while the launcher waits to restart it: nothing starts, and
    // everything stops as usual.
    process.kill(workerPid(), 'SIGKILL');
    await waitFor('the second restart', async () => first.output.includes('(restart 2)'), 60_000);
    await interrupt(first);
    expect(first.output.split('The worker is running again.')).toHaveLength(2);
    expect(first.output).toContain('Stopped the worker');
    expect(first.output).toContain('Stopped PostgreSQL');

    const second = start();
    const seconds = await ready(second, 5 * 60);
    // The data folder and the build are reused: no seeding, no build.
    expect(second.output).not.toContain('First run');
    expect(second.output).not.toContain('Building the dashboard');
    expect(await worklistAsNurse()).toEqual(worklist);
    await interrupt(second);
    expect(second.output).toContain('Stopped PostgreSQL');
    console.log(`Second start ready in ${seconds.toFixed(1)} s (including pnpm's install check).`);

    // An older version's first run, cut off while seeding, left a partial demo in .data (its
    // accounts, no finished seed). The next npm start clears it and records the demo afresh.
    leavePartialDemo();
    const third = start();
    await ready(third, 5 * 60);
    expect(third.output).toContain('partial demo caseload');
    expect(third.output).toContain('Recreating the embedded database');
    expect(third.output).toContain('Recorded 60 of 60 patients');
    expect((await worklistAsNurse()).length).toBeGreaterThan(0);

    // PostgreSQL dies: nothing can run without it, so the launcher stops everything and says so.
    const postgresPid = Number(
      readFileSync(path.join(copy, '.data', 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(postgresPid, 'SIGKILL');
    expect(await third.exited).toBe(1);
    await nothingLeft(third, 'PostgreSQL died');
    expect(third.output).toContain('PostgreSQL stopped unexpectedly');
    expect(third.output).toMatch(/Stopping \(PostgreSQL died\)/);
    expect(third.output).not.toContain('restarting it');
  });

  it('says clearly when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(Number(ports.PORT), '127.0.0.1', resolve);
    });
    try {
      const run = start();
      expect(await run.exited).toBe(1);
      expect(run.output).toContain(`Port ${ports.PORT} (the dashboard) is already in use`);
      expect(run.output).not.toMatch(/\n\s+at /);
      expect(leftovers()).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
