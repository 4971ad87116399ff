// Overdue steps across every caseload, highest risk first, for the administrator's list and its
// CSV export. The risk order is packages/domain's (overdueRiskRanks: late denosumab, then urgent,
// then the rest, longest overdue first); this file only carries it out with the indexes.
//
// How it stays fast with hundreds of thousands of overdue steps: a grouped count on the index
// plan_steps(status, step_id, overdue_at, episode_id, key, nurse_id) gives the step ids that have matching
// rows and the totals per risk tier; a page is then read tier by tier, each tier a merge of
// per-step index scans that stops at the page's end (see tierRows), so no query sorts the whole
// overdue set. Checked with EXPLAIN ANALYZE at 100,000 patients (160,000 overdue steps).
import {
  compareOverdueRisk,
  OVERDUE_RISK_TIERS,
  type OverdueRiskTierId,
  overdueRiskRankOf,
  overdueRiskRanks,
  overdueRiskTierOfRank,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';

export const OVERDUE_PAGE_SIZE = 50;
/** Pages beyond this many rows are not served: narrow the filters or use the CSV export. */
export const OVERDUE_MAX_OFFSET = 10_000;
/** The largest "at least N days overdue" accepted (ten years). */
export const OVERDUE_MAX_DAYS = 3_650;

export interface OverdueFilters {
  /** Only this step (a pathway step id, e.g. "dxa-scan"). */
  readonly stepId?: string;
  /** Only this nurse's caseload (a user id), or `null` for steps with no responsible nurse. */
  readonly nurseId?: string | null;
  /** Only steps at least this many whole days overdue (0 = all). */
  readonly minDaysOverdue?: number;
}

export interface OverdueClock {
  readonly now: Date;
  /** The zone whose calendar days "days overdue" counts (the user's). */
  readonly timeZone: string;
}

export interface OverdueRow {
  readonly episodeId: string;
  readonly stepKey: string;
  readonly stepId: string;
  readonly title: string;
  readonly category: string;
  readonly status: string;
  readonly urgent: boolean;
  /** Why the step has its status, in the plan's words. */
  readonly reason: string;
  readonly dueAt: Date | null;
  readonly overdueAt: Date;
  /** 'day': the step is due by dates (overdue from a day); 'exact': by the hour (red flags). */
  readonly granularity: 'day' | 'exact';
  /** Calendar days from the day it became overdue to today, in the clock's zone. */
  readonly daysOverdue: number;
  readonly riskRank: number;
  readonly riskTier: OverdueRiskTierId;
  readonly patientId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly identifierKind: string;
  readonly identifierValue: string;
  readonly nurseId: string | null;
  readonly nurseName: string | null;
}

export interface OverduePage {
  readonly rows: readonly OverdueRow[];
  /** Every overdue step that matches the filters. */
  readonly total: number;
  readonly totalsByTier: Readonly<Record<OverdueRiskTierId, number>>;
  readonly page: number;
  readonly pageSize: number;
  /** The last page that can be shown (bounded by OVERDUE_MAX_OFFSET). */
  readonly lastPage: number;
  /** True when more rows match than the pages can show. */
  readonly truncated: boolean;
}

/**
 * The order of a list of overdue steps. 'risk' (the default) is the domain's: highest risk tier
 * first, then the longest overdue. 'overdue' ignores the tiers and orders by how long the step has
 * been overdue: 'desc' the longest first, 'asc' the most recent first. Both are read from the
 * risk-order indexes without sorting the overdue set.
 */
export const OVERDUE_SORTS = ['risk', 'overdue'] as const;
export type OverdueSort = (typeof OVERDUE_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

export interface OverdueOrder {
  readonly sort?: OverdueSort;
  /** For 'overdue' only (default 'desc', the longest overdue first). */
  readonly direction?: SortDirection;
}

/** Where a keyset batch starts: after this row in risk order. */
export interface OverdueCursor {
  readonly riskRank: number;
  readonly overdueAt: Date;
  readonly episodeId: string;
  readonly stepKey: string;
}

function checkOrder(order: OverdueOrder): void {
  const problems: { path: string; message: string }[] = [];
  if (order.sort !== undefined && !OVERDUE_SORTS.includes(order.sort)) {
    problems.push({ path: 'sort', message: `must be one of ${OVERDUE_SORTS.join(', ')}` });
  }
  if (order.direction !== undefined && order.direction !== 'asc' && order.direction !== 'desc') {
    problems.push({ path: 'direction', message: 'must be asc or desc' });
  }
  if (problems.length > 0) throw RecordError.invalid(problems);
}

/** The most recently overdue first: the 'overdue' sort ascending by days overdue. */
const isRecentFirst = (order: OverdueOrder) =>
  order.sort === 'overdue' && order.direction === 'asc';

function checkFilters(filters: OverdueFilters, clock: OverdueClock): void {
  const problems: { path: string; message: string }[] = [];
  const days = filters.minDaysOverdue;
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > OVERDUE_MAX_DAYS)) {
    problems.push({
      path: 'minDaysOverdue',
      message: `must be a whole number of days from 0 to ${OVERDUE_MAX_DAYS}`,
    });
  }
  if (filters.stepId !== undefined && !/^[a-z0-9-]{1,100}$/.test(filters.stepId)) {
    problems.push({ path: 'stepId', message: 'must be a pathway step id, e.g. "dxa-scan"' });
  }
  if (Number.isNaN(clock.now.getTime())) problems.push({ path: 'now', message: 'is not a time' });
  if (problems.length > 0) throw RecordError.invalid(problems);
}

/** The filters as SQL conditions on plan_steps `s` (the same for counts, pages and batches). */
function conditions(filters: OverdueFilters, clock: OverdueClock): Prisma.Sql[] {
  const list = [Prisma.sql`s.status = 'overdue'`];
  if (filters.nurseId === null) list.push(Prisma.sql`s.nurse_id IS NULL`);
  else if (filters.nurseId !== undefined) list.push(Prisma.sql`s.nurse_id = ${filters.nurseId}`);
  if (filters.minDaysOverdue) {
    // At least N days overdue = it became overdue before the start of the local day N - 1 days
    // ago. A constant, so the index range on overdue_at applies.
    list.push(Prisma.sql`s.overdue_at < (((${clock.now}::timestamptz AT TIME ZONE ${clock.timeZone})::date
      - ${filters.minDaysOverdue}::int + 1)::timestamp AT TIME ZONE ${clock.timeZone})`);
  }
  return list;
}

/** Overdue steps per step id under the filters (an index-only scan of the status index). */
async function countsByStep(
  db: Queryable,
  filters: OverdueFilters,
  clock: OverdueClock,
): Promise<Map<string, number>> {
  const where = [...conditions(filters, clock)];
  if (filters.stepId !== undefined) where.push(Prisma.sql`s.step_id = ${filters.stepId}`);
  const rows = await db.$queryRaw<{ step_id: string; n: number }[]>`
    SELECT s.step_id, count(*)::int AS n FROM plan_steps s
    WHERE ${Prisma.join(where, ' AND ')}
    GROUP BY s.step_id`;
  return new Map(rows.map((row) => [row.step_id, row.n]));
}

/** A risk tier's step ids and how many of its steps match the filters. */
interface TierSlice {
  /** The tier's rank, or undefined for a slice across the tiers (the 'overdue' sort). */
  readonly rank: number | undefined;
  readonly stepIds: readonly string[];
  readonly count: number;
}

/** The step ids with matching rows, grouped by the domain's risk rank, highest risk first. */
function tiersOf(counts: ReadonlyMap<string, number>): (TierSlice & { readonly rank: number })[] {
  const ranks = overdueRiskRanks();
  const byRank = new Map<number, { stepIds: string[]; count: number }>();
  for (const [stepId, n] of counts) {
    const rank = overdueRiskRankOf(stepId, ranks);
    const tier = byRank.get(rank) ?? { stepIds: [], count: 0 };
    tier.stepIds.push(stepId);
    tier.count += n;
    byRank.set(rank, tier);
  }
  return [...byRank.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rank, tier]) => ({ rank, stepIds: tier.stepIds.sort(), count: tier.count }));
}

/** The slices a list is read in: the tiers in risk order, or one slice of every step. */
function slicesOf(tiers: readonly TierSlice[], order: OverdueOrder): TierSlice[] {
  if ((order.sort ?? 'risk') === 'risk') return [...tiers];
  const stepIds = tiers.flatMap((tier) => tier.stepIds).sort();
  const count = tiers.reduce((sum, tier) => sum + tier.count, 0);
  return stepIds.length > 0 ? [{ rank: undefined, stepIds, count }] : [];
}

interface OverdueSqlRow {
  episode_id: string;
  key: string;
  step_id: string;
  title: string;
  category: string;
  status: string;
  urgent: boolean;
  reason: string;
  due_at: Date | null;
  overdue_at: Date;
  granularity: 'day' | 'exact' | null;
  nurse_id: string | null;
  days_overdue: number;
  patient_id: string;
  given_name: string;
  family_name: string;
  identifier_kind: string;
  identifier_value: string;
  nurse_name: string | null;
}

/**
 * Rows of one risk tier (or of every tier, for the 'overdue' sort), longest overdue first (or,
 * descending, the most recent first). Each step id is its own subquery in the order of the index
 * plan_steps(status, step_id, overdue_at, episode_id, key, nurse_id) (or, for one nurse,
 * plan_steps(nurse_id, status, step_id, overdue_at, episode_id, key)), reading and filtering only
 * indexed columns, so PostgreSQL merges them (Merge Append) and stops at the limit; the page's
 * rows are then joined to their step, patient and nurse by primary key. `after` continues a
 * keyset read.
 */
async function tierRows(
  db: Queryable,
  tier: TierSlice,
  filters: OverdueFilters,
  clock: OverdueClock,
  window: { limit: number; offset: number; after?: OverdueCursor; recentFirst?: boolean },
): Promise<OverdueRow[]> {
  const dir = window.recentFirst ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const ranks = overdueRiskRanks();
  const branches = tier.stepIds.map((stepId) => {
    const where = [...conditions(filters, clock), Prisma.sql`s.step_id = ${stepId}`];
    const { after } = window;
    if (after) {
      const key = Prisma.sql`(${after.overdueAt}::timestamptz, ${after.episodeId}, ${after.stepKey})`;
      where.push(
        window.recentFirst
          ? Prisma.sql`(s.overdue_at, s.episode_id, s.key) < ${key}`
          : Prisma.sql`(s.overdue_at, s.episode_id, s.key) > ${key}`,
      );
    }
    return Prisma.sql`(SELECT s.overdue_at, s.episode_id, s.key FROM plan_steps s
      WHERE ${Prisma.join(where, ' AND ')} ORDER BY s.overdue_at ${dir}, s.episode_id ${dir}, s.key ${dir})`;
  });
  const rows = await db.$queryRaw<OverdueSqlRow[]>`
    WITH page AS (
      SELECT * FROM (${Prisma.join(branches, ' UNION ALL ')}) merged
      ORDER BY overdue_at ${dir}, episode_id ${dir}, key ${dir} LIMIT ${window.limit} OFFSET ${window.offset}
    )
    SELECT s.episode_id, s.key, s.step_id, s.title, s.category, s.status, s.urgent, s.reason,
      s.due_at, s.overdue_at, s."window"->>'granularity' AS granularity, s.nurse_id,
      ((${clock.now}::timestamptz AT TIME ZONE ${clock.timeZone})::date
        - (s.overdue_at AT TIME ZONE ${clock.timeZone})::date)::int AS days_overdue,
      p.id AS patient_id, p.given_name, p.family_name, p.identifier_kind, p.identifier_value,
      u.name AS nurse_name
    FROM page
    JOIN plan_steps s ON s.episode_id = page.episode_id AND s.key = page.key
    JOIN episodes e ON e.id = s.episode_id
    JOIN patients p ON p.id = e.patient_id
    LEFT JOIN users u ON u.id = s.nurse_id
    ORDER BY page.overdue_at ${dir}, page.episode_id ${dir}, page.key ${dir}`;
  return rows.map((row) => {
    const rank = tier.rank ?? overdueRiskRankOf(row.step_id, ranks);
    return {
      episodeId: row.episode_id,
      stepKey: row.key,
      stepId: row.step_id,
      title: row.title,
      category: row.category,
      status: row.status,
      urgent: row.urgent,
      reason: row.reason,
      dueAt: row.due_at,
      overdueAt: row.overdue_at,
      granularity: row.granularity === 'exact' ? 'exact' : 'day',
      daysOverdue: row.days_overdue,
      riskRank: rank,
      riskTier: overdueRiskTierOfRank(rank).id,
      patientId: row.patient_id,
      givenName: row.given_name,
      familyName: row.family_name,
      identifierKind: row.identifier_kind,
      identifierValue: row.identifier_value,
      nurseId: row.nurse_id,
      nurseName: row.nurse_name,
    };
  });
}

/**
 * One page of overdue steps, highest risk first (or in the order asked for), with the totals per
 * risk tier.
 */
export async function overdueSteps(
  db: Queryable,
  filters: OverdueFilters,
  clock: OverdueClock,
  paging: { readonly page?: number; readonly pageSize?: number } = {},
  order: OverdueOrder = {},
): Promise<OverduePage> {
  checkFilters(filters, clock);
  checkOrder(order);
  const pageSize = Math.min(Math.max(Math.trunc(paging.pageSize ?? OVERDUE_PAGE_SIZE), 1), 200);
  const tiers = tiersOf(await countsByStep(db, filters, clock));
  const totalsByTier = Object.fromEntries(OVERDUE_RISK_TIERS.map((t) => [t.id, 0])) as Record<
    OverdueRiskTierId,
    number
  >;
  let total = 0;
  for (const tier of tiers) {
    totalsByTier[overdueRiskTierOfRank(tier.rank).id] += tier.count;
    total += tier.count;
  }
  const servable = Math.min(total, OVERDUE_MAX_OFFSET + pageSize);
  const lastPage = Math.max(1, Math.ceil(servable / pageSize));
  const page = Math.min(Math.max(Math.trunc(paging.page ?? 1), 1), lastPage);

  // The page may start in one tier and end in the next: take what each tier holds of it.
  const rows: OverdueRow[] = [];
  let skip = (page - 1) * pageSize;
  const recentFirst = isRecentFirst(order);
  for (const tier of slicesOf(tiers, order)) {
    const wanted = pageSize - rows.length;
    if (wanted <= 0) break;
    if (skip >= tier.count) {
      skip -= tier.count;
      continue;
    }
    rows.push(
      ...(await tierRows(db, tier, filters, clock, {
        limit: Math.min(wanted, tier.count - skip),
        offset: skip,
        recentFirst,
      })),
    );
    skip = 0;
  }
  return { rows, total, totalsByTier, page, pageSize, lastPage, truncated: total > servable };
}

/**
 * Every overdue step under the filters, highest risk first, in batches read by keyset (each batch
 * starts after the last row of the one before), so an export of any size holds one batch at a
 * time. A row that changes while the export runs is read as it is when its batch is read.
 */
export async function* overdueStepBatches(
  db: Queryable,
  filters: OverdueFilters,
  clock: OverdueClock,
  batchSize = 1_000,
  order: OverdueOrder = {},
): AsyncGenerator<OverdueRow[]> {
  checkFilters(filters, clock);
  checkOrder(order);
  const tiers = tiersOf(await countsByStep(db, filters, clock));
  const recentFirst = isRecentFirst(order);
  for (const tier of slicesOf(tiers, order)) {
    let after: OverdueCursor | undefined;
    for (;;) {
      const rows = await tierRows(db, tier, filters, clock, {
        limit: batchSize,
        offset: 0,
        recentFirst,
        ...(after ? { after } : {}),
      });
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) break;
      const last = rows[rows.length - 1] as OverdueRow;
      after = {
        riskRank: last.riskRank,
        overdueAt: last.overdueAt,
        episodeId: last.episodeId,
        stepKey: last.stepKey,
      };
    }
  }
}

/** The domain's order, for checking that the SQL keeps it. */
export const compareOverdueRows = (a: OverdueRow, b: OverdueRow) =>
  compareOverdueRisk(
    { stepId: a.stepId, overdueAt: a.overdueAt.getTime(), episodeId: a.episodeId, key: a.stepKey },
    { stepId: b.stepId, overdueAt: b.overdueAt.getTime(), episodeId: b.episodeId, key: b.stepKey },
  );
