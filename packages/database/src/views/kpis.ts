// FLS key performance indicators over a period, for the administrator's KPI page and its CSV.
// Which episode counts towards which measure, and whether it met it, is packages/domain's
// decision (episodeKpiRecord, under each episode's own pathway version). The write path stores
// each episode's results in episode_kpis in the same transaction as its plan
// (records/kpi-store.ts); this file only adds the stored rows up in one SQL statement, reading a
// pending result whose last day has passed as not met.
//
// The period selects episodes by fracture date (the corrected one), because every measure's
// window is measured from it: an index range on episode_kpis (fracture_date).
import {
  COMPLETENESS_RULE,
  DEFAULT_SERVICE_SETTINGS,
  KPI_FIELDS,
  KPI_LOGIC_VERSION,
  type KpiCounts,
  type KpiFieldDefinition,
  type KpiId,
  type KpiSummary,
  KpiTally,
  type ServiceSettings,
  serviceCalendar,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { RecordError } from '../records/errors.js';
import { FIELD_COLUMNS, KPI_COLUMNS, RESULT_CODES } from '../records/kpi-store.js';
import { readServiceSettings } from '../records/service-settings.js';

/** The longest period a report covers (ten years). */
export const KPI_MAX_PERIOD_DAYS = 3_660;

export interface KpiPeriod {
  /** First fracture date included (YYYY-MM-DD). */
  readonly from: string;
  /** Last fracture date included (YYYY-MM-DD). */
  readonly to: string;
}

export interface KpiFieldSummary {
  readonly definition: KpiFieldDefinition;
  readonly recorded: number;
  readonly missing: number;
  /** Not yet due: not counted yet. */
  readonly notYetDue: number;
  /** Where the field does not apply. */
  readonly notExpected: number;
  /** Missing as a percentage of recorded + missing; undefined when none are counted. */
  readonly percentMissing: number | undefined;
}

/** FLS-DB KPI 1 over the period's episodes. */
export interface CompletenessReport {
  readonly fields: readonly KpiFieldSummary[];
  /** Fields with more than 20% missing. */
  readonly fieldsOverLimit: number;
  /** FLS-DB's "good level of data completeness": fewer than five such fields. */
  readonly good: boolean;
}

/** FLS-DB KPI 2 over the period, against the service's own estimate. */
export interface IdentificationReport {
  /** The service's own estimate of its yearly caseload (a service setting); undefined if unset. */
  readonly estimatedYearlyCaseload: number | undefined;
  /** The estimate pro rata to the period's length (days / 365). */
  readonly expected: number | undefined;
  /** Episodes in the period as a percentage of `expected`. */
  readonly percent: number | undefined;
  readonly days: number;
}

export interface KpiReport {
  readonly period: KpiPeriod;
  /** What was not yet due at this instant is pending. */
  readonly asOf: Date;
  /** Episodes with a fracture date in the period. */
  readonly episodes: number;
  /**
   * Episodes in the period whose stored results are missing or of an older KPI logic, so not in
   * the figures (0 once the deploy's rebuild has run; the page says so otherwise).
   */
  readonly notMeasured: number;
  /** The pathway versions the period's episodes are planned under. */
  readonly pathwayVersions: readonly string[];
  readonly summaries: readonly KpiSummary[];
  readonly completeness: CompletenessReport;
  readonly identification: IdentificationReport;
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

// One row per distinct combination of results (a few hundred at most, however many episodes):
// each result as it reads on the day ($3), a pending one past its last day being not met. Column
// names are constants from kpi-store.ts; the values are parameters.
const RESULT_COLUMNS = [...KPI_COLUMNS, ...FIELD_COLUMNS].map((c) => c.column);
const REPORT_SQL = `
  SELECT pathway_version,
    ${RESULT_COLUMNS.map(
      (c) =>
        `CASE WHEN "${c}" = ${RESULT_CODES.pending} AND "${c}_until" < $3::date THEN ${RESULT_CODES['not-met']} ELSE "${c}" END AS "${c}"`,
    ).join(',\n    ')},
    count(*)::int AS episodes
  FROM episode_kpis
  WHERE fracture_date >= $1::date AND fracture_date <= $2::date AND logic_version = $4
  GROUP BY ${RESULT_COLUMNS.map((_, i) => i + 2).join(', ')}, 1`;

type ReportRow = { pathway_version: string; episodes: number } & Record<string, number>;

const RESULT_OF_CODE = new Map(
  Object.entries(RESULT_CODES).map(([result, code]) => [code, result as keyof KpiCounts]),
);
const emptyCounts = (): KpiCounts => ({ met: 0, 'not-met': 0, pending: 0, excluded: 0 });

/** The measures over every episode with a fracture date in the period, as of `asOf`. */
export async function kpiReport(
  db: Queryable,
  period: KpiPeriod,
  options: { asOf: Date; settings?: ServiceSettings },
): Promise<KpiReport> {
  checkPeriod(period);
  const settings = {
    ...DEFAULT_SERVICE_SETTINGS,
    ...(await readServiceSettings(db)),
    ...options.settings,
  };
  const today = serviceCalendar(settings).localDate(options.asOf.getTime());
  const rows = await db.$queryRawUnsafe<ReportRow[]>(
    REPORT_SQL,
    period.from,
    period.to,
    today,
    KPI_LOGIC_VERSION,
  );
  const [{ episodes }] = (await db.$queryRaw<{ episodes: number }[]>`
    SELECT count(*)::int AS episodes FROM episodes
    WHERE fracture_date >= ${period.from}::date AND fracture_date <= ${period.to}::date`) as [
    { episodes: number },
  ];

  const tally = new KpiTally();
  const byVersion = new Map<string, { episodes: number; counts: Map<string, KpiCounts> }>();
  for (const row of rows) {
    const version = byVersion.get(row.pathway_version) ?? { episodes: 0, counts: new Map() };
    version.episodes += row.episodes;
    for (const column of RESULT_COLUMNS) {
      const counts = version.counts.get(column) ?? emptyCounts();
      const result = RESULT_OF_CODE.get(Number(row[column]));
      if (!result) throw new Error(`episode_kpis.${column} holds an unknown code ${row[column]}`);
      counts[result] += row.episodes;
      version.counts.set(column, counts);
    }
    byVersion.set(row.pathway_version, version);
  }
  let measured = 0;
  const fieldTotals = FIELD_COLUMNS.map(() => emptyCounts());
  for (const [pathwayVersion, version] of byVersion) {
    measured += version.episodes;
    tally.addCounts(
      pathwayVersion,
      version.episodes,
      Object.fromEntries(
        KPI_COLUMNS.map(({ id, column }) => [id, version.counts.get(column) ?? emptyCounts()]),
      ) as Record<KpiId, KpiCounts>,
    );
    FIELD_COLUMNS.forEach(({ column }, i) => {
      const total = fieldTotals[i] as KpiCounts;
      const some = version.counts.get(column) ?? emptyCounts();
      for (const key of Object.keys(total) as (keyof KpiCounts)[]) total[key] += some[key];
    });
  }
  const fields = KPI_FIELDS.map((definition, i): KpiFieldSummary => {
    const c = fieldTotals[i] as KpiCounts;
    const counted = c.met + c['not-met'];
    return {
      definition,
      recorded: c.met,
      missing: c['not-met'],
      notYetDue: c.pending,
      notExpected: c.excluded,
      percentMissing: counted === 0 ? undefined : (100 * c['not-met']) / counted,
    };
  });
  const fieldsOverLimit = fields.filter(
    (f) =>
      f.percentMissing !== undefined && f.percentMissing > COMPLETENESS_RULE.missingAbovePercent,
  ).length;
  const days = Math.round((Date.parse(period.to) - Date.parse(period.from)) / DAY_MS) + 1;
  const estimate = settings.estimatedYearlyCaseload;
  const expected = estimate === undefined ? undefined : (estimate * days) / 365;
  return {
    period,
    asOf: options.asOf,
    episodes,
    notMeasured: Math.max(0, episodes - measured),
    pathwayVersions: tally.pathwayVersions,
    summaries: tally.summaries(),
    completeness: {
      fields,
      fieldsOverLimit,
      good: fieldsOverLimit < COMPLETENESS_RULE.fewerThanFields,
    },
    identification: {
      estimatedYearlyCaseload: estimate,
      expected,
      percent: expected === undefined ? undefined : (100 * episodes) / expected,
      days,
    },
  };
}
