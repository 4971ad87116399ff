// The KPI page's period as it arrives in the address: fracture dates from and to, both included.
// Without one, the last 12 months up to today.
import { KPI_MAX_PERIOD_DAYS, type KpiPeriod } from '@vfx/database/views';
import { isCalendarDate } from '@/ui/local-day';

export type Search = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

/** The twelve months up to today: from the day after this date last year (29 Feb -> 1 Mar). */
export function lastTwelveMonths(today: string): KpiPeriod {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const sameDayLastYear = new Date(Date.UTC(year - 1, month - 1, day));
  // 29 February last year does not exist: Date rolls it to 1 March, which is already the day after.
  const rolled = sameDayLastYear.getUTCMonth() !== month - 1;
  const from = rolled ? sameDayLastYear : new Date(sameDayLastYear.getTime() + 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: today };
}

export interface ParsedPeriod {
  readonly values: { readonly from: string; readonly to: string };
  readonly period: KpiPeriod | undefined;
  readonly problems: Partial<Record<'from' | 'to', string>>;
}

/** `today` is the service's (Europe/London) date: fracture dates are the service's days. */
export function parseKpiPeriod(params: Search, today: string): ParsedPeriod {
  const given = { from: one(params.from), to: one(params.to) };
  const fallback = lastTwelveMonths(today);
  const values = { from: given.from || fallback.from, to: given.to || fallback.to };
  const problems: ParsedPeriod['problems'] = {};
  if (!isCalendarDate(values.from)) problems.from = 'Enter the first fracture date as a date.';
  if (!isCalendarDate(values.to)) problems.to = 'Enter the last fracture date as a date.';
  if (!problems.from && !problems.to) {
    const days = (Date.parse(values.to) - Date.parse(values.from)) / 86_400_000;
    if (days < 0) problems.to = 'The end of the period is before its start.';
    else if (days >= KPI_MAX_PERIOD_DAYS) problems.to = 'Choose a period of at most ten years.';
  }
  const valid = Object.keys(problems).length === 0;
  return { values, period: valid ? values : undefined, problems };
}
