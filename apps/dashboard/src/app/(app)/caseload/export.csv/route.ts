import { caseloadBatches, caseloadHolders, recordedSearch } from '@vfx/database/views';
import { CURRENT_PATHWAY_VERSION, findPathway, phaseLabel, SearchQuerySchema } from '@vfx/domain';
import type { NextRequest } from 'next/server';
import { type CsvValue, csvHeaders, csvStream } from '@/server/csv';
import { db } from '@/server/db';
import { recordRead, requirePermission, seesEveryCaseload } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatCalendarDate, localDate } from '@/ui/dates';
import { nextStepText, overdueText, painText, parseCaseloadSearch } from '../view';

// The caseload under the page's filters, search and order, every page of it, with the page's
// words for the next step, the overdue count and the pain, through the same formula guard as the
// overdue export. Read a page of 100 at a time, so a large caseload never sits in memory.

const HEADER = [
  'Family name',
  'Given name',
  'Identifier type',
  'Identifier',
  'Phase',
  'Fracture date',
  'Days since fracture',
  'Next step',
  'Overdue',
  'Latest pain',
  'Nurse',
  'Closed',
  'Episode',
];

export async function GET(request: NextRequest): Promise<Response> {
  const filters = parseCaseloadSearch(Object.fromEntries(request.nextUrl.searchParams));
  const user = await requirePermission(
    'caseload.view',
    filters.nurseParam ? { caseloadOf: filters.nurseParam } : {},
  );
  const zone = await userTimeZone();
  const now = new Date();
  const mayOpenOthers = seesEveryCaseload(user);
  const nurses = mayOpenOthers ? await caseloadHolders(db()) : [];
  const nurseId = mayOpenOthers ? nurses.find((n) => n.id === filters.nurseParam)?.id : user.id;
  const found = filters.searchId
    ? await recordedSearch(db(), { actor: user.id, id: filters.searchId, now })
    : undefined;
  const typed = SearchQuerySchema.safeParse(found?.query ?? '');
  if (!typed.success || (filters.searchId && !found)) {
    return new Response('The export was not made: that search has ended. Search again.\n', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const phases = findPathway(CURRENT_PATHWAY_VERSION)?.phases;
  const details = {
    nurse: nurseId ?? 'all',
    search: found ? filters.searchId : undefined,
    phase: filters.phase,
    sort: filters.sort,
    dir: filters.direction,
    overdue: filters.overdueOnly,
    closed: filters.includeClosed,
  };
  let exported = 0;
  let complete = false;
  async function* rows() {
    try {
      for await (const batch of caseloadBatches(db(), {
        nurseId,
        search: typed.data,
        phase: filters.phase,
        overdueOnly: filters.overdueOnly,
        includeClosed: filters.includeClosed,
        sort: filters.sort,
        direction: filters.direction,
        now,
      })) {
        exported += batch.length;
        yield batch.map((row): CsvValue[] => [
          row.familyName,
          row.givenName,
          row.identifierKind === 'nhs-number' ? 'NHS number' : 'MRN',
          row.identifierValue,
          phases ? phaseLabel(phases, row.phase) : row.phase,
          formatCalendarDate(row.fractureDate),
          row.daysSinceFracture,
          nextStepText(row, now, zone),
          overdueText(row, now, zone),
          painText(row),
          row.nurseName ?? 'Unassigned',
          row.closedAt ? `Closed: ${row.closureReason ?? ''}` : '',
          `/episodes/${row.episodeId}`,
        ]);
      }
      complete = true;
    } finally {
      await recordRead(user, {
        action: 'caseload.exported',
        entityType: 'export',
        entityId: nurseId ?? 'all',
        details: { ...details, rows: exported, complete },
      });
    }
  }
  return new Response(csvStream(HEADER, rows()), {
    headers: csvHeaders('caseload', localDate(now, zone)),
  });
}
