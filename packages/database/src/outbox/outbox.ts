// The outbox's read side. Messages are claimed with FOR UPDATE SKIP LOCKED, so several worker
// replicas relay different messages and none is taken twice while another holds it.
import type { Database, Transaction } from '../client.js';

export interface OutboxMessageView {
  readonly id: bigint;
  readonly kind: string;
  readonly payload: unknown;
  readonly createdAt: Date;
}

export type RelayResult = 'done' | { readonly error: string };

/**
 * Claims up to `limit` unprocessed messages (oldest first) and hands them to `relay`, which says
 * per message whether it was carried out. Done messages are marked processed; failed ones keep
 * their place with the attempt counted and the error kept. Returns how many were claimed.
 */
export async function relayOutbox(
  db: Database,
  limit: number,
  relay: (messages: readonly OutboxMessageView[]) => Promise<Map<bigint, RelayResult>>,
): Promise<number> {
  return db.$transaction(
    async (tx: Transaction) => {
      const messages = await tx.$queryRaw<OutboxMessageView[]>`
        SELECT id, kind, payload, created_at AS "createdAt" FROM outbox
        WHERE processed_at IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      if (messages.length === 0) return 0;
      const results = await relay(messages);
      const done = messages.filter((m) => results.get(m.id) === 'done').map((m) => m.id);
      if (done.length > 0) {
        await tx.outboxMessage.updateMany({
          where: { id: { in: done } },
          data: { processedAt: new Date() },
        });
      }
      for (const message of messages) {
        const result = results.get(message.id);
        if (result !== 'done') {
          await tx.outboxMessage.update({
            where: { id: message.id },
            data: {
              attempts: { increment: 1 },
              lastError: result?.error ?? 'not relayed',
            },
          });
        }
      }
      return messages.length;
    },
    { timeout: 60_000 },
  );
}

/** Seconds since the oldest message still waiting was written (0 when none waits). */
export async function outboxLagSeconds(db: Database, now = new Date()): Promise<number> {
  const oldest = await db.outboxMessage.findFirst({
    where: { processedAt: null },
    orderBy: { id: 'asc' },
    select: { createdAt: true },
  });
  return oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1000) : 0;
}

/** Deletes relayed messages older than `olderThan` (they are history, the audit log keeps it). */
export async function pruneOutbox(db: Database, olderThan: Date): Promise<number> {
  const { count } = await db.outboxMessage.deleteMany({
    where: { processedAt: { lt: olderThan } },
  });
  return count;
}
