// The worker's production build, run as the image runs it: `pnpm build`, then plain `node` on
// dist/migrate.js (into an empty database) and dist/main.js (on Redis), until /health/ready says
// ready, then SIGTERM. Catches what the compose check cannot: a bundle that does not load (an
// import no production install has, decorators compiled differently, migrations not copied).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const workerDir = fileURLToPath(new URL('../../apps/worker/', import.meta.url));
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** Production runs on Redis; without one (outside CI, see redis-setup.ts) on PostgreSQL. */
const onRedis = (process.env.TEST_QUEUE_BACKENDS ?? 'redis').includes('redis');
const suffix = randomBytes(4).toString('hex');
const database = `vfx_bundle_${suffix}`;
const queuePrefix = `bundle${suffix}`;
const databaseUrl = Object.assign(new URL(postgresUrl), { pathname: `/${database}` }).toString();

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs a node command in apps/worker; resolves with its exit code and output. */
async function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, {
    cwd: workerDir,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: workerDir,
    stdio: 'pipe',
  });
  await admin(`CREATE DATABASE "${database}"`);
}, 120_000);

afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  if (!onRedis) return;
  // The queues this run made on the shared Redis.
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
});

describe('the bundled worker (dist/)', () => {
  it('refuses to migrate without DATABASE_URL, saying what to set', async () => {
    const { code, output } = await run(['dist/migrate.js'], {});
    expect(code).toBe(2);
    expect(output).toContain('DATABASE_URL is not set');
  });

  it('migrates an empty database, and a second run finds nothing to do', async () => {
    const first = await run(['dist/migrate.js'], { DATABASE_URL: databaseUrl });
    expect(first.output).toMatch(/^Applied \d+ migration\(s\): \d{14}_init/);
    expect(first.code).toBe(0);
    const second = await run(['dist/migrate.js'], { DATABASE_URL: databaseUrl });
    expect(second.output).toContain('no pending migrations');
    expect(second.code).toBe(0);
  });

  it(`starts on ${onRedis ? 'Redis' : 'PostgreSQL queues'}, answers /health/ready, and stops cleanly on SIGTERM`, async () => {
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
        cwd: workerDir,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: databaseUrl,
          ...(onRedis ? { REDIS_URL: redisUrl } : {}),
          // Its own queues on the shared Redis.
          QUEUE_PREFIX: queuePrefix,
          PORT: '0',
          EMAIL_REMINDERS: 'false',
          LOG_LEVEL: 'info',
        },
      });
      let output = '';
      child.stderr?.on('data', (chunk) => (output += chunk));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "worker ready" in 30 s:\n${output}`)),
          30_000,
        );
        child?.stdout?.on('data', (chunk: Buffer) => {
          output += chunk;
          const ready = /"url":"(http:\/\/[^"]+)".*"msg":"worker ready"/.exec(output);
          if (ready?.[1]) {
            clearTimeout(timer);
            resolve(ready[1]);
          }
        });
        child?.on('exit', (code) => reject(new Error(`the worker exited (${code}):\n${output}`)));
      });
      const response = await fetch(`${url}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        checks: {
          database: { status: 'ok' },
          queue: { status: 'ok', backend: onRedis ? 'redis' : 'postgres' },
        },
      });
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(output).toContain('worker stopped');
    } finally {
      if (child && child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
