import { kpiReport } from '@vfx/database';
import type { NextRequest } from 'next/server';
import { type CsvValue, csvHeaders, csvStream } from '@/server/csv';
import { db } from '@/server/db';
import { serviceToday } from '@/server/service-calendar';
import { requireUser } from '@/server/session';
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
];

export async function GET(request: NextRequest): Promise<Response> {
  await requireUser(['admin']);
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
  const rows: CsvValue[][] = report.summaries.map((s) => [
    s.definition.title,
    s.met,
    s.eligible,
    s.percentMet === undefined ? null : Math.round(s.percentMet * 10) / 10,
    s.notMet,
    s.pending,
    s.excluded,
    report.period.from,
    report.period.to,
    report.episodes,
    formatDateTime(report.asOf, zone),
    s.definition.met,
    s.definition.counted,
    s.definition.notCounted,
    s.definition.stepId,
  ]);
  async function* batches() {
    yield rows;
  }
  return new Response(csvStream(HEADER, batches()), {
    headers: csvHeaders(`fls-kpis-${period.from}-to-${period.to}`, localDate(now, zone)),
  });
}
