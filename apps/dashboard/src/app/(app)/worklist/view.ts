// What the worklist page and its CSV export share: the groups' headings, the order asked for in
// the address, and the "When" words of a row, so the file says what the page says.
import {
  type SortDirection,
  WORKLIST_DAYS_AHEAD,
  WORKLIST_SORTS,
  type WorklistItem,
  type WorklistSort,
} from '@vfx/database/views';
import { calendar } from '@/server/service-calendar';
import { stepWhenText, windowFromInstants } from '@/ui/dates';

export type WorklistGroup = 'overdue' | 'earlier' | 'today' | 'coming';

export const GROUPS: Readonly<
  Record<WorklistGroup, { readonly title: string; readonly empty: string }>
> = {
  overdue: { title: 'Overdue', empty: 'Nothing on your caseload is overdue.' },
  earlier: {
    title: 'Due, not yet overdue',
    empty: 'Nothing that fell due on an earlier day is waiting.',
  },
  today: { title: 'Due today', empty: 'Nothing falls due today.' },
  coming: {
    title: `Due in the next ${WORKLIST_DAYS_AHEAD} days`,
    empty: `Nothing falls due in the next ${WORKLIST_DAYS_AHEAD} days.`,
  },
};

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export interface WorklistOrder {
  readonly sort: WorklistSort;
  readonly direction: SortDirection;
}

/** The order in the address (`?sort=when&dir=desc`); anything else is the default risk order. */
export function parseWorklistOrder(params: Search): WorklistOrder {
  const sort = WORKLIST_SORTS.find((s) => s === one(params.sort)) ?? 'risk';
  const direction = one(params.dir) === 'desc' ? 'desc' : 'asc';
  return sort === 'risk' ? { sort, direction: 'asc' } : { sort, direction };
}

export function worklistHref(path: string, order: WorklistOrder): string {
  if (order.sort === 'risk') return path;
  return `${path}?${new URLSearchParams({ sort: order.sort, dir: order.direction })}`;
}

/**
 * The "When" words of a row, in the date language of src/ui/dates.ts (labelled guideline dates,
 * relative days beside the date they count from). The group is in the heading, not repeated here.
 */
export function whenText(
  item: WorklistItem,
  _group: WorklistGroup,
  now: Date,
  zone: string,
): string {
  return item.dueAt && item.overdueAt
    ? stepWhenText(
        item.status,
        windowFromInstants({ dueAt: item.dueAt, overdueAt: item.overdueAt }, calendar.timeZone),
        now,
        zone,
      )
    : '';
}
