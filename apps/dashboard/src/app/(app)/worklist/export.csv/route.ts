import { worklistExportBatches } from '@vfx/database/views';
import type { NextRequest } from 'next/server';
import { type CsvValue, csvHeaders, csvStream } from '@/server/csv';
import { db } from '@/server/db';
import { recordRead, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { localDate } from '@/ui/dates';
import { statusText } from '@/ui/status';
import { GROUPS, parseWorklistOrder, whenText } from '../view';

// The signed-in nurse's whole worklist, group by group in the page's order (the overdue steps read
// in keyset batches of 1,000), with the page's words for the dates, through the same formula
// guard as the overdue export.

const HEADER = [
  'Group',
  'Family name',
  'Given name',
  'Identifier type',
  'Identifier',
  'Step',
  'Reason',
  'Status',
  'Urgent',
  'When',
  'Episode',
];

export async function GET(request: NextRequest): Promise<Response> {
  const user = await requirePermission('worklist.view');
  const zone = await userTimeZone();
  const now = new Date();
  const order = parseWorklistOrder(Object.fromEntries(request.nextUrl.searchParams));
  let exported = 0;
  let complete = false;
  async function* rows() {
    try {
      for await (const batch of worklistExportBatches(db(), {
        nurseId: user.id,
        now,
        timeZone: zone,
        ...order,
      })) {
        exported += batch.items.length;
        yield batch.items.map((item): CsvValue[] => [
          GROUPS[batch.group].title,
          item.familyName,
          item.givenName,
          item.identifierKind === 'nhs-number' ? 'NHS number' : 'MRN',
          item.identifierValue,
          item.title,
          item.reason,
          statusText(item.status),
          item.urgent,
          whenText(item, batch.group, now, zone),
          `/episodes/${item.episodeId}`,
        ]);
      }
      complete = true;
    } finally {
      await recordRead(user, {
        action: 'worklist.exported',
        entityType: 'export',
        entityId: 'worklist',
        details: { order, rows: exported, complete },
      });
    }
  }
  return new Response(csvStream(HEADER, rows()), {
    headers: csvHeaders('worklist', localDate(now, zone)),
  });
}
