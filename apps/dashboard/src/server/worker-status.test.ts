import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboardConfig } from './env';
import { parseMetric, queueJobCounts, readinessOf, workerStatus } from './worker-status';

// As the worker's prom-client writes it (see apps/worker/src/metrics/state-gauges.ts).
const METRICS = `# HELP vfx_queue_jobs Jobs in each queue, by state.
# TYPE vfx_queue_jobs gauge
vfx_queue_jobs{queue="vfx-follow-ups",state="delayed"} 1200
vfx_queue_jobs{queue="vfx-follow-ups",state="waiting"} 3
vfx_queue_jobs{queue="vfx-follow-ups",state="failed"} 0
vfx_queue_jobs{queue="vfx-reminder-deliveries",state="failed"} 2
vfx_queue_jobs_other{queue="x",state="y"} 5
# HELP vfx_outbox_lag_seconds Age of the oldest outbox message not yet relayed.
vfx_outbox_lag_seconds 0.25
`;

describe('reading the worker metrics', () => {
  it('groups BullMQ job counts by queue, ignoring other metrics', () => {
    expect(queueJobCounts(METRICS)).toEqual([
      { queue: 'vfx-follow-ups', counts: { delayed: 1200, waiting: 3, failed: 0 } },
      { queue: 'vfx-reminder-deliveries', counts: { failed: 2 } },
    ]);
    expect(queueJobCounts('')).toEqual([]);
  });

  it('reads unlabelled samples, escaped label values and timestamps, and skips broken lines', () => {
    expect(parseMetric(METRICS, 'vfx_outbox_lag_seconds')).toEqual([{ labels: {}, value: 0.25 }]);
    const text = [
      'm{a="say \\"hi\\"",b="back\\\\slash\\nnext"} 7 1700000000000',
      'm{a="unterminated} 1',
      'm{a="x"} not-a-number',
    ].join('\n');
    expect(parseMetric(text, 'm')).toEqual([
      { labels: { a: 'say "hi"', b: 'back\\slash\nnext' }, value: 7 },
    ]);
  });

  it("reads the worker's readiness", () => {
    expect(
      readinessOf({
        status: 'unavailable',
        checks: {
          database: { status: 'ok' },
          queue: { status: 'failed', error: 'connect ECONNREFUSED', backend: 'redis' },
        },
      }),
    ).toEqual({
      ready: false,
      reconciling: false,
      checks: [
        { name: 'database', ok: true },
        { name: 'queue', ok: false, detail: 'connect ECONNREFUSED' },
      ],
    });
    // Repairing a queue store that lost its data: ready (it answers 200), and saying so.
    expect(
      readinessOf({
        status: 'reconciling',
        checks: {
          database: { status: 'ok' },
          queue: { status: 'ok', backend: 'redis' },
          queueStore: { status: 'reconciling', lastLossDetectedAt: '2026-12-06T15:00:00.000Z' },
        },
      }),
    ).toMatchObject({ ready: true, reconciling: true });
    expect(readinessOf('nonsense')).toBeNull();
  });
});

describe('asking the worker', () => {
  let server: Server;
  let url: string;
  let ready = true;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(METRICS);
      } else if (req.url === '/health/ready') {
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: ready ? 'ok' : 'unavailable',
            checks: { database: { status: ready ? 'ok' : 'failed' } },
          }),
        );
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const settings = (env: Record<string, string>) =>
    loadDashboardConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/fls', ...env });

  it('says when no worker address is configured', async () => {
    expect(await workerStatus(settings({}))).toEqual({ kind: 'not-configured' });
  });

  it('returns the queue counts and readiness, linking to the public address', async () => {
    ready = true;
    const status = await workerStatus(
      settings({ WORKER_URL: url, WORKER_PUBLIC_URL: 'https://worker.fls.example' }),
    );
    expect(status).toMatchObject({
      kind: 'reachable',
      publicUrl: 'https://worker.fls.example',
      readiness: { ready: true },
    });
    expect(status.kind === 'reachable' && status.queues).toHaveLength(2);
  });

  it('passes on a worker that is up but not ready', async () => {
    ready = false;
    expect(await workerStatus(settings({ WORKER_URL: url }))).toMatchObject({
      kind: 'reachable',
      readiness: { ready: false, checks: [{ name: 'database', ok: false }] },
    });
  });

  it('says why a worker could not be reached, without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await workerStatus(settings({ WORKER_URL: `http://127.0.0.1:${port}` }))).toEqual({
      kind: 'unreachable',
      publicUrl: `http://127.0.0.1:${port}`,
      error: 'ECONNREFUSED',
    });
    expect(await workerStatus(settings({ WORKER_URL: `${url}/wrong-prefix` }))).toMatchObject({
      kind: 'unreachable',
      error: '/metrics answered HTTP 404',
    });
  });
});
