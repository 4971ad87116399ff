// The launcher's children (the dashboard build, the worker, the dashboard): each runs in its own
// process group, so it can be stopped with everything it started, and a Ctrl-C in the terminal
// reaches the launcher alone, which then stops them in order.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartError } from './config.js';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<Exit>;
}

/**
 * Runs a program in its own process group, its output appended to <logDir>/<name>.log. It
 * spawns before returning, so a caller that checked it is not stopping has its child at once.
 */
export function startChild(
  logDir: string,
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Child {
  mkdirSync(logDir, { recursive: true });
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
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, process: child, logFile, exited };
}

/**
 * An exit in words. npx reports a program killed by a signal as exit code 128 + the signal's
 * number, as shells do, so that code is named too: "137" alone tells a reader nothing.
 */
export function describeExit(exit: Exit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  if (exit.code === null) return 'no exit code';
  const signal =
    exit.code > 128
      ? Object.entries(constants.signals).find(([, n]) => n === (exit.code as number) - 128)?.[0]
      : undefined;
  return signal ? `exit code ${exit.code}, i.e. killed by ${signal}` : `exit code ${exit.code}`;
}

export async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

const hasExited = (child: Child) =>
  child.process.exitCode !== null || child.process.signalCode !== null;

/** Waits until `url` answers 200, or the child exits (then its log says why). */
export async function waitForHttp(child: Child, url: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (hasExited(child)) {
      throw new StartError(
        `The ${child.name} stopped while starting (${describeExit(await child.exited)}). Its last lines (${child.logFile}):\n${await tail(child.logFile)}`,
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

/** Whether anything of the child's process group still runs (or awaits reaping). */
function groupAlive(child: Child): boolean {
  try {
    process.kill(-(child.process.pid as number), 0);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(child: Child, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(child)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Asks a child to stop (SIGTERM to its group) and waits until its whole group has gone; forces
 * it after a grace period. The group, not the child: npx exits at once on SIGTERM while the
 * program it runs is still finishing its jobs (and still using the database).
 */
export async function stopChild(child: Child, graceSeconds: number): Promise<void> {
  if (!groupAlive(child)) return;
  try {
    process.kill(-(child.process.pid as number), 'SIGTERM');
  } catch {
    return;
  }
  if (!(await groupGone(child, graceSeconds * 1000))) {
    killLeftovers(child);
    // Zombies wait for init to reap them (seconds here); they no longer run, so do not wait long.
    await groupGone(child, 10_000);
  }
  await child.exited;
}

/**
 * Kills whatever a child that stopped by itself left running in its group (a server process
 * `next start` forked, say), which would otherwise hold its port against the restarted one.
 */
export function killLeftovers(child: Child): void {
  try {
    process.kill(-(child.process.pid as number), 'SIGKILL');
  } catch {}
}
