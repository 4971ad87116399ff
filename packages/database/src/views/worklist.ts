// A nurse's worklist: what is overdue (in the domain's risk order, read as the overdue list reads
// it), then what is due and not yet overdue, grouped by the day it fell due in the nurse's time
// zone: earlier than today, today, and in the next 7 days. Each group is one range scan of
// plan_steps (nurse_id, status, due_at) cut at the limit, and a grouped count of the same range,
// so the headings' counts are the counts of the rows under them.
import { ACTIVE_STEP_STATUSES, type OverdueRiskTierId } from '@vfx/domain';
import type { Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';
import {
  type OverdueOrder,
  type OverdueRow,
  overdueStepBatches,
  overdueSteps,
  type SortDirection,
} from './overdue.js';

export const WORKLIST_LIMIT = 100;
/** How many days after today "coming" reaches. */
export const WORKLIST_DAYS_AHEAD = 7;
/** The most rows of one due group an export holds (a group is one nurse's, so far fewer). */
const WORKLIST_EXPORT_GROUP_MAX = 50_000;

/**
 * 'risk' (the default): overdue steps in the domain's risk order, the others soonest due first.
 * 'when': every group by its date ('asc' the earliest first).
 */
export const WORKLIST_SORTS = ['risk', 'when'] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];

export interface WorklistQuery {
  readonly nurseId: string;
  readonly now: Date;
  /** The zone whose calendar decides "today" (the user's). */
  readonly timeZone: string;
  readonly limit?: number;
  readonly sort?: WorklistSort;
  readonly direction?: SortDirection;
}

export interface WorklistItem {
  readonly episodeId: string;
  readonly patientId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly identifierKind: string;
  readonly identifierValue: string;
  readonly stepKey: string;
  readonly stepId: string;
  readonly title: string;
  readonly status: string;
  readonly urgent: boolean;
  readonly reason: string;
  readonly dueAt: Date | null;
  readonly overdueAt: Date | null;
  /** For overdue steps: the domain's risk tier. */
  readonly riskTier?: OverdueRiskTierId;
}

export interface WorklistSection {
  readonly items: readonly WorklistItem[];
  /** Every step of the group (the items are the first `limit` of them). */
  readonly total: number;
}

export interface Worklist {
  readonly overdue: WorklistSection & {
    readonly totalsByTier: Readonly<Record<OverdueRiskTierId, number>>;
  };
  /** Fell due on an earlier day and is not overdue yet. */
  readonly dueEarlier: WorklistSection;
  /** Falls due today. */
  readonly dueToday: WorklistSection;
  /** Falls due in the next WORKLIST_DAYS_AHEAD days after today. */
  readonly coming: WorklistSection;
}

/** The active statuses short of overdue, as packages/domain lists them. */
const NOT_OVERDUE = ACTIVE_STEP_STATUSES.filter((status) => status !== 'overdue');

type Group = 'earlier' | 'today' | 'coming';

interface WorklistSqlRow {
  episode_id: string;
  key: string;
  step_id: string;
  title: string;
  status: string;
  urgent: boolean;
  reason: string;
  due_at: Date | null;
  overdue_at: Date | null;
  patient_id: string;
  given_name: string;
  family_name: string;
  identifier_kind: string;
  identifier_value: string;
}

function check(query: WorklistQuery): void {
  const problems: { path: string; message: string }[] = [];
  if (!query.nurseId) problems.push({ path: 'nurseId', message: 'is required' });
  if (Number.isNaN(query.now.getTime())) problems.push({ path: 'now', message: 'is not a time' });
  if (query.sort !== undefined && !WORKLIST_SORTS.includes(query.sort)) {
    problems.push({ path: 'sort', message: `must be one of ${WORKLIST_SORTS.join(', ')}` });
  }
  if (query.direction !== undefined && query.direction !== 'asc' && query.direction !== 'desc') {
    problems.push({ path: 'direction', message: 'must be asc or desc' });
  }
  if (problems.length > 0) throw RecordError.invalid(problems);
}

/** The start of the local day `days` after today, as a constant SQL instant (index ranges apply). */
const dayStart = (query: WorklistQuery, days: number) =>
  Prisma.sql`(((${query.now}::timestamptz AT TIME ZONE ${query.timeZone})::date + ${days}::int)::timestamp AT TIME ZONE ${query.timeZone})`;

function groupRange(query: WorklistQuery, group: Group): Prisma.Sql {
  switch (group) {
    case 'earlier':
      return Prisma.sql`s.due_at < ${dayStart(query, 0)}`;
    case 'today':
      return Prisma.sql`s.due_at >= ${dayStart(query, 0)} AND s.due_at < ${dayStart(query, 1)}`;
    case 'coming':
      return Prisma.sql`s.due_at >= ${dayStart(query, 1)} AND s.due_at < ${dayStart(query, WORKLIST_DAYS_AHEAD + 1)}`;
  }
}

const base = (query: WorklistQuery) =>
  Prisma.sql`s.nurse_id = ${query.nurseId} AND s.status IN (${Prisma.join(NOT_OVERDUE)})
    AND e.closed_at IS NULL`;

async function groupRows(
  db: Queryable,
  query: WorklistQuery,
  group: Group,
  limit: number,
): Promise<WorklistItem[]> {
  const dir =
    query.sort === 'when' && query.direction === 'desc' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await db.$queryRaw<WorklistSqlRow[]>`
    SELECT s.episode_id, s.key, s.step_id, s.title, s.status, s.urgent, s.reason, s.due_at,
      s.overdue_at, p.id AS patient_id, p.given_name, p.family_name, p.identifier_kind,
      p.identifier_value
    FROM plan_steps s
    JOIN episodes e ON e.id = s.episode_id
    JOIN patients p ON p.id = e.patient_id
    WHERE ${base(query)} AND ${groupRange(query, group)}
    ORDER BY s.due_at ${dir}, s.episode_id ${dir}, s.key ${dir}
    LIMIT ${limit}`;
  return rows.map((row) => ({
    episodeId: row.episode_id,
    patientId: row.patient_id,
    givenName: row.given_name,
    familyName: row.family_name,
    identifierKind: row.identifier_kind,
    identifierValue: row.identifier_value,
    stepKey: row.key,
    stepId: row.step_id,
    title: row.title,
    status: row.status,
    urgent: row.urgent,
    reason: row.reason,
    dueAt: row.due_at,
    overdueAt: row.overdue_at,
  }));
}

async function groupCounts(db: Queryable, query: WorklistQuery): Promise<Record<Group, number>> {
  const rows = await db.$queryRaw<{ grp: Group; n: number }[]>`
    SELECT CASE WHEN s.due_at < ${dayStart(query, 0)} THEN 'earlier'
                WHEN s.due_at < ${dayStart(query, 1)} THEN 'today'
                ELSE 'coming' END AS grp,
           count(*)::int AS n
    FROM plan_steps s JOIN episodes e ON e.id = s.episode_id
    WHERE ${base(query)} AND s.due_at < ${dayStart(query, WORKLIST_DAYS_AHEAD + 1)}
    GROUP BY 1`;
  const counts: Record<Group, number> = { earlier: 0, today: 0, coming: 0 };
  for (const row of rows) counts[row.grp] = row.n;
  return counts;
}

/** How the worklist's date order maps onto the overdue list's (earliest date = longest overdue). */
export function overdueOrderOf(query: Pick<WorklistQuery, 'sort' | 'direction'>): OverdueOrder {
  if (query.sort !== 'when') return { sort: 'risk' };
  return { sort: 'overdue', direction: query.direction === 'desc' ? 'asc' : 'desc' };
}

const itemOfOverdue = (row: OverdueRow): WorklistItem => ({
  episodeId: row.episodeId,
  patientId: row.patientId,
  givenName: row.givenName,
  familyName: row.familyName,
  identifierKind: row.identifierKind,
  identifierValue: row.identifierValue,
  stepKey: row.stepKey,
  stepId: row.stepId,
  title: row.title,
  status: row.status,
  urgent: row.urgent,
  reason: row.reason,
  dueAt: row.dueAt,
  overdueAt: row.overdueAt,
  riskTier: row.riskTier,
});

/**
 * Whether the user holds a caseload of their own (any patient, open or closed, is theirs). An
 * administrator may hold none; their worklist then says so instead of "nothing is overdue".
 */
export async function holdsCaseload(db: Queryable, userId: string): Promise<boolean> {
  const patient = await db.patient.findFirst({ where: { nurseId: userId }, select: { id: true } });
  return patient !== null;
}

export async function worklist(db: Queryable, query: WorklistQuery): Promise<Worklist> {
  check(query);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? WORKLIST_LIMIT), 1), 200);
  const overdue = await overdueSteps(
    db,
    { nurseId: query.nurseId },
    { now: query.now, timeZone: query.timeZone },
    { page: 1, pageSize: limit },
    overdueOrderOf(query),
  );
  const counts = await groupCounts(db, query);
  const section = async (group: Group): Promise<WorklistSection> => ({
    items: counts[group] > 0 ? await groupRows(db, query, group, limit) : [],
    total: counts[group],
  });
  return {
    overdue: {
      items: overdue.rows.map(itemOfOverdue),
      total: overdue.total,
      totalsByTier: overdue.totalsByTier,
    },
    dueEarlier: await section('earlier'),
    dueToday: await section('today'),
    coming: await section('coming'),
  };
}

/** A group of the worklist, all of it, for the CSV export (bounded by one nurse's caseload). */
export async function* worklistExportBatches(
  db: Queryable,
  query: WorklistQuery,
): AsyncGenerator<{ group: 'overdue' | Group; items: WorklistItem[] }> {
  check(query);
  for await (const rows of overdueStepBatches(
    db,
    { nurseId: query.nurseId },
    { now: query.now, timeZone: query.timeZone },
    1_000,
    overdueOrderOf(query),
  )) {
    yield { group: 'overdue', items: rows.map(itemOfOverdue) };
  }
  for (const group of ['earlier', 'today', 'coming'] as const) {
    const items = await groupRows(db, query, group, WORKLIST_EXPORT_GROUP_MAX);
    if (items.length > 0) yield { group, items };
  }
}
