// What a nurse's caseload and worklist pages show, read in a bounded number of index-backed
// queries whatever the caseload's size. The pathway's own words come from packages/domain: the
// phase limits, the pain bands and which entries still count after corrections.
import {
  ACTIVE_STEP_STATUSES,
  type ClinicalEvent,
  DEFAULT_SERVICE_SETTINGS,
  findPathway,
  fractureDatesInPhase,
  normaliseNhsNumber,
  type PainSummary,
  type Phase,
  painSummary,
  pathwayVersions,
  phaseOf,
  serviceCalendar,
  textProblem,
} from '@vfx/domain';
import type { Database } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';

const DAY_MS = 86_400_000;
/** The pathway counts days since fracture on the service's calendar. */
const calendar = serviceCalendar(DEFAULT_SERVICE_SETTINGS);
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

const CASELOAD_MAX_PAGE_SIZE = 100;

export const CASELOAD_SORTS = ['next-due', 'name', 'fracture'] as const;
export type CaseloadSort = (typeof CASELOAD_SORTS)[number];

export interface CaseloadQuery {
  /** Whose caseload; undefined for every caseload (administrators). */
  readonly nurseId?: string;
  /** Part of a name (each word starts a given or family name) or an NHS number / MRN. */
  readonly search?: string;
  readonly phase?: Phase;
  /** Only patients with at least one overdue step. */
  readonly overdueOnly?: boolean;
  /** Include closed episodes (discharged, transferred, died). */
  readonly includeClosed?: boolean;
  readonly sort?: CaseloadSort;
  /**
   * 'asc' (the default) is each sort's natural order: soonest due, A to Z, the most recent
   * fracture first; 'desc' reverses it, every column of the order included.
   */
  readonly direction?: 'asc' | 'desc';
  readonly page?: number;
  readonly pageSize?: number;
  readonly now: Date;
  /** False to leave out the count of every match (the export's later batches need none). */
  readonly countTotal?: boolean;
}

export interface CaseloadRow {
  readonly episodeId: string;
  readonly patientId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly identifierKind: string;
  readonly identifierValue: string;
  readonly dateOfBirth: string;
  readonly fractureDate: string;
  readonly daysSinceFracture: number;
  readonly phase: Phase;
  readonly closedAt: Date | null;
  readonly closureReason: string | null;
  readonly nurseName: string | null;
  readonly nextStep:
    | {
        readonly key: string;
        readonly title: string;
        readonly status: string;
        readonly urgent: boolean;
        readonly dueAt: Date;
        readonly overdueAt: Date | null;
      }
    | undefined;
  readonly overdueSteps: number;
  readonly pain: PainSummary | undefined;
}

export interface CaseloadPage {
  readonly rows: readonly CaseloadRow[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/** SQL that keeps episodes in one phase, using each pathway version's own day limits. */
function phaseCondition(phase: Phase, today: string): Prisma.Sql {
  const perVersion = pathwayVersions().flatMap((version) => {
    const phases = findPathway(version)?.phases;
    if (!phases) return [];
    const { after, onOrBefore } = fractureDatesInPhase(phases, phase, today);
    const limits = [
      Prisma.sql`e.pathway_version = ${version}`,
      ...(after ? [Prisma.sql`e.fracture_date > ${after}::date`] : []),
      ...(onOrBefore ? [Prisma.sql`e.fracture_date <= ${onOrBefore}::date`] : []),
    ];
    return [Prisma.sql`(${Prisma.join(limits, ' AND ')})`];
  });
  return Prisma.sql`(${Prisma.join(perVersion, ' OR ')})`;
}

/** A search term as SQL: an NHS number or MRN matches exactly, words match name beginnings. */
function searchCondition(search: string): Prisma.Sql | undefined {
  const term = search.trim();
  if (!term) return undefined;
  const digits = term.replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(digits)) {
    return Prisma.sql`(p.identifier_kind = 'nhs-number' AND p.identifier_value = ${normaliseNhsNumber(digits)})`;
  }
  const words = term.split(/\s+/).filter(Boolean).slice(0, 4);
  const escapeLike = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);
  const byWord = words.map(
    (word) =>
      // A word starts a given name, a family name, or a part of one ("Lark" in "Wren-Lark").
      Prisma.sql`(p.given_name ILIKE ${`${escapeLike(word)}%`} OR p.family_name ILIKE ${`${escapeLike(word)}%`} OR p.family_name ILIKE ${`% ${escapeLike(word)}%`} OR p.family_name ILIKE ${`%-${escapeLike(word)}%`})`,
  );
  const identifier = Prisma.sql`upper(p.identifier_value) = ${term.toUpperCase()}`;
  return Prisma.sql`((${Prisma.join(byWord, ' AND ')}) OR ${identifier})`;
}

interface CaseloadSqlRow {
  episode_id: string;
  patient_id: string;
  given_name: string;
  family_name: string;
  identifier_kind: string;
  identifier_value: string;
  date_of_birth: Date;
  fracture_date: Date;
  pathway_version: string;
  closed_at: Date | null;
  closure_reason: string | null;
  nurse_name: string | null;
  next_key: string | null;
  next_title: string | null;
  next_status: string | null;
  next_urgent: boolean | null;
  next_due_at: Date | null;
  next_overdue_at: Date | null;
  overdue_steps: number;
}

/** The ORDER BY columns of a sort: choosing the page (`e`, `p`) and listing it (`c`). */
function caseloadOrder(sort: CaseloadSort, direction: 'asc' | 'desc'): [Prisma.Sql, Prisma.Sql] {
  const columns: Record<CaseloadSort, [string, string, 'ASC' | 'DESC', string?][]> = {
    'next-due': [
      ['e.next_due_at', 'c.summary_due_at', 'ASC', 'NULLS LAST'],
      ['p.family_name', 'c.family_name', 'ASC'],
      ['e.id', 'c.episode_id', 'ASC'],
    ],
    name: [
      ['p.family_name', 'c.family_name', 'ASC'],
      ['p.given_name', 'c.given_name', 'ASC'],
      ['e.id', 'c.episode_id', 'ASC'],
    ],
    fracture: [
      ['e.fracture_date', 'c.fracture_date', 'DESC'],
      ['e.id', 'c.episode_id', 'ASC'],
    ],
  };
  const flip = (dir: 'ASC' | 'DESC') => (dir === 'ASC' ? 'DESC' : 'ASC');
  const nulls = (text: string | undefined) =>
    text && direction === 'desc' ? 'NULLS FIRST' : (text ?? '');
  const list = (which: 0 | 1) =>
    Prisma.raw(
      columns[sort]
        .map((column) =>
          `${column[which]} ${direction === 'desc' ? flip(column[2]) : column[2]} ${nulls(column[3])}`.trim(),
        )
        .join(', '),
    );
  return [list(0), list(1)];
}

const ACTIVE = Prisma.sql`(${Prisma.join(ACTIVE_STEP_STATUSES)})`;

export async function caseload(db: Database, query: CaseloadQuery): Promise<CaseloadPage> {
  const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), CASELOAD_MAX_PAGE_SIZE);
  const page = Math.max(query.page ?? 1, 1);
  const todayDate = calendar.localDate(query.now.getTime());
  const today = dayNumber(todayDate);
  const conditions: Prisma.Sql[] = [];
  if (query.nurseId) conditions.push(Prisma.sql`p.nurse_id = ${query.nurseId}`);
  if (!query.includeClosed) conditions.push(Prisma.sql`e.closed_at IS NULL`);
  const searchProblem = query.search ? textProblem(query.search) : undefined;
  if (searchProblem) throw RecordError.invalid([{ path: 'search', message: searchProblem }]);
  const search = query.search ? searchCondition(query.search) : undefined;
  if (search) conditions.push(search);
  if (query.phase) conditions.push(phaseCondition(query.phase, todayDate));
  if (query.overdueOnly) conditions.push(Prisma.sql`e.overdue_steps > 0`);
  const where =
    conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  // The soonest due step first puts overdue work at the top (it was due longest ago). The same
  // order twice: choosing the page, then listing it. Reversed, every column is reversed, so the
  // same indexes are read backwards.
  const [inner, outer] = caseloadOrder(query.sort ?? 'next-due', query.direction ?? 'asc');

  // One page of the caseload is chosen from the episodes' own plan summary (kept by triggers on
  // plan_steps; index on patients.nurse_id, or episodes.next_due_at across caseloads); only that
  // page's next steps are then read from plan_steps (index on episode_id, due_at).
  const rows = await db.$queryRaw<CaseloadSqlRow[]>`
    WITH c AS (
      SELECT e.id AS episode_id, p.id AS patient_id, p.given_name, p.family_name,
             p.identifier_kind, p.identifier_value, p.date_of_birth, e.fracture_date,
             e.pathway_version, e.closed_at, e.closure_reason, p.nurse_id,
             e.next_due_at AS summary_due_at, e.overdue_steps
      FROM patients p JOIN episodes e ON e.patient_id = p.id
      ${where}
      ORDER BY ${inner}
      LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}
    )
    SELECT c.*, u.name AS nurse_name,
           nxt.key AS next_key, nxt.title AS next_title, nxt.status AS next_status,
           nxt.urgent AS next_urgent, nxt.due_at AS next_due_at, nxt.overdue_at AS next_overdue_at
    FROM c
    LEFT JOIN users u ON u.id = c.nurse_id
    LEFT JOIN LATERAL (
      SELECT s.key, s.title, s.status, s.urgent, s.due_at, s.overdue_at FROM plan_steps s
      WHERE s.episode_id = c.episode_id AND s.status IN ${ACTIVE} AND s.due_at IS NOT NULL
      ORDER BY s.due_at, s.key LIMIT 1
    ) nxt ON true
    ORDER BY ${outer}`;
  const [{ total } = { total: 0n }] =
    query.countTotal === false
      ? []
      : await db.$queryRaw<{ total: bigint }[]>`
    SELECT count(*) AS total FROM patients p JOIN episodes e ON e.patient_id = p.id ${where}`;

  const pains = await painSummaries(
    db,
    rows.map((row) => ({
      episodeId: row.episode_id,
      pathwayVersion: row.pathway_version,
      fractureDate: row.fracture_date.toISOString().slice(0, 10),
    })),
    query.now,
  );
  return {
    rows: rows.map((row) => {
      const fractureDate = row.fracture_date.toISOString().slice(0, 10);
      const daysSinceFracture = today - dayNumber(fractureDate);
      const definition = findPathway(row.pathway_version);
      return {
        episodeId: row.episode_id,
        patientId: row.patient_id,
        givenName: row.given_name,
        familyName: row.family_name,
        identifierKind: row.identifier_kind,
        identifierValue: row.identifier_value,
        dateOfBirth: row.date_of_birth.toISOString().slice(0, 10),
        fractureDate,
        daysSinceFracture,
        phase: definition ? phaseOf(definition.phases, daysSinceFracture) : 'chronic',
        closedAt: row.closed_at,
        closureReason: row.closure_reason,
        nurseName: row.nurse_name,
        nextStep:
          row.next_key && row.next_due_at
            ? {
                key: row.next_key,
                title: row.next_title ?? row.next_key,
                status: row.next_status ?? 'upcoming',
                urgent: row.next_urgent ?? false,
                dueAt: row.next_due_at,
                overdueAt: row.next_overdue_at,
              }
            : undefined,
        overdueSteps: row.overdue_steps,
        pain: pains.get(row.episode_id),
      };
    }),
    total: Number(total),
    page,
    pageSize,
  };
}

/**
 * Every episode of a caseload under the filters, in the page's order, a page of 100 at a time,
 * for the CSV export. Pages are read by offset (the orders mix directions and NULLs, which a
 * keyset would have to spell out per sort); one nurse's caseload is a few dozen pages.
 */
export async function* caseloadBatches(
  db: Database,
  query: Omit<CaseloadQuery, 'page' | 'pageSize' | 'countTotal'>,
): AsyncGenerator<CaseloadRow[]> {
  for (let page = 1; ; page += 1) {
    const { rows } = await caseload(db, {
      ...query,
      page,
      pageSize: CASELOAD_MAX_PAGE_SIZE,
      countTotal: false,
    });
    if (rows.length > 0) yield [...rows];
    if (rows.length < CASELOAD_MAX_PAGE_SIZE) return;
  }
}

/**
 * Latest pain, its date and age (stale beyond the pathway version's limit) and its trend for a
 * page of episodes: their pain assessments and anything that could withdraw or correct one, in
 * one query (index on clinical_events episode_id, sequence).
 */
async function painSummaries(
  db: Database,
  episodes: readonly { episodeId: string; pathwayVersion: string; fractureDate: string }[],
  now: Date,
): Promise<Map<string, PainSummary>> {
  if (episodes.length === 0) return new Map();
  const events = await db.clinicalEvent.findMany({
    where: {
      episodeId: { in: episodes.map((e) => e.episodeId) },
      OR: [{ type: 'pain-assessment' }, { type: 'retraction' }],
    },
    select: { episodeId: true, data: true },
    orderBy: { sequence: 'asc' },
  });
  const byEpisode = new Map<string, ClinicalEvent[]>();
  for (const row of events) {
    const list = byEpisode.get(row.episodeId) ?? [];
    list.push(row.data as unknown as ClinicalEvent);
    byEpisode.set(row.episodeId, list);
  }
  const summaries = new Map<string, PainSummary>();
  for (const { episodeId, pathwayVersion, fractureDate } of episodes) {
    const definition = findPathway(pathwayVersion);
    const summary =
      definition &&
      painSummary(byEpisode.get(episodeId) ?? [], definition, {
        asOf: now.getTime(),
        fractureDate,
        calendar,
      });
    if (summary) summaries.set(episodeId, summary);
  }
  return summaries;
}
