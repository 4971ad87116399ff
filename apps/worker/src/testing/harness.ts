// Real PostgreSQL and Redis for the worker's tests: each test gets its own database (from the
// migrated template) and its own queue namespace (a Redis key prefix, or the database itself).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase, type Database } from '@vfx/database';
import { hashPassword } from '@vfx/database/auth';
import { createTestDatabase, createUsers } from '@vfx/database/testing';
import { Redis } from 'ioredis';
import { loadWorkerConfig, type WorkerConfig } from '../config/env.js';
import { createLogger } from '../logger.js';
import { startWorker, type WorkerApp, type WorkerAppOptions } from '../worker-app.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export type Backend = 'redis' | 'postgres';
/** Both, unless the Redis setup (redis-setup.ts) found no Redis outside CI. */
export const BACKENDS: readonly Backend[] = (
  process.env.TEST_QUEUE_BACKENDS ?? 'redis,postgres'
).split(',') as Backend[];

export interface TestEnvironment {
  readonly backend: Backend;
  readonly env: Record<string, string>;
  readonly config: WorkerConfig;
  /** A client of the test database, separate from any worker's. */
  readonly db: Database;
  start(options?: WorkerAppOptions & { env?: Record<string, string> }): Promise<WorkerApp>;
  /** Stops workers started here, removes the queue's keys, drops the database and the mailbox. */
  close(): Promise<void>;
}

export interface TestEnvironmentOptions {
  /**
   * A migrated database the test owns (e.g. on a server of its own, testing/private-postgres.ts)
   * instead of a new one on the shared server; it is left in place on close.
   */
  readonly databaseUrl?: string;
}

export async function testEnvironment(
  backend: Backend,
  env: Record<string, string> = {},
  options: TestEnvironmentOptions = {},
): Promise<TestEnvironment> {
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => {} }
    : await createTestDatabase(`worker_${backend}`);
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const mailbox = await mkdtemp(path.join(tmpdir(), 'vfx-mailbox-'));
  const baseEnv: Record<string, string> = {
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    PORT: '0',
    OUTBOX_POLL_MS: '50',
    RECONCILE_INTERVAL_SECONDS: '3600',
    JOB_LOCK_MS: '4000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MAILBOX_DIR: mailbox,
    ...(backend === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...env,
  };
  const db = createDatabase(database.url, { maxConnections: 8, applicationName: 'vfx-test' });
  await createUsers(db);
  await db.user.update({
    where: { id: 'admin-1' },
    data: { passwordHash: await hashPassword('admin-password') },
  });
  await db.user.update({
    where: { id: 'nurse-1' },
    data: { passwordHash: await hashPassword('nurse-password') },
  });
  const started: WorkerApp[] = [];
  return {
    backend,
    env: baseEnv,
    config: loadWorkerConfig(baseEnv),
    db,
    async start(options = {}) {
      const config = loadWorkerConfig({ ...baseEnv, ...options.env });
      const worker = await startWorker(config, {
        logger: createLogger(config.LOG_LEVEL),
        ...options,
      });
      started.push(worker);
      return worker;
    },
    async close() {
      await Promise.allSettled(started.map((worker) => worker.close()));
      await db.$disconnect();
      if (backend === 'redis') await deleteRedisPrefix(prefix);
      await database.drop();
      await rm(mailbox, { recursive: true, force: true });
    },
  };
}

/** Deletes every Redis key of one queue prefix (what a test or benchmark run left behind). */
export async function deleteRedisPrefix(prefix: string, url = TEST_REDIS_URL) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns a truthy value (and returns it), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
