// vitest globalSetup for every test suite that needs PostgreSQL. With TEST_POSTGRES_URL, or a
// server on 127.0.0.1:5432, it does nothing. On a machine with only Node.js it starts the
// embedded PostgreSQL (data in .data/test-postgres, port 54330), shared by the suites that run
// at the same time, and stops it when the last of them ends.
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { EmbeddedPostgres } from '../embedded-postgres.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DATA = path.join(ROOT, '.data');
const USERS = path.join(DATA, 'test-postgres-users');
const LOCK = path.join(DATA, 'test-postgres.lock');
const PORT = 54330;

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** One suite at a time decides whether to start or stop the shared server. */
async function locked<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(DATA, { recursive: true });
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch {
      if (i > 600)
        throw new Error(`${LOCK} has been held for 5 minutes; delete it if no test runs`);
      await sleep(500);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_POSTGRES_URL || (await reachable('127.0.0.1', 5432))) return undefined;
  const server = new EmbeddedPostgres({
    dataDir: path.join(DATA, 'test-postgres'),
    port: PORT,
    log: () => {},
  });
  const me = path.join(USERS, String(process.pid));
  await locked(async () => {
    if (!(await server.running())) {
      console.log(
        'No PostgreSQL on 127.0.0.1:5432: the tests start the embedded one (port 54330).',
      );
      await server.initialise();
      await server.start();
    }
    mkdirSync(USERS, { recursive: true });
    writeFileSync(me, '');
  });
  // Read by the test helpers (packages/database/src/testing) in every test worker.
  process.env.TEST_POSTGRES_URL = server.url;
  return async () => {
    await locked(async () => {
      rmSync(me, { force: true });
      const others = readdirSync(USERS).filter((pid) => alive(Number(pid)));
      if (others.length === 0) await server.stop();
    });
  };
}
