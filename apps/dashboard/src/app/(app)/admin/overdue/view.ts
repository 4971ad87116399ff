// What the overdue list and its CSV export share, so the file says what the page says.
import type { OverdueRow } from '@vfx/database/views';
import { calendar } from '@/server/service-calendar';
import { guidelineDate, windowFromInstants } from '@/ui/dates';

/**
 * The "Overdue from" date (src/ui/dates.ts): the time for steps timed by the hour (red flags),
 * the service's calendar date for the rest.
 */
export function overdueSince(row: OverdueRow, zone: string): string {
  return guidelineDate(
    windowFromInstants(
      { granularity: row.granularity, dueAt: row.overdueAt, overdueAt: row.overdueAt },
      calendar.timeZone,
    ),
    'overdue',
    zone,
  );
}
