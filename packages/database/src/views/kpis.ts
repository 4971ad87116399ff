// FLS key performance indicators over a period, for the administrator's KPI page and its CSV.
// Which episode counts towards which measure, and whether it met it, is packages/domain's
// decision (episodeKpis, from the stored plan steps and the events the measures read); this file
// only reads those inputs, episode by episode in batches, and adds the outcomes up.
//
// The period selects episodes by fracture date, because every measure's window is measured from
// the fracture date. Episodes are read in primary-key order (keyset on episodes.id), filtering on
// the fracture date as they are read: one pass over the episodes' primary key for the whole
// report, whatever the period, with each batch's plan steps and events read by their own primary
// key and (episode_id, sequence) indexes.
import {
  type ClinicalEvent,
  DEFAULT_SERVICE_SETTINGS,
  episodeKpis,
  KPI_EVENT_TYPES,
  KPI_STEP_IDS,
  type KpiStep,
  type KpiSummary,
  KpiTally,
  type ServiceSettings,
  type StepStatus,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { RecordError } from '../records/errors.js';

/** The longest period a report covers (ten years). */
export const KPI_MAX_PERIOD_DAYS = 3_660;

export interface KpiPeriod {
  /** First fracture date included (YYYY-MM-DD). */
  readonly from: string;
  /** Last fracture date included (YYYY-MM-DD). */
  readonly to: string;
}

export interface KpiReport {
  readonly period: KpiPeriod;
  /** What was not yet due at this instant is pending. */
  readonly asOf: Date;
  /** Episodes with a fracture date in the period. */
  readonly episodes: number;
  readonly summaries: readonly KpiSummary[];
}

const DAY_MS = 86_400_000;
const isDate = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

function checkPeriod(period: KpiPeriod): void {
  const problems: { path: string; message: string }[] = [];
  if (!isDate(period.from)) problems.push({ path: 'from', message: 'must be a date, YYYY-MM-DD' });
  if (!isDate(period.to)) problems.push({ path: 'to', message: 'must be a date, YYYY-MM-DD' });
  if (problems.length === 0) {
    const days = (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS;
    if (days < 0) problems.push({ path: 'to', message: 'must not be before the start date' });
    else if (days >= KPI_MAX_PERIOD_DAYS) {
      problems.push({ path: 'to', message: 'must be within ten years of the start date' });
    }
  }
  if (problems.length > 0) throw RecordError.invalid(problems);
}

interface EpisodeSqlRow {
  id: string;
  closed_at: Date | null;
  closure_reason: string | null;
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

/** Batches whose steps and events are read at the same time (the pool has more connections). */
const BATCHES_IN_FLIGHT = 3;

/** The measures over every episode with a fracture date in the period, as of `asOf`. */
export async function kpiReport(
  db: Queryable,
  period: KpiPeriod,
  options: { asOf: Date; settings?: ServiceSettings; batchSize?: number },
): Promise<KpiReport> {
  checkPeriod(period);
  const settings = options.settings ?? DEFAULT_SERVICE_SETTINGS;
  const batchSize = options.batchSize ?? 2_000;
  const tally = new KpiTally();
  const measure = async (episodes: readonly EpisodeSqlRow[]) => {
    const { stepsOf, eventsOf } = await readInputs(
      db,
      episodes.map((e) => e.id),
    );
    for (const episode of episodes) {
      tally.add(
        episodeKpis({
          steps: stepsOf.get(episode.id) ?? [],
          events: eventsOf.get(episode.id) ?? [],
          closure:
            episode.closed_at && episode.closure_reason
              ? { reason: episode.closure_reason, at: episode.closed_at.toISOString() }
              : undefined,
          asOf: options.asOf.getTime(),
          settings,
        }),
      );
    }
  };
  // The next batch of episode ids is cheap to find; reading a batch's steps and events is not,
  // so a few batches are read at once.
  const inFlight: Promise<void>[] = [];
  try {
    let after = '';
    for (;;) {
      const episodes = await db.$queryRaw<EpisodeSqlRow[]>`
        SELECT e.id, e.closed_at, e.closure_reason FROM episodes e
        WHERE e.id > ${after}
          AND e.fracture_date >= ${period.from}::date AND e.fracture_date <= ${period.to}::date
        ORDER BY e.id LIMIT ${batchSize}`;
      if (episodes.length === 0) break;
      if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
      inFlight.push(measure(episodes));
      if (episodes.length < batchSize) break;
      after = (episodes[episodes.length - 1] as EpisodeSqlRow).id;
    }
    await Promise.all(inFlight);
  } catch (error) {
    // Let the other batches finish before failing, so none is left running unobserved.
    await Promise.allSettled(inFlight);
    throw error;
  }
  return { period, asOf: options.asOf, episodes: tally.episodes, summaries: tally.summaries() };
}

/** A batch's KPI plan steps and the events the measures read, grouped by episode. */
async function readInputs(db: Queryable, ids: readonly string[]) {
  const stepIds = [...KPI_STEP_IDS];
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
  const eventsOf = groupBy(events, (row) => row.episode_id);
  return {
    stepsOf,
    eventsOf: new Map([...eventsOf].map(([id, rows]) => [id, rows.map((row) => row.data)])),
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}
