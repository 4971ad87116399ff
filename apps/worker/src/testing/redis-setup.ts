// vitest globalSetup: the worker's suites run once per queue backend. Without a Redis (a machine
// with only Node.js), they run on PostgreSQL alone and say so; in CI a missing Redis is an error.
import { createConnection } from 'node:net';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
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

export default async function setup(): Promise<void> {
  if (process.env.TEST_QUEUE_BACKENDS) return;
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  if (await reachable(url)) return;
  if (process.env.CI === 'true') {
    throw new Error(
      `The worker's tests need Redis at ${url} in CI (set TEST_REDIS_URL, or run bash scripts/ensure-services.sh).`,
    );
  }
  console.warn(
    `No Redis at ${url}: the worker's suites run on the PostgreSQL queue backend only. Start Redis (or set TEST_REDIS_URL) to test the Redis backend too.`,
  );
  // Read by the test harness (src/testing/harness.ts) in every test worker.
  process.env.TEST_QUEUE_BACKENDS = 'postgres';
}
