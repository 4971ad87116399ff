// What the worker itself reports, for the queue health page: its readiness (/health/ready) and
// its BullMQ job counts, read from the vfx_queue_jobs gauge on /metrics (the same figures
// Prometheus scrapes, so the page and the alerts never disagree). The worker is optional for this
// page: not configured or not answering, the page says so and shows the database's figures.
import type { DashboardConfig } from './env';
import { workerLinks } from './env';

/** How long the page waits for the worker before saying it did not answer. */
export const WORKER_TIMEOUT_MS = 2_000;

export interface QueueJobCounts {
  readonly queue: string;
  /** BullMQ job state (delayed, waiting, active, failed, prioritized) to count. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface WorkerReadiness {
  readonly ready: boolean;
  /** Ready, and repairing a queue store that lost its data (jobs are being put back). */
  readonly reconciling: boolean;
  /** Each dependency the worker checked, with its error when it failed. */
  readonly checks: readonly {
    readonly name: string;
    readonly ok: boolean;
    readonly detail?: string;
  }[];
}

export type WorkerStatus =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'unreachable'; readonly publicUrl: string; readonly error: string }
  | {
      readonly kind: 'reachable';
      readonly publicUrl: string;
      readonly readiness: WorkerReadiness | null;
      readonly queues: readonly QueueJobCounts[];
    };

/** Undoes the Prometheus text format's escapes in a label value (\\, \" and \n). */
function unescapeLabel(value: string): string {
  return value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * The samples of one metric in the Prometheus text exposition format: labels and value per
 * line. Comments, other metrics and unparseable lines are skipped.
 */
export function parseMetric(
  text: string,
  name: string,
): { readonly labels: Readonly<Record<string, string>>; readonly value: number }[] {
  const samples = [];
  const line = new RegExp(`^${name}(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\d+)?$`);
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;
  for (const raw of text.split('\n')) {
    const match = line.exec(raw.trim());
    if (!match) continue;
    const labels: Record<string, string> = {};
    const body = match[1] ?? '';
    label.lastIndex = 0;
    let consumed = 0;
    for (let found = label.exec(body); found; found = label.exec(body)) {
      labels[found[1] as string] = unescapeLabel(found[2] as string);
      consumed = label.lastIndex;
    }
    const value = Number(match[2]);
    if (consumed !== body.length || Number.isNaN(value)) continue;
    samples.push({ labels, value });
  }
  return samples;
}

/** Job counts by queue from the worker's /metrics text, queues in name order. */
export function queueJobCounts(metricsText: string): QueueJobCounts[] {
  const byQueue = new Map<string, Record<string, number>>();
  for (const { labels, value } of parseMetric(metricsText, 'vfx_queue_jobs')) {
    const { queue, state } = labels;
    if (!queue || !state) continue;
    const counts = byQueue.get(queue) ?? {};
    counts[state] = value;
    byQueue.set(queue, counts);
  }
  return [...byQueue.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([queue, counts]) => ({ queue, counts }));
}

/** The worker's /health/ready answer (200 ready, 503 not), as a list of checks. */
export function readinessOf(body: unknown): WorkerReadiness | null {
  if (typeof body !== 'object' || body === null) return null;
  const { status, checks } = body as { status?: unknown; checks?: unknown };
  if (typeof status !== 'string' || typeof checks !== 'object' || checks === null) return null;
  return {
    // A worker repairing its queue store is working (it answers 200), not down.
    ready: status === 'ok' || status === 'reconciling',
    reconciling: status === 'reconciling',
    checks: Object.entries(checks as Record<string, { status?: unknown; error?: unknown }>).map(
      ([name, check]) => ({
        name,
        ok: check?.status === 'ok' || check?.status === 'reconciling',
        ...(typeof check?.error === 'string' ? { detail: check.error } : {}),
      }),
    ),
  };
}

async function get(url: string): Promise<Response> {
  return fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(WORKER_TIMEOUT_MS) });
}

const reason = (error: unknown) => {
  const err = error as Error & { cause?: { code?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${WORKER_TIMEOUT_MS / 1000} s`;
  return err.cause?.code ?? err.message;
};

/** Asks the worker for its readiness and queue counts; never throws. */
export async function workerStatus(settings: DashboardConfig): Promise<WorkerStatus> {
  const links = workerLinks(settings);
  if (!links) return { kind: 'not-configured' };
  try {
    const [metrics, health] = await Promise.all([
      get(`${links.internal}/metrics`),
      get(`${links.internal}/health/ready`),
    ]);
    if (!metrics.ok) {
      return {
        kind: 'unreachable',
        publicUrl: links.public,
        error: `/metrics answered HTTP ${metrics.status}`,
      };
    }
    const readiness = readinessOf(await health.json().catch(() => null));
    return {
      kind: 'reachable',
      publicUrl: links.public,
      readiness,
      queues: queueJobCounts(await metrics.text()),
    };
  } catch (error) {
    return { kind: 'unreachable', publicUrl: links.public, error: reason(error) };
  }
}
