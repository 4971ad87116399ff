// The overdue list's filters as they arrive in the address (a GET form, so a filtered list can be
// bookmarked or sent to a colleague), checked once for the page and its CSV export alike.
import {
  OVERDUE_MAX_DAYS,
  OVERDUE_SORTS,
  type OverdueFilters,
  type OverdueOrder,
} from '@vfx/database/views';
import { findPathway, pathwayVersions } from '@vfx/domain';

export type Search = Record<string, string | string[] | undefined>;

/** The nurse filter's value for steps with no responsible nurse. */
export const NO_NURSE = 'none';

export interface StepChoice {
  readonly id: string;
  readonly title: string;
}

/** Every step of every published pathway version, by title (the newest version's wording). */
export function overdueStepChoices(): StepChoice[] {
  const titles = new Map<string, string>();
  for (const version of pathwayVersions()) {
    for (const step of findPathway(version)?.steps ?? []) titles.set(step.id, step.title);
  }
  return [...titles]
    .map(([id, title]) => ({ id, title }))
    .sort((a, b) => a.title.localeCompare(b.title, 'en-GB'));
}

export interface ParsedOverdueSearch {
  /** What the user typed or chose, to show back in the form. */
  readonly values: { readonly step: string; readonly nurse: string; readonly days: string };
  readonly filters: OverdueFilters;
  /** The order asked for (`?sort=overdue&dir=asc`); the risk order by default. */
  readonly order: Required<OverdueOrder>;
  readonly page: number;
  /** A message per field that could not be used; nothing is listed while there are any. */
  readonly problems: Partial<Record<'step' | 'nurse' | 'days', string>>;
}

const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

export function parseOverdueSearch(
  params: Search,
  known: { readonly nurseIds: ReadonlySet<string>; readonly stepIds: ReadonlySet<string> },
): ParsedOverdueSearch {
  const values = { step: one(params.step), nurse: one(params.nurse), days: one(params.days) };
  const problems: ParsedOverdueSearch['problems'] = {};
  const filters: { stepId?: string; nurseId?: string | null; minDaysOverdue?: number } = {};

  if (values.step) {
    if (known.stepIds.has(values.step)) filters.stepId = values.step;
    else problems.step = 'Choose a step from the list.';
  }
  if (values.nurse === NO_NURSE) filters.nurseId = null;
  else if (values.nurse) {
    if (known.nurseIds.has(values.nurse)) filters.nurseId = values.nurse;
    else problems.nurse = 'Choose a nurse from the list: this one is not an active nurse.';
  }
  if (values.days) {
    const days = /^\d+$/.test(values.days) ? Number(values.days) : Number.NaN;
    if (Number.isInteger(days) && days >= 0 && days <= OVERDUE_MAX_DAYS) {
      filters.minDaysOverdue = days;
    } else {
      problems.days = `Enter a whole number of days from 0 to ${OVERDUE_MAX_DAYS}, or leave it empty for all.`;
    }
  }
  const pageText = one(params.page);
  const page = /^\d{1,6}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
  const sort = OVERDUE_SORTS.find((s) => s === one(params.sort)) ?? 'risk';
  const order: Required<OverdueOrder> =
    sort === 'overdue'
      ? { sort, direction: one(params.dir) === 'asc' ? 'asc' : 'desc' }
      : { sort, direction: 'desc' };
  return { values, filters, order, page, problems };
}

/** The address of the list (or its export) with these filters and page. */
export function overdueHref(
  path: string,
  values: ParsedOverdueSearch['values'],
  page?: number,
  order?: OverdueOrder,
): string {
  const query = new URLSearchParams();
  if (values.step) query.set('step', values.step);
  if (values.nurse) query.set('nurse', values.nurse);
  if (values.days) query.set('days', values.days);
  if (order?.sort === 'overdue') {
    query.set('sort', 'overdue');
    if (order.direction === 'asc') query.set('dir', 'asc');
  }
  if (page && page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
