import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Child, startChild } from './child.js';
import {
  FIRST_BACKOFF_MS,
  MAX_BACKOFF_MS,
  MAX_RESTARTS_IN_WINDOW,
  NO_RESTARTS,
  RESTART_WINDOW_MS,
  type RestartDecision,
  type RestartHistory,
  restartPolicy,
  STABLE_RUN_MS,
  Supervisor,
} from './supervisor.js';

const SECOND = 1000;
const T0 = Date.UTC(2026, 10, 16, 9, 0, 0);

function restart(decision: RestartDecision) {
  if (decision.kind !== 'restart') throw new Error(`expected a restart, got: ${decision.why}`);
  return decision;
}

/** Deaths at the given instants, each a few seconds after its (re)start: a crash loop. */
function crashLoop(deaths: readonly number[]): { history: RestartHistory; delays: number[] } {
  let history = NO_RESTARTS;
  const delays: number[] = [];
  for (const at of deaths) {
    const decision = restart(restartPolicy(history, at - 3 * SECOND, at));
    delays.push(decision.afterMs);
    history = decision.history;
  }
  return { history, delays };
}

describe('the restart policy', () => {
  it('restarts a first death after the first pause', () => {
    expect(restartPolicy(NO_RESTARTS, T0 - 10 * SECOND, T0)).toEqual({
      kind: 'restart',
      afterMs: FIRST_BACKOFF_MS,
      restart: 1,
      history: { restarts: [T0], inARow: 1 },
    });
  });

  it('doubles the pause with each death in a row, up to the cap', () => {
    // Deaths a minute apart stay under the give-up rule while the pause grows.
    const deaths = Array.from({ length: 8 }, (_, i) => T0 + i * 61 * SECOND);
    const { delays } = crashLoop(deaths);
    expect(delays).toEqual([1, 2, 4, 8, 16, 30, 30, 30].map((s) => s * SECOND));
    expect(Math.max(...delays)).toBe(MAX_BACKOFF_MS);
  });

  it(`gives up at the death after ${MAX_RESTARTS_IN_WINDOW} restarts within the window, saying why`, () => {
    const deaths = Array.from({ length: MAX_RESTARTS_IN_WINDOW }, (_, i) => T0 + i * 20 * SECOND);
    const { history } = crashLoop(deaths);
    const now = T0 + MAX_RESTARTS_IN_WINDOW * 20 * SECOND;
    expect(restartPolicy(history, now - 3 * SECOND, now)).toEqual({
      kind: 'give-up',
      why: 'it was already restarted 5 times in the last 5 minutes',
    });
  });

  it('forgets restarts older than the window', () => {
    const deaths = Array.from({ length: MAX_RESTARTS_IN_WINDOW }, (_, i) => T0 + i * 20 * SECOND);
    const { history } = crashLoop(deaths);
    // Just past the window of the oldest restart: four remain, so a fifth restart is allowed.
    const now = T0 + RESTART_WINDOW_MS;
    const decision = restart(restartPolicy(history, now - 3 * SECOND, now));
    expect(decision.restart).toBe(MAX_RESTARTS_IN_WINDOW);
    expect(decision.history.restarts).toHaveLength(MAX_RESTARTS_IN_WINDOW);
    expect(decision.history.restarts[0]).toBe(T0 + 20 * SECOND);
  });

  it('starts the pause again from the first after a stable run, still counting the restart', () => {
    const { history } = crashLoop([T0, T0 + 10 * SECOND, T0 + 20 * SECOND]);
    const now = T0 + 20 * SECOND + STABLE_RUN_MS + 5 * SECOND;
    const decision = restart(restartPolicy(history, now - STABLE_RUN_MS, now));
    expect(decision.afterMs).toBe(FIRST_BACKOFF_MS);
    expect(decision.restart).toBe(4);
    expect(decision.history.inARow).toBe(1);
  });

  it('keeps the pause growing for a run healthy for less than the stable time', () => {
    const { history } = crashLoop([T0, T0 + 10 * SECOND]);
    const now = T0 + 50 * SECOND;
    const decision = restart(restartPolicy(history, now - STABLE_RUN_MS + 1, now));
    expect(decision.afterMs).toBe(4 * FIRST_BACKOFF_MS);
  });

  it('keeps the pause growing for a child that never answered after its restart', () => {
    const { history } = crashLoop([T0]);
    const now = T0 + 10 * 60 * SECOND;
    expect(restart(restartPolicy(history, undefined, now)).afterMs).toBe(2 * FIRST_BACKOFF_MS);
  });
});

// The supervisor itself, with real processes: a small HTTP server that answers 200 once it
// listens (after START_DELAY_MS), in its own process group as the launcher runs its children.
const TOY = `
const http = require('node:http');
process.on('SIGTERM', () => process.exit(0));
setTimeout(
  () => http.createServer((_, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'),
  Number(process.env.START_DELAY_MS),
);
`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const groupAlive = (child: Child) => {
  try {
    process.kill(-(child.process.pid as number), 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the supervisor, with real processes', () => {
  const dirs: string[] = [];
  const spawned: Child[] = [];
  afterEach(() => {
    for (const child of spawned.splice(0)) {
      try {
        process.kill(-(child.process.pid as number), 'SIGKILL');
      } catch {}
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function toy(options: {
    startDelayMs?: (start: number) => number;
    database?: () => boolean;
  }) {
    const logDir = mkdtempSync(path.join(os.tmpdir(), 'fls-supervisor-'));
    dirs.push(logDir);
    const port = await freePort();
    const lines: string[] = [];
    const supervisor = new Supervisor({
      name: 'toy',
      start: () => {
        const delay = options.startDelayMs?.(spawned.length) ?? 0;
        const child = startChild(logDir, 'toy', process.execPath, ['-e', TOY], logDir, {
          PORT: String(port),
          START_DELAY_MS: String(delay),
        });
        spawned.push(child);
        return child;
      },
      healthUrl: `http://127.0.0.1:${port}/`,
      startSeconds: 20,
      graceSeconds: 5,
      prerequisite: options.database ?? (() => true),
      say: (line) => lines.push(line),
    });
    await supervisor.firstStart();
    return { supervisor, lines, port, running: supervisor.keepRunning() };
  }

  const kill = (child: Child | undefined) => process.kill(child?.process.pid as number, 'SIGKILL');
  const answers = (port: number) =>
    fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.status === 200,
      () => false,
    );

  it('restarts a killed child after the first pause, says so, and it answers again', async () => {
    const { supervisor, lines, port, running } = await toy({});
    const killedAt = Date.now();
    kill(spawned[0]);
    await until('the restart', () => lines.some((l) => l === 'The toy is running again.'));
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(FIRST_BACKOFF_MS);
    expect(lines[0]).toMatch(
      /^The toy stopped unexpectedly \(killed by SIGKILL\); restarting it in 1 s \(restart 1\)\. Its last lines \(.*toy\.log\):/,
    );
    expect(spawned).toHaveLength(2);
    expect(await answers(port)).toBe(true);

    await supervisor.stop();
    expect(await running).toBeUndefined();
    expect(spawned.some(groupAlive)).toBe(false);
  });

  it('stopped during the pause, starts nothing more and leaves nothing running', async () => {
    const { supervisor, lines, port, running } = await toy({});
    kill(spawned[0]);
    await until('the restart to be announced', () => lines.length > 0);
    await supervisor.stop();
    expect(await running).toBeUndefined();
    await sleep(FIRST_BACKOFF_MS + 500);
    expect(spawned).toHaveLength(1);
    expect(await answers(port)).toBe(false);
  });

  it('stopped while the restarted child starts, stops that one too', async () => {
    const { supervisor, lines, running } = await toy({
      startDelayMs: (start) => (start === 0 ? 0 : 60_000),
    });
    kill(spawned[0]);
    await until('the restarted child', () => spawned.length === 2);
    await sleep(300);
    expect(groupAlive(spawned[1] as Child)).toBe(true);
    await supervisor.stop();
    expect(await running).toBeUndefined();
    expect(spawned.some(groupAlive)).toBe(false);
    expect(lines).not.toContain('The toy is running again.');
  });

  it('does not restart a child whose database has gone (the launcher stops everything)', async () => {
    let databaseUp = true;
    const { supervisor, lines, running } = await toy({ database: () => databaseUp });
    databaseUp = false;
    kill(spawned[0]);
    await sleep(FIRST_BACKOFF_MS + 1000);
    expect(spawned).toHaveLength(1);
    expect(lines).toEqual([]);
    await supervisor.stop();
    expect(await running).toBeUndefined();
  });
});
