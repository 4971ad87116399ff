// What the caseload page and its CSV export share: the order and filters in the address, and the
// words of a row's next step, overdue count and pain, so the file says what the page says.
import {
  CASELOAD_SORTS,
  type CaseloadRow,
  type CaseloadSort,
  type SortDirection,
} from '@vfx/database/views';
import { ageInWords, type Phase } from '@vfx/domain';
import { calendar } from '@/server/service-calendar';
import {
  daysOverdue,
  formatCalendarDate,
  formatDate,
  overdueBy,
  type StepWindowDates,
  stepWhenText,
  windowFromInstants,
} from '@/ui/dates';
import { statusText } from '@/ui/status';

type Search = Record<string, string | string[] | undefined>;
export const one = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value[0] : value;

export const PHASES: readonly Phase[] = ['acute', 'subacute', 'chronic'];

export interface CaseloadFilters {
  readonly phase: Phase | undefined;
  readonly sort: CaseloadSort;
  readonly direction: SortDirection;
  readonly overdueOnly: boolean;
  readonly includeClosed: boolean;
  /** The nurse asked for in the address (checked against the caseload holders by the caller). */
  readonly nurseParam: string | undefined;
  readonly searchId: string | undefined;
}

export function parseCaseloadSearch(params: Search): CaseloadFilters {
  return {
    phase: PHASES.find((p) => p === one(params.phase)),
    sort: CASELOAD_SORTS.find((s) => s === one(params.sort)) ?? 'next-due',
    direction: one(params.dir) === 'desc' ? 'desc' : 'asc',
    overdueOnly: one(params.overdue) === '1',
    includeClosed: one(params.closed) === '1',
    nurseParam: one(params.nurse) || undefined,
    searchId: one(params.search) || undefined,
  };
}

/** The next step's guideline dates, when it has them. */
function windowOf(next: CaseloadRow['nextStep']): StepWindowDates | undefined {
  return next?.overdueAt != null
    ? windowFromInstants({ dueAt: next.dueAt, overdueAt: next.overdueAt }, calendar.timeZone)
    : undefined;
}

/** The next step's date in the date language of src/ui/dates.ts. */
export function nextStepWhen(next: NonNullable<CaseloadRow['nextStep']>, now: Date, zone: string) {
  const window = windowOf(next);
  return window
    ? stepWhenText(next.status, window, now, zone)
    : `Due ${formatDate(next.dueAt, zone)}`;
}

/** "2 overdue · 41 days overdue" (the soonest due step's lateness), or "None". */
export function overdueText(row: CaseloadRow, now: Date, zone: string): string {
  if (row.overdueSteps === 0) return 'None';
  const next = row.nextStep;
  const window = windowOf(next);
  return `${row.overdueSteps} overdue${
    next?.status === 'overdue' && window ? ` · ${overdueBy(daysOverdue(window, now, zone))}` : ''
  }`;
}

/** The latest pain in the words of the page's pain badge. */
export function painText(row: CaseloadRow): string {
  const pain = row.pain;
  if (!pain) return 'Not assessed';
  const { age } = pain.latest;
  return `NRS ${pain.latest.worst} ${pain.latest.band}; scored ${formatCalendarDate(age.on)} (${ageInWords(age.ageDays)})${age.stale ? '; stale — reassess' : ''}`;
}

export const nextStepText = (row: CaseloadRow, now: Date, zone: string) =>
  row.nextStep
    ? `${row.nextStep.title}: ${statusText(row.nextStep.status)}, ${nextStepWhen(row.nextStep, now, zone)}`
    : 'Nothing scheduled';
