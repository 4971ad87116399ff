// The outbox's read side. A relay claims messages with a lease, in one short statement that
// commits before the relay makes any queue call; it then queues the jobs (deterministic job ids,
// so queueing a message twice is harmless) and marks the messages processed. A relay that dies
// between the two leaves its claim behind: when the lease runs out, any relay takes the messages
// again. No transaction is held open across a queue call, and none waits on Redis.
import type { Database } from '../client.js';
import { parseOutboxMessage } from './catalog.js';

/** A claimed row as stored: the relay parses it against the catalogue (catalog.ts). */
export interface ClaimedOutboxRow {
  readonly id: bigint;
  readonly kind: string;
  readonly payload: unknown;
  readonly createdAt: Date;
  /** Failed relays so far (a lease that ran out counts as one). */
  readonly attempts: number;
  /** The relay whose lease ran out before it finished, when this is a second claim. */
  readonly expiredClaim: string | null;
}

export interface ClaimOptions {
  readonly limit: number;
  /** Who claims (host, process and a random part): kept in `claimed_by`. */
  readonly claimant: string;
  /** How long the claim keeps other relays off; it must exceed a slow queue call. */
  readonly leaseMs: number;
  readonly now?: Date;
}

/**
 * Claims up to `limit` waiting messages (oldest first) whose lease, if any, has run out: one
 * UPDATE, committed when it returns. Messages set aside or processed are never claimed; replicas
 * claiming at once take different messages (FOR UPDATE SKIP LOCKED). The claimant's own claims
 * are taken again at once, lease or not: a relay claims only between its attempts, so a claim it
 * still holds is one whose attempt could not finish (the database went away before it could mark
 * the messages processed or give them back), and waiting for its lease would only delay them.
 */
export async function claimOutbox(
  db: Database,
  { limit, claimant, leaseMs, now = new Date() }: ClaimOptions,
): Promise<ClaimedOutboxRow[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await db.$queryRaw<ClaimedOutboxRow[]>`
    WITH next AS (
      SELECT id, claimed_by AS previous FROM outbox
      WHERE processed_at IS NULL AND set_aside_at IS NULL
        AND (lease_until IS NULL OR lease_until <= ${now} OR claimed_by = ${claimant})
      ORDER BY id LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE outbox o SET
      claimed_at = ${now}, claimed_by = ${claimant}, lease_until = ${leaseUntil},
      attempts = o.attempts + CASE WHEN next.previous IS NULL THEN 0 ELSE 1 END,
      last_error = CASE WHEN next.previous IS NULL THEN o.last_error
        WHEN next.previous = ${claimant}
          THEN 'relay ' || next.previous || ' could not finish its previous attempt'
        ELSE 'the lease of relay ' || next.previous || ' ran out before it finished' END
    FROM next WHERE o.id = next.id
    RETURNING o.id, o.kind, o.payload, o.created_at AS "createdAt", o.attempts,
      NULLIF(next.previous, ${claimant}) AS "expiredClaim"`;
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Marks relayed messages processed (whoever holds them now: their jobs are queued). */
export async function completeOutbox(
  db: Database,
  ids: readonly bigint[],
  now = new Date(),
): Promise<number> {
  if (ids.length === 0) return 0;
  return db.$executeRaw`
    UPDATE outbox SET processed_at = ${now}, lease_until = NULL
    WHERE id = ANY(${[...ids]}::bigint[]) AND processed_at IS NULL`;
}

/**
 * Gives messages back after a failed relay, with the error kept and the attempt counted. They
 * are claimed again after a back-off (1 s, doubling, at most `maxDelayMs`), not on the next
 * poll. A message another relay has claimed since (this claim's lease ran out) is left alone.
 */
export async function releaseOutbox(
  db: Database,
  ids: readonly bigint[],
  error: string,
  { claimant, maxDelayMs, now = new Date() }: { claimant: string; maxDelayMs: number; now?: Date },
): Promise<number> {
  if (ids.length === 0) return 0;
  return db.$executeRaw`
    UPDATE outbox SET attempts = attempts + 1, last_error = ${error}, claimed_by = NULL,
      lease_until = ${now}::timestamptz
        + make_interval(secs => LEAST(${maxDelayMs / 1000}::float8, power(2, LEAST(attempts, 20))))
    WHERE id = ANY(${[...ids]}::bigint[]) AND processed_at IS NULL AND claimed_by = ${claimant}`;
}

/**
 * Sets aside a message that does not parse: it is not claimed again (retrying cannot help), and
 * the error stays beside it for Admin › Queues (queue-health.ts) until the retention prunes it.
 */
export async function setAsideOutbox(
  db: Database,
  id: bigint,
  error: string,
  now = new Date(),
): Promise<void> {
  await db.$executeRaw`
    UPDATE outbox SET set_aside_at = ${now}, last_error = ${error}, claimed_by = NULL,
      lease_until = NULL
    WHERE id = ${id} AND processed_at IS NULL`;
}

/**
 * Puts back set-aside messages that parse now: a relay of a newer release, which knows a kind or
 * field that an older one did not, relays what the older one set aside. Returns how many.
 */
export async function reviveSetAside(db: Database): Promise<number> {
  const rows = await db.outboxMessage.findMany({
    where: { processedAt: null, setAsideAt: { not: null } },
    select: { id: true, kind: true, payload: true },
    orderBy: { id: 'asc' },
    take: 10_000,
  });
  const ids = rows.filter((row) => parseOutboxMessage(row).ok).map((row) => row.id);
  if (ids.length === 0) return 0;
  const { count } = await db.outboxMessage.updateMany({
    where: { id: { in: ids }, processedAt: null },
    data: { setAsideAt: null, leaseUntil: null, claimedBy: null },
  });
  return count;
}

/** Seconds since the oldest message still waiting was written (0 when none waits). */
export async function outboxLagSeconds(db: Database, now = new Date()): Promise<number> {
  const oldest = await db.outboxMessage.findFirst({
    where: { processedAt: null, setAsideAt: null },
    orderBy: { id: 'asc' },
    select: { createdAt: true },
  });
  return oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1000) : 0;
}

/** Messages set aside (they did not parse) and still kept. */
export function outboxSetAsideCount(db: Database): Promise<number> {
  return db.outboxMessage.count({ where: { processedAt: null, setAsideAt: { not: null } } });
}

/**
 * Deletes relayed messages older than `olderThan`, and set-aside ones set aside before it (they
 * are history; the audit log keeps what happened, and the reconciler queues from the records
 * themselves, so no follow-up or e-mail depends on a set-aside message).
 */
export async function pruneOutbox(db: Database, olderThan: Date): Promise<number> {
  const { count } = await db.outboxMessage.deleteMany({
    where: { OR: [{ processedAt: { lt: olderThan } }, { setAsideAt: { lt: olderThan } }] },
  });
  return count;
}
