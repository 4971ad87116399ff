import { caseloadHolders, type OverdueRow, overdueStepBatches } from '@vfx/database/views';
import { overdueRiskTierOfRank } from '@vfx/domain';
import type { NextRequest } from 'next/server';
import { type CsvValue, csvHeaders, csvStream } from '@/server/csv';
import { db } from '@/server/db';
import { recordRead, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { localDate, overdueBy } from '@/ui/dates';
import { statusText } from '@/ui/status';
import { overdueStepChoices, parseOverdueSearch } from '../filters';
import { overdueSince } from '../view';

// Every overdue step under the page's filters, in the page's risk order, streamed batch by batch
// (keyset reads of 1,000 rows), so the whole list never sits in the server's memory.

const HEADER = [
  'Risk',
  'Family name',
  'Given name',
  'Identifier type',
  'Identifier',
  'Step',
  'Step id',
  'Status',
  'Urgent',
  'Overdue from',
  'Days overdue',
  'Overdue',
  'Nurse',
  'Episode',
];

export async function GET(request: NextRequest): Promise<Response> {
  const user = await requirePermission('overdue.export');
  const zone = await userTimeZone();
  const now = new Date();
  const nurses = await caseloadHolders(db());
  const parsed = parseOverdueSearch(Object.fromEntries(request.nextUrl.searchParams), {
    nurseIds: new Set(nurses.map((n) => n.id)),
    stepIds: new Set(overdueStepChoices().map((s) => s.id)),
  });
  const problems = Object.values(parsed.problems);
  if (problems.length > 0) {
    return new Response(`The export was not made: ${problems.join(' ')}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const row = (step: OverdueRow): CsvValue[] => [
    overdueRiskTierOfRank(step.riskRank).label,
    step.familyName,
    step.givenName,
    step.identifierKind === 'nhs-number' ? 'NHS number' : 'MRN',
    step.identifierValue,
    step.title,
    step.stepId,
    statusText(step.status),
    step.urgent,
    overdueSince(step, zone),
    step.daysOverdue,
    overdueBy(step.daysOverdue),
    step.nurseName ?? 'No nurse assigned',
    `/episodes/${step.episodeId}`,
  ];
  // What was exported (the filters) and how many rows left the server, written once the
  // stream ends, however it ends (a download cut short counts the rows sent until then).
  let exported = 0;
  let complete = false;
  async function* rows() {
    try {
      for await (const batch of overdueStepBatches(
        db(),
        parsed.filters,
        { now, timeZone: zone },
        1_000,
        parsed.order,
      )) {
        exported += batch.length;
        yield batch.map(row);
      }
      complete = true;
    } finally {
      await recordRead(user, {
        action: 'overdue.exported',
        entityType: 'export',
        entityId: 'overdue-steps',
        details: { filters: parsed.values, order: parsed.order, rows: exported, complete },
      });
    }
  }
  return new Response(csvStream(HEADER, rows()), {
    headers: csvHeaders('overdue-steps', localDate(now, zone)),
  });
}
