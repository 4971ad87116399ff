import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type IQueueBackend,
  PostgresQueueBackend,
  type Queue,
  RedisQueueBackend,
  runMigrations,
} from 'bullmq';

/**
 * A field of each queue's BullMQ metadata (the Redis hash `<prefix>:<queue>:meta`, or rows of the
 * `meta` table in schema `<prefix>_queue`) that only this service writes. BullMQ never sets or
 * clears it, and it outlives an empty queue; what removes it is what removes the queue's data:
 * FLUSHDB or FLUSHALL, a Redis restart without persistence, deleting the prefix's keys,
 * `obliterate`, or emptying or dropping the tables. BullMQ re-creates its own meta fields on the
 * next add, so they could not tell; and counting jobs could not either, since an empty queue is
 * normal.
 */
export const MARKER_FIELD = 'vfx.storeMarker';

/** A sign that the queue store lost data since it was last marked. */
export type LossSignal =
  | { readonly kind: 'marker-missing'; readonly queue: string }
  | { readonly kind: 'redis-restarted' }
  | { readonly kind: 'job-table-replaced' }
  | { readonly kind: 'queue-tables-missing' };

export function describeLoss(signal: LossSignal): string {
  switch (signal.kind) {
    case 'marker-missing':
      return `queue "${signal.queue}" lost its marker: its jobs were deleted (FLUSHDB or FLUSHALL, a Redis restart without persistence, obliterate, or the queue tables emptied)`;
    case 'redis-restarted':
      return "Redis restarted or failed over (its run_id changed): jobs written since its last save or its replica's last sync may be gone";
    case 'job-table-replaced':
      return 'the job table was truncated or rewritten (TRUNCATE; VACUUM FULL and CLUSTER also rewrite it, losing nothing)';
    case 'queue-tables-missing':
      return "the queue's schema or job table is missing (dropped): BullMQ's migrations re-create it";
    default:
      return assertUnreachable(signal);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(value)}`);
}

export interface Inspection {
  /** Signs of data lost since the store was marked; empty when nothing was lost. */
  readonly lost: readonly LossSignal[];
  /**
   * Another worker wrote new markers: it found a loss (or, starting, found none) and is repairing.
   * This worker may have missed that loss, since the new markers hide it.
   */
  readonly remarkedElsewhere: boolean;
}

const newMarker = () =>
  `${new Date().toISOString()} ${hostname()}:${process.pid} ${randomBytes(4).toString('hex')}`;

/**
 * Tells, in a few key reads and whatever the number of jobs, whether the queue store has lost
 * data since this worker last looked: each queue's marker field, plus on Redis its run_id (a
 * restart or failover can lose recent writes even with persistence, and keep an old marker), and
 * on PostgreSQL the identity of the job table (TRUNCATE gives it a new file; dropping it, none).
 */
export class QueueStoreMarker {
  private readonly markers = new Map<string, string>();
  private redisRunId: string | undefined;
  private jobTable: string | null | undefined;
  private marked = false;

  constructor(private readonly queues: readonly Queue[]) {}

  /** Whether mark() has succeeded: until then there is nothing to compare with. */
  get isMarked(): boolean {
    return this.marked;
  }

  /**
   * At start: keeps the markers other workers (or this service's last run) left, writes the
   * missing ones, and records the store's identity. A store that lost its data while no worker
   * ran is not told apart from a new one; the start-up reconciliation repairs both.
   */
  async mark(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.waitUntilReady()));
    const fresh = newMarker();
    for (const queue of this.queues) {
      const backend: IQueueBackend = queue.getBackend();
      let value = await backend.getQueueMetaField(MARKER_FIELD);
      if (value === null) {
        value = fresh;
        await backend.setQueueMeta({ [MARKER_FIELD]: value });
      }
      this.markers.set(queue.name, value);
    }
    this.redisRunId = await this.readRedisRunId();
    this.jobTable = await this.readJobTable();
    this.marked = true;
  }

  /** Compares the store with what mark() or remark() recorded. Throws if the store does not answer. */
  async inspect(): Promise<Inspection> {
    if (!this.marked) throw new Error('The queue store has not been marked yet');
    const lost: LossSignal[] = [];
    if (this.postgres) {
      const table = await this.readJobTable();
      // Without tables the markers cannot be read: re-creating them comes first.
      if (table === null)
        return { lost: [{ kind: 'queue-tables-missing' }], remarkedElsewhere: false };
      if (table !== this.jobTable) lost.push({ kind: 'job-table-replaced' });
    }
    let remarkedElsewhere = false;
    for (const queue of this.queues) {
      const value = await queue.getBackend().getQueueMetaField(MARKER_FIELD);
      if (value === null) lost.push({ kind: 'marker-missing', queue: queue.name });
      else if (value !== this.markers.get(queue.name)) {
        remarkedElsewhere = true;
        this.markers.set(queue.name, value);
      }
    }
    const runId = await this.readRedisRunId();
    // A Redis (or proxy) that does not answer INFO leaves only the markers to go by.
    if (runId && this.redisRunId && runId !== this.redisRunId)
      lost.push({ kind: 'redis-restarted' });
    return { lost, remarkedElsewhere };
  }

  /**
   * After a loss, before the repair: re-creates dropped tables, writes new markers (so other
   * workers learn of the loss, and a loss during the repair is found again) and records the
   * store's identity afresh.
   */
  async remark(lost: readonly LossSignal[]): Promise<void> {
    if (lost.some((signal) => signal.kind === 'queue-tables-missing')) await this.recreateTables();
    const value = newMarker();
    for (const queue of this.queues) {
      await queue.getBackend().setQueueMeta({ [MARKER_FIELD]: value });
      this.markers.set(queue.name, value);
    }
    this.redisRunId = (await this.readRedisRunId()) ?? this.redisRunId;
    this.jobTable = await this.readJobTable();
  }

  private get first(): IQueueBackend {
    const queue = this.queues[0];
    if (!queue) throw new Error('QueueStoreMarker needs at least one queue');
    return queue.getBackend();
  }

  private get postgres(): PostgresQueueBackend | undefined {
    const backend = this.first;
    return backend instanceof PostgresQueueBackend ? backend : undefined;
  }

  private async readRedisRunId(): Promise<string | undefined> {
    const backend = this.first;
    if (!(backend instanceof RedisQueueBackend)) return undefined;
    try {
      const info = await (await backend.client).info();
      return /^run_id:(\w+)/m.exec(info)?.[1];
    } catch {
      return undefined;
    }
  }

  /** "oid:file" of the job table (TRUNCATE changes the file), null when it is missing. */
  private async readJobTable(): Promise<string | null | undefined> {
    const backend = this.postgres;
    if (!backend) return undefined;
    const { rows } = await backend.connection.pool.query<{ id: string | null }>(
      `SELECT to_regclass(format('%I.job', $1::text))::oid::text || ':' ||
              pg_relation_filenode(to_regclass(format('%I.job', $1::text)))::text AS id`,
      [backend.connection.schema],
    );
    return rows[0]?.id ?? null;
  }

  /** BullMQ's own migrations (as `migrate: true` runs them at connect), on one session. */
  private async recreateTables(): Promise<void> {
    const backend = this.postgres;
    if (!backend) return;
    const client = await backend.connection.pool.connect();
    try {
      await runMigrations(client, backend.connection.schema);
    } finally {
      client.release();
    }
  }
}
