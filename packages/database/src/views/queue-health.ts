// Whether the timed work of the service is keeping up, as the database sees it: follow-ups by
// state and those left pending past their time, how late the last hour's firings were, reminder
// deliveries (failures stay visible), and the outbox the worker relays to the queue. Every count
// is answered from an index: follow_ups(state, fire_at) and (state, settled_at),
// reminder_deliveries(state, updated_at), outbox(processed_at, id).
import type { Database } from '../client.js';
import type { DeliveryState, FollowUpState } from '../generated/prisma/client.js';
import { outboxLagSeconds } from '../outbox/outbox.js';

/**
 * A pending follow-up this long past its time counts as late. Within it, the worker may simply be
 * applying it now (jobs run in batches, and queue and database clocks differ slightly).
 */
export const LATE_AFTER_MS = 60_000;
/** An e-mail still unsent this long after it was last touched is stuck, not just queued. */
export const STUCK_EMAIL_AFTER_MS = 15 * 60_000;
/** The window over which firing lateness is summarised. */
export const LATENESS_WINDOW_MS = 60 * 60_000;
/** Failed deliveries listed (newest first); the deliveries page has them all. */
export const RECENT_FAILURES_SHOWN = 10;

export interface FailedDelivery {
  readonly id: string;
  readonly channel: string;
  readonly recipient: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly failedAt: Date;
  /** failed: the mail server refused every attempt; unknown: an attempt may have gone out. */
  readonly outcome: 'failed' | 'unknown';
  readonly episodeId: string;
  readonly stepTitle: string;
  readonly reminderKind: string;
}

export interface QueueHealth {
  readonly measuredAt: Date;
  readonly followUps: {
    readonly byState: Readonly<Record<FollowUpState, number>>;
    /** Pending although their time passed more than LATE_AFTER_MS ago. */
    readonly late: number;
    readonly oldestLateFireAt: Date | null;
    /** Follow-ups fired in the last LATENESS_WINDOW_MS and how late they were applied. */
    readonly lastHour: {
      readonly fired: number;
      readonly p50Ms: number | null;
      readonly p95Ms: number | null;
      readonly maxMs: number | null;
    };
  };
  readonly deliveries: {
    readonly byState: Readonly<Record<DeliveryState, number>>;
    /** Pending e-mails untouched for STUCK_EMAIL_AFTER_MS. */
    readonly stuck: number;
    readonly recentFailures: readonly FailedDelivery[];
  };
  readonly outbox: {
    /** Messages written but not yet relayed to the queue. */
    readonly backlog: number;
    /** Age of the oldest of them, in seconds (0 when none waits). */
    readonly lagSeconds: number;
    /** Of the backlog, messages whose relay already failed at least once. */
    readonly failing: number;
    /** The error of the oldest failing message (the one holding the others up longest). */
    readonly lastError: string | null;
    /**
     * Messages set aside because they did not parse (not in the backlog: no relay retries
     * them; a newer relay that parses them puts them back), with the newest few and their errors.
     */
    readonly setAside: number;
    readonly recentSetAside: readonly SetAsideMessage[];
  };
}

export interface SetAsideMessage {
  readonly id: string;
  readonly kind: string;
  readonly error: string | null;
  readonly setAsideAt: Date;
}

const counts = <K extends string>(
  keys: readonly K[],
  rows: readonly { state: K; _count: { _all: number } }[],
): Record<K, number> => {
  const result = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const row of rows) result[row.state] = row._count._all;
  return result;
};

export async function queueHealth(db: Database, now = new Date()): Promise<QueueHealth> {
  const lateBefore = new Date(now.getTime() - LATE_AFTER_MS);
  const windowStart = new Date(now.getTime() - LATENESS_WINDOW_MS);
  const stuckBefore = new Date(now.getTime() - STUCK_EMAIL_AFTER_MS);

  const [
    followUpStates,
    late,
    lateness,
    deliveryStates,
    stuck,
    failures,
    backlog,
    failing,
    oldestFailing,
    lagSeconds,
    setAside,
    recentSetAside,
  ] = await Promise.all([
    db.followUp.groupBy({ by: ['state'], _count: { _all: true } }),
    db.followUp.aggregate({
      where: { state: 'pending', fireAt: { lt: lateBefore } },
      _count: { _all: true },
      _min: { fireAt: true },
    }),
    db.$queryRaw<{ fired: bigint; p50: number | null; p95: number | null; max: number | null }[]>`
      SELECT count(*) AS fired,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY lateness_ms) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY lateness_ms) AS p95,
             max(lateness_ms) AS max
        FROM follow_ups
       WHERE state = 'fired' AND settled_at >= ${windowStart} AND settled_at <= ${now}`,
    db.reminderDelivery.groupBy({ by: ['state'], _count: { _all: true } }),
    // A claim (sending) that stays unsettled this long is as stuck as an unsent e-mail.
    db.reminderDelivery.count({
      where: { state: { in: ['pending', 'sending'] }, updatedAt: { lt: stuckBefore } },
    }),
    db.reminderDelivery.findMany({
      where: { state: { in: ['failed', 'unknown'] } },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      take: RECENT_FAILURES_SHOWN,
      select: {
        id: true,
        channel: true,
        recipient: true,
        attempts: true,
        lastError: true,
        updatedAt: true,
        state: true,
        reminder: { select: { episodeId: true, stepTitle: true, kind: true } },
      },
    }),
    db.outboxMessage.count({ where: { processedAt: null, setAsideAt: null } }),
    db.outboxMessage.count({ where: { processedAt: null, setAsideAt: null, attempts: { gt: 0 } } }),
    db.outboxMessage.findFirst({
      where: { processedAt: null, setAsideAt: null, attempts: { gt: 0 } },
      orderBy: { id: 'asc' },
      select: { lastError: true },
    }),
    outboxLagSeconds(db, now),
    db.outboxMessage.count({ where: { processedAt: null, setAsideAt: { not: null } } }),
    db.outboxMessage.findMany({
      where: { processedAt: null, setAsideAt: { not: null } },
      orderBy: { id: 'desc' },
      take: RECENT_FAILURES_SHOWN,
      select: { id: true, kind: true, lastError: true, setAsideAt: true },
    }),
  ]);
  const [firing] = lateness;
  const round = (value: number | null | undefined) =>
    value === null || value === undefined ? null : Math.round(Number(value));
  return {
    measuredAt: now,
    followUps: {
      byState: counts(['pending', 'fired', 'cancelled', 'superseded'], followUpStates),
      late: late._count._all,
      oldestLateFireAt: late._min.fireAt,
      lastHour: {
        fired: Number(firing?.fired ?? 0),
        p50Ms: round(firing?.p50),
        p95Ms: round(firing?.p95),
        maxMs: round(firing?.max),
      },
    },
    deliveries: {
      byState: counts(['pending', 'sending', 'sent', 'failed', 'unknown'], deliveryStates),
      stuck,
      recentFailures: failures.map((row) => ({
        id: row.id,
        channel: row.channel,
        recipient: row.recipient,
        attempts: row.attempts,
        lastError: row.lastError,
        failedAt: row.updatedAt,
        outcome: row.state === 'unknown' ? ('unknown' as const) : ('failed' as const),
        episodeId: row.reminder.episodeId,
        stepTitle: row.reminder.stepTitle,
        reminderKind: row.reminder.kind,
      })),
    },
    outbox: {
      backlog,
      lagSeconds,
      failing,
      lastError: oldestFailing?.lastError ?? null,
      setAside,
      recentSetAside: recentSetAside.map((row) => ({
        id: String(row.id),
        kind: row.kind,
        error: row.lastError,
        setAsideAt: row.setAsideAt as Date,
      })),
    },
  };
}

/** E-mail reminders that failed after every retry and wait for a scheduler (a metric's gauge). */
export function failedDeliveryCount(db: Database): Promise<number> {
  return db.reminderDelivery.count({ where: { state: 'failed' } });
}
