// Follow-ups (the timed status changes the service owes) by state and fire time, for schedulers
// and the JSON API. Keyset pagination on (fire_at, id) over the follow_ups(state, fire_at) index:
// every page costs the same however deep it is, at 100,000 patients as at ten.
import type { Queryable } from '../client.js';
import { type FollowUpState, Prisma } from '../generated/prisma/client.js';

export const FOLLOW_UP_STATES = ['pending', 'fired', 'cancelled', 'superseded'] as const;
export const FOLLOW_UP_PAGE_MAX = 500;

export interface FollowUpCursor {
  readonly fireAt: Date;
  readonly id: string;
}

export interface FollowUpQuery {
  readonly state: FollowUpState;
  /** Fire time from (inclusive). */
  readonly from?: Date;
  /** Fire time before (exclusive). */
  readonly to?: Date;
  /** 1 to FOLLOW_UP_PAGE_MAX. */
  readonly limit: number;
  /** Continue after this follow-up (from the previous page's nextCursor). */
  readonly after?: FollowUpCursor;
}

export interface FollowUpListItem {
  readonly id: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly stepKey: string;
  /** The step's title in the stored plan; null when the plan no longer has the step. */
  readonly stepTitle: string | null;
  readonly transition: string;
  readonly fireAt: Date;
  readonly urgent: boolean;
  readonly state: FollowUpState;
  readonly outcome: string | null;
  readonly createdAt: Date;
  readonly settledAt: Date | null;
  readonly latenessMs: number | null;
}

/** An opaque cursor for the next page: clients pass it back unchanged. */
export function encodeFollowUpCursor(cursor: FollowUpCursor): string {
  return Buffer.from(JSON.stringify([cursor.fireAt.toISOString(), cursor.id])).toString(
    'base64url',
  );
}

/** The cursor inside an opaque string, or undefined when it is not one this service made. */
export function decodeFollowUpCursor(text: string): FollowUpCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [fireAt, id] = value as unknown[];
    if (typeof fireAt !== 'string' || typeof id !== 'string' || id.length === 0) return undefined;
    const at = new Date(fireAt);
    return Number.isNaN(at.getTime()) ? undefined : { fireAt: at, id };
  } catch {
    return undefined;
  }
}

/** The statement behind followUpsByState (exported so a test can EXPLAIN exactly this). */
export function followUpsStatement(query: FollowUpQuery): Prisma.Sql {
  const conditions = [Prisma.sql`f.state = CAST(${query.state} AS "FollowUpState")`];
  if (query.from) conditions.push(Prisma.sql`f.fire_at >= ${query.from}`);
  if (query.to) conditions.push(Prisma.sql`f.fire_at < ${query.to}`);
  if (query.after) {
    // The plain bound lets the index range scan start at the cursor; the row comparison breaks
    // ties between follow-ups due at the same instant.
    conditions.push(Prisma.sql`f.fire_at >= ${query.after.fireAt}`);
    conditions.push(Prisma.sql`(f.fire_at, f.id) > (${query.after.fireAt}, ${query.after.id})`);
  }
  return Prisma.sql`
    SELECT f.id, f.episode_id AS "episodeId", e.patient_id AS "patientId",
           f.step_key AS "stepKey", s.title AS "stepTitle", f.transition,
           f.fire_at AS "fireAt", f.urgent, f.state::text AS state, f.outcome,
           f.created_at AS "createdAt", f.settled_at AS "settledAt",
           f.lateness_ms AS "latenessMs"
      FROM follow_ups f
      JOIN episodes e ON e.id = f.episode_id
      LEFT JOIN plan_steps s ON s.episode_id = f.episode_id AND s.key = f.step_key
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY f.fire_at, f.id
     LIMIT ${query.limit + 1}`;
}

/** One page of follow-ups in fire-time order, and the cursor of the next page (null at the end). */
export async function followUpsByState(
  db: Queryable,
  query: FollowUpQuery,
): Promise<{ readonly items: readonly FollowUpListItem[]; readonly nextCursor: string | null }> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > FOLLOW_UP_PAGE_MAX) {
    throw new RangeError(`limit must be a whole number from 1 to ${FOLLOW_UP_PAGE_MAX}`);
  }
  const rows = await db.$queryRaw<FollowUpListItem[]>(followUpsStatement(query));
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > query.limit && last
        ? encodeFollowUpCursor({ fireAt: last.fireAt, id: last.id })
        : null,
  };
}
