import type { Database, Queryable } from '../client.js';

/** Pending follow-ups that fire before `until`, as the queue needs them: id and time. */
export async function pendingFollowUpsBefore(
  db: Queryable,
  until: Date,
  ids?: readonly string[],
): Promise<{ id: string; fireAt: Date; urgent: boolean }[]> {
  return db.followUp.findMany({
    where: { state: 'pending', fireAt: { lt: until }, ...(ids ? { id: { in: [...ids] } } : {}) },
    select: { id: true, fireAt: true, urgent: true },
    orderBy: { fireAt: 'asc' },
  });
}

/** Which of these follow-ups are still pending. */
export async function pendingAmong(db: Database, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.followUp.findMany({
    where: { id: { in: [...ids] }, state: 'pending' },
    select: { id: true },
  });
  return new Set(rows.map((row) => row.id));
}

/** Overdue plan steps by step type, for the metrics. */
export async function overdueStepsByType(db: Database): Promise<Map<string, number>> {
  const groups = await db.planStep.groupBy({
    by: ['stepId'],
    where: { status: 'overdue' },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.stepId, g._count._all]));
}

/**
 * E-mail deliveries still pending that were made before `before`: the reconciler re-queues those
 * whose job is gone. At most `limit`, so a large backlog is worked in slices.
 */
export async function pendingEmailDeliveries(
  db: Database,
  before: Date,
  limit: number,
): Promise<readonly string[]> {
  const rows = await db.reminderDelivery.findMany({
    where: { channel: 'email', state: 'pending', createdAt: { lte: before } },
    select: { id: true },
    take: limit,
  });
  return rows.map((row) => row.id);
}
