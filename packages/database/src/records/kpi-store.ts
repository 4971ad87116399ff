// Each episode's KPI results (table episode_kpis), kept in step with its plan: the write path
// computes them with packages/domain (episodeKpiRecord) from the plan it has just stored and
// writes them in the same transaction, so the KPI page only adds stored rows up. Decides nothing
// clinical: how an episode counts is the domain's.
//
// Writers: enrolPatient(s) and recordEvent from the plan in memory; fireFollowUps and the rebuild
// (for episodes stored before this table, or under an older KPI_LOGIC_VERSION) from the stored
// plan steps and events, through refreshEpisodeKpis.
import {
  type ClinicalEvent,
  DEFAULT_SERVICE_SETTINGS,
  type EpisodeKpiInput,
  episodeKpiRecord,
  KPI_EVENT_TYPES,
  KPI_FIELD_IDS,
  KPI_IDS,
  KPI_LOGIC_VERSION,
  type KpiResult,
  type KpiStep,
  kpiStepIds,
  type ServiceSettings,
  type StepStatus,
} from '@vfx/domain';
import type { Database, Queryable } from '../client.js';

/** Result codes in episode_kpis (see the model's comment in prisma/schema.prisma). */
export const RESULT_CODES: Readonly<Record<KpiResult, number>> = {
  met: 1,
  'not-met': 2,
  excluded: 3,
  pending: 4,
};
const RESULT_OF = new Map(Object.entries(RESULT_CODES).map(([r, c]) => [c, r as KpiResult]));

const snake = (id: string) => id.replaceAll('-', '_');
/** The column of each measure and field (its `_until` column beside it). */
export const KPI_COLUMNS = KPI_IDS.map((id) => ({ id, column: `k_${snake(id)}` }));
export const FIELD_COLUMNS = KPI_FIELD_IDS.map((id) => ({ id, column: `f_${snake(id)}` }));
const RESULT_COLUMNS = [...KPI_COLUMNS, ...FIELD_COLUMNS].map((c) => c.column);

/** What the domain needs of an episode, besides its settings. */
export type EpisodeKpiSource = Omit<EpisodeKpiInput, 'asOf' | 'settings' | 'pathways'> & {
  readonly episodeId: string;
  /** The fracture date as corrected (YYYY-MM-DD), the KPI period's filter. */
  readonly fractureDate: string;
};

/** One episode_kpis row, column name to value, as the domain measures the episode. */
export function episodeKpiRow(
  source: EpisodeKpiSource,
  settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS,
): Record<string, string | number | null> {
  const record = episodeKpiRecord({ ...source, settings });
  const row: Record<string, string | number | null> = {
    episode_id: source.episodeId,
    fracture_date: source.fractureDate,
    pathway_version: record.pathwayVersion,
    logic_version: KPI_LOGIC_VERSION,
  };
  const put = (column: string, result: KpiResult, until: string | undefined) => {
    row[column] = RESULT_CODES[result];
    row[`${column}_until`] = result === 'pending' ? (until ?? null) : null;
  };
  KPI_COLUMNS.forEach(({ column }, i) => {
    const o = record.outcomes[i];
    if (!o || o.kpi !== KPI_IDS[i]) throw new Error(`KPI outcome ${i} is not ${KPI_IDS[i]}`);
    put(column, o.result, o.until);
  });
  FIELD_COLUMNS.forEach(({ column }, i) => {
    const f = record.fields[i];
    if (!f || f.field !== KPI_FIELD_IDS[i])
      throw new Error(`KPI field ${i} is not ${KPI_FIELD_IDS[i]}`);
    put(column, f.result, f.until);
  });
  return row;
}

const COLUMNS = [
  ['episode_id', 'text'],
  ['fracture_date', 'date'],
  ['pathway_version', 'text'],
  ['logic_version', 'integer'],
  ...RESULT_COLUMNS.flatMap((c) => [
    [c, 'smallint'],
    [`${c}_until`, 'date'],
  ]),
] as const;

const UPSERT = `INSERT INTO episode_kpis (${COLUMNS.map(([c]) => `"${c}"`).join(', ')}, updated_at)
  SELECT ${COLUMNS.map(([c]) => `r."${c}"`).join(', ')}, now()
  FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(', ')})
  ON CONFLICT (episode_id) DO UPDATE SET ${COLUMNS.slice(1)
    .map(([c]) => `"${c}" = EXCLUDED."${c}"`)
    .join(', ')}, updated_at = now()`;

/** Writes (or rewrites) episodes' KPI rows in one statement. */
export async function storeEpisodeKpis(
  tx: Queryable,
  sources: readonly EpisodeKpiSource[],
  settings?: ServiceSettings,
): Promise<void> {
  if (sources.length === 0) return;
  const rows = sources.map((source) => episodeKpiRow(source, settings));
  await tx.$executeRawUnsafe(UPSERT, JSON.stringify(rows));
}

interface EpisodeSqlRow {
  id: string;
  pathway_version: string;
  fracture_date: string;
  closed_at: Date | null;
  closure_reason: string | null;
  identifier_kind: 'nhs-number' | 'mrn';
}
interface StepSqlRow {
  episode_id: string;
  step_id: string;
  status: string;
  granularity: 'day' | 'exact' | null;
  due: string | null;
  completion: KpiStep['completion'] | null;
}
interface EventSqlRow {
  episode_id: string;
  data: ClinicalEvent;
}

/**
 * What the measures read of these episodes, from what is stored: the episode, the patient's
 * identifier kind, the KPI plan steps and the events the measures read.
 */
export async function loadEpisodeKpiSources(
  db: Queryable,
  episodeIds: readonly string[],
): Promise<EpisodeKpiSource[]> {
  if (episodeIds.length === 0) return [];
  const ids = [...episodeIds];
  const episodes = await db.$queryRaw<EpisodeSqlRow[]>`
    SELECT e.id, e.pathway_version, to_char(e.fracture_date, 'YYYY-MM-DD') AS fracture_date,
      e.closed_at, e.closure_reason, p.identifier_kind
    FROM episodes e JOIN patients p ON p.id = e.patient_id
    WHERE e.id = ANY(${ids})`;
  const stepIds = kpiStepIds();
  // These steps are episode-level, so their key is their step id: the primary key finds them.
  const steps = await db.$queryRaw<StepSqlRow[]>`
    SELECT s.episode_id, s.step_id, s.status, s."window"->>'granularity' AS granularity,
      s."window"->>'due' AS due,
      -- A step that lost its completion (a retraction) may hold JSON null rather than SQL NULL.
      CASE WHEN jsonb_typeof(s.completion) IS DISTINCT FROM 'object' THEN NULL ELSE jsonb_build_object(
        'eventId', s.completion->'eventId', 'eventType', s.completion->'eventType',
        'at', s.completion->'at', 'outcome', s.completion->'outcome') END AS completion
    FROM plan_steps s
    WHERE s.episode_id = ANY(${ids}) AND s.key = ANY(${stepIds}) AND s.step_id = ANY(${stepIds})`;
  const events = await db.$queryRaw<EventSqlRow[]>`
    SELECT c.episode_id, c.data FROM clinical_events c
    WHERE c.episode_id = ANY(${ids}) AND c.type = ANY(${[...KPI_EVENT_TYPES]})
    ORDER BY c.episode_id, c.sequence`;
  const stepsOf = new Map<string, KpiStep[]>();
  for (const row of steps) {
    const list = stepsOf.get(row.episode_id) ?? [];
    list.push({
      stepId: row.step_id,
      status: row.status as StepStatus,
      window:
        row.granularity && row.due ? { granularity: row.granularity, due: row.due } : undefined,
      completion: row.completion ?? undefined,
    });
    stepsOf.set(row.episode_id, list);
  }
  const eventsOf = new Map<string, ClinicalEvent[]>();
  for (const row of events) {
    const list = eventsOf.get(row.episode_id) ?? [];
    list.push(row.data);
    eventsOf.set(row.episode_id, list);
  }
  return episodes.map((e) => ({
    episodeId: e.id,
    fractureDate: e.fracture_date,
    pathwayVersion: e.pathway_version,
    identifierKind: e.identifier_kind,
    steps: stepsOf.get(e.id) ?? [],
    events: eventsOf.get(e.id) ?? [],
    closure:
      e.closed_at && e.closure_reason
        ? { reason: e.closure_reason, at: e.closed_at.toISOString() }
        : undefined,
  }));
}

/** Recomputes episodes' KPI rows from their stored plan steps and events, in the caller's transaction. */
export async function refreshEpisodeKpis(
  tx: Queryable,
  episodeIds: readonly string[],
  settings?: ServiceSettings,
): Promise<void> {
  await storeEpisodeKpis(tx, await loadEpisodeKpiSources(tx, episodeIds), settings);
}

/** A stored row read back as the domain's results (for tests and checks). */
export interface StoredEpisodeKpis {
  readonly pathwayVersion: string;
  readonly fractureDate: string;
  readonly logicVersion: number;
  readonly outcomes: readonly { kpi: string; result: KpiResult; until: string | undefined }[];
  readonly fields: readonly { field: string; result: KpiResult; until: string | undefined }[];
}

export async function readEpisodeKpis(
  db: Queryable,
  episodeId: string,
): Promise<StoredEpisodeKpis | undefined> {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT *, to_char(fracture_date, 'YYYY-MM-DD') AS fracture_day,
       ${RESULT_COLUMNS.map((c) => `to_char("${c}_until", 'YYYY-MM-DD') AS "${c}_day"`).join(', ')}
     FROM episode_kpis WHERE episode_id = $1`,
    episodeId,
  );
  const row = rows[0];
  if (!row) return undefined;
  const read = (column: string) => ({
    result: RESULT_OF.get(Number(row[column])) as KpiResult,
    until: (row[`${column}_day`] as string | null) ?? undefined,
  });
  return {
    pathwayVersion: row.pathway_version as string,
    fractureDate: row.fracture_day as string,
    logicVersion: Number(row.logic_version),
    outcomes: KPI_COLUMNS.map(({ id, column }) => ({ kpi: id, ...read(column) })),
    fields: FIELD_COLUMNS.map(({ id, column }) => ({ field: id, ...read(column) })),
  };
}

/**
 * Computes the KPI rows of episodes that have none, or one of an older KPI_LOGIC_VERSION: after
 * the migration that created the table, and after a change to how episodes count. Run at deploy
 * (after the migrations) and safe to run again; each batch is its own transaction, and locks its
 * episodes as the write path does, so it can run beside the service. Returns how many it wrote.
 */
export async function rebuildEpisodeKpis(
  database: Database,
  options: { settings?: ServiceSettings; batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let written = 0;
  let after = '';
  for (;;) {
    const stale = await database.$queryRaw<{ id: string }[]>`
      SELECT e.id FROM episodes e LEFT JOIN episode_kpis k ON k.episode_id = e.id
      WHERE e.id > ${after} AND (k.episode_id IS NULL OR k.logic_version <> ${KPI_LOGIC_VERSION})
      ORDER BY e.id LIMIT ${batchSize}`;
    if (stale.length === 0) break;
    const ids = stale.map((row) => row.id);
    await database.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM episodes WHERE id = ANY(${ids}) ORDER BY id FOR UPDATE`;
        await refreshEpisodeKpis(tx, ids, options.settings);
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
    written += ids.length;
    after = ids[ids.length - 1] as string;
  }
  return written;
}
