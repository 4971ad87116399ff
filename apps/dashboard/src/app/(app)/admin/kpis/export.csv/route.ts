import { kpiReport } from '@vfx/database/views';
import { COMPLETENESS_RULE, FLS_DB_SOURCE, IDENTIFICATION_MEASURE } from '@vfx/domain';
import type { NextRequest } from 'next/server';
import { type CsvValue, csvHeaders, csvStream } from '@/server/csv';
import { db } from '@/server/db';
import { serviceToday } from '@/server/service-calendar';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDateTime, localDate } from '@/ui/dates';
import { parseKpiPeriod } from '../period';

// The KPI page's figures for the same period, one row per measure, with the definitions beside
// them so the file still says what was counted when it is read on its own.

const HEADER = [
  'Measure',
  'Met',
  'Eligible (met + not met)',
  'Met (%)',
  'Not met',
  'Pending (not yet due)',
  'Not counted',
  'Fracture dates from',
  'Fracture dates to',
  'Episodes in period',
  'Measured at',
  'What counts as met',
  'Who is counted',
  'Who is not counted',
  'Pathway step',
  'Pathway versions',
  'FLS-DB audit measure',
  'FLS-DB: what it measures, and how this measure relates to it',
];

export async function GET(request: NextRequest): Promise<Response> {
  await requirePermission('kpis.export');
  const zone = await userTimeZone();
  const now = new Date();
  const { period, problems } = parseKpiPeriod(
    Object.fromEntries(request.nextUrl.searchParams),
    serviceToday(now),
  );
  if (!period) {
    return new Response(`The export was not made: ${Object.values(problems).join(' ')}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const report = await kpiReport(db(), period, { asOf: now });
  const shared = (): CsvValue[] => [
    report.period.from,
    report.period.to,
    report.episodes,
    formatDateTime(report.asOf, zone),
  ];
  const flsDb = (m: { kpi: string; name: string; explanation: string }): CsvValue[] => [
    `${m.kpi}: ${m.name}`,
    `${m.explanation} Source: ${FLS_DB_SOURCE.title}, ${FLS_DB_SOURCE.url}`,
  ];
  const percent = (p: number | undefined) => (p === undefined ? null : Math.round(p * 10) / 10);
  const rows: CsvValue[][] = report.summaries.map((s) => [
    s.definition.title,
    s.met,
    s.eligible,
    percent(s.percentMet),
    s.notMet,
    s.pending,
    s.excluded,
    ...shared(),
    s.definition.met,
    s.definition.counted,
    s.definition.notCounted,
    s.definition.stepId,
    s.definitions.map((d) => d.pathwayVersion).join(' '),
    ...flsDb(s.definition.flsDb),
  ]);
  // FLS-DB KPI 1, one row per field (met = recorded, not met = missing), then the verdict.
  for (const f of report.completeness.fields) {
    rows.push([
      `Data completeness: ${f.definition.title} recorded`,
      f.recorded,
      f.recorded + f.missing,
      percent(f.percentMissing === undefined ? undefined : 100 - f.percentMissing),
      f.missing,
      f.notYetDue,
      f.notExpected,
      ...shared(),
      f.definition.recorded,
      'Episodes for which the field is due.',
      'Episodes where it is not yet due, or does not apply.',
      f.definition.stepId ?? null,
      report.pathwayVersions.join(' '),
      ...flsDb(COMPLETENESS_RULE.flsDb),
    ]);
  }
  const { completeness, identification } = report;
  rows.push([
    `Data completeness: ${completeness.good ? 'good' : 'not good'} (${completeness.fieldsOverLimit} of ${completeness.fields.length} fields with more than ${COMPLETENESS_RULE.missingAbovePercent}% missing)`,
    null,
    null,
    null,
    null,
    null,
    null,
    ...shared(),
    `Good when fewer than ${COMPLETENESS_RULE.fewerThanFields} fields have more than ${COMPLETENESS_RULE.missingAbovePercent}% missing.`,
    null,
    null,
    null,
    report.pathwayVersions.join(' '),
    ...flsDb(COMPLETENESS_RULE.flsDb),
  ]);
  rows.push([
    IDENTIFICATION_MEASURE.title,
    report.episodes,
    identification.expected === undefined ? null : Math.round(identification.expected * 10) / 10,
    percent(identification.percent),
    null,
    null,
    null,
    ...shared(),
    identification.estimatedYearlyCaseload === undefined
      ? "Not measured: the service's estimated yearly caseload is not set."
      : `Episodes in the period against the service's own estimate of ${identification.estimatedYearlyCaseload} patients a year, pro rata to ${identification.days} days (the Eligible column).`,
    null,
    null,
    null,
    report.pathwayVersions.join(' '),
    ...flsDb(IDENTIFICATION_MEASURE.flsDb),
  ]);
  async function* batches() {
    yield rows;
  }
  return new Response(csvStream(HEADER, batches()), {
    headers: csvHeaders(`fls-kpis-${period.from}-to-${period.to}`, localDate(now, zone)),
  });
}
