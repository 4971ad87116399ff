import type { WindowDefinition } from '../pathway/definition.js';
import { describeSource, type TimingBasis } from '../pathway/sources.js';
import type { EpochMs, LocalDate, ServiceCalendar } from '../time/calendar.js';
import { toIso } from '../time/calendar.js';
import type { PlanWindow, Transition } from './types.js';

/** What a step's window is measured from: a local date, or an exact instant. */
export type Anchor =
  | { readonly kind: 'date'; readonly date: LocalDate; readonly label: string }
  | { readonly kind: 'instant'; readonly at: EpochMs; readonly label: string };

export interface ResolvedWindow {
  readonly view: PlanWindow;
  /** Status changes, in order; `open` equals `due` when the window opens when it is due. */
  readonly transitions: Readonly<Record<Transition, EpochMs>>;
  /** Earliest instant an event may have for a completion rule counted "from opens". */
  readonly opensFrom: EpochMs;
}

export function anchorInstant(anchor: Anchor, calendar: ServiceCalendar): EpochMs {
  return anchor.kind === 'instant' ? anchor.at : calendar.startOfDay(anchor.date);
}

function anchorDate(anchor: Anchor, calendar: ServiceCalendar): LocalDate {
  return anchor.kind === 'date' ? anchor.date : calendar.localDate(anchor.at);
}

const minDate = (a: LocalDate, b: LocalDate) => (a < b ? a : b);
const maxDate = (a: LocalDate, b: LocalDate) => (a > b ? a : b);

/**
 * Resolves a window against its anchor.
 *
 * Day windows: edges are local dates. Reminders land at the clinic time on a working day: the
 * opening and overdue reminders move forward past weekends and bank holidays (never before the
 * window opens, never overdue early), and the due reminder moves back to the last working day
 * so a deadline is never reminded after it has passed; it never moves before the opening.
 *
 * `endsOn` pulls the window in when the thing it waits for ended early (an anabolic course
 * stopped before its planned end still needs its follow-on now).
 */
export function resolveWindow(
  definition: WindowDefinition,
  anchor: Anchor,
  calendar: ServiceCalendar,
  endsOn?: LocalDate,
): ResolvedWindow {
  if (definition.granularity === 'exact') {
    const start = anchorInstant(anchor, calendar);
    const opens = calendar.addExact(start, definition.opens);
    const due = calendar.addExact(start, definition.due);
    const overdue = calendar.addExact(start, definition.overdueAfter);
    return {
      transitions: { open: opens, due, overdue },
      opensFrom: opens,
      view: {
        granularity: 'exact',
        anchor: anchor.label,
        opens: toIso(opens),
        due: toIso(due),
        overdueFrom: toIso(overdue),
        transitions: { open: toIso(opens), due: toIso(due), overdue: toIso(overdue) },
        adjustments: [],
        timing: definition.timing,
      },
    };
  }

  const base = anchorDate(anchor, calendar);
  let opensOn = calendar.addToDate(base, definition.opens);
  let dueOn = calendar.addToDate(base, definition.due);
  let overdueOn = calendar.addToDate(calendar.addToDate(base, definition.overdueAfter), {
    days: 1,
  });
  const adjustments: string[] = [];
  if (endsOn !== undefined && endsOn < dueOn) {
    opensOn = minDate(opensOn, endsOn);
    dueOn = endsOn;
    overdueOn = minDate(overdueOn, calendar.addToDate(endsOn, { days: 1 }));
    adjustments.push(`brought forward to ${endsOn}, when the course ended early`);
  }

  const openDay = calendar.workingDayOnOrAfter(opensOn);
  const dueDay = maxDate(calendar.workingDayOnOrBefore(dueOn), openDay);
  let overdueDay = calendar.workingDayOnOrAfter(overdueOn);
  if (overdueDay <= dueDay)
    overdueDay = calendar.workingDayOnOrAfter(calendar.addToDate(dueDay, { days: 1 }));

  describeMove(calendar, 'opening', opensOn, openDay, adjustments);
  describeMove(calendar, 'due', dueOn, dueDay, adjustments);
  describeMove(calendar, 'overdue', overdueOn, overdueDay, adjustments);

  const transitions = {
    open: calendar.atClinicTime(openDay),
    due: calendar.atClinicTime(dueDay),
    overdue: calendar.atClinicTime(overdueDay),
  };
  return {
    transitions,
    opensFrom: calendar.startOfDay(opensOn),
    view: {
      granularity: 'day',
      anchor: anchor.label,
      opens: opensOn,
      due: dueOn,
      overdueFrom: overdueOn,
      transitions: {
        open: toIso(transitions.open),
        due: toIso(transitions.due),
        overdue: toIso(transitions.overdue),
      },
      adjustments,
      timing: definition.timing,
    },
  };
}

function describeMove(
  calendar: ServiceCalendar,
  edge: string,
  from: LocalDate,
  to: LocalDate,
  adjustments: string[],
): void {
  if (from === to) return;
  const why = calendar.nonWorkingReason(from);
  adjustments.push(
    why
      ? `${edge} reminder moved from ${from} (${why}) to ${to}`
      : `${edge} reminder moved from ${from} to ${to} to keep the window in order`,
  );
}

// --- Rescheduling the due reminder ------------------------------------------------------------

/** Which field of a step-rescheduled entry a problem belongs to, and what is wrong with it. */
export interface RescheduleProblem {
  readonly field: 'stepKey' | 'remindOn';
  readonly message: string;
}

/** Where the window comes from, in words: the step's own timing basis and its citation. */
export function describeTimingBasis(timing: TimingBasis): string {
  if (timing.kind === 'guideline') return `as ${describeSource(timing.source)} sets it`;
  const source = timing.source ? `; ${describeSource(timing.source)}` : '';
  return `service standard: ${timing.explanation}${source}`;
}

function describeWindow(window: PlanWindow): string {
  return `the window opens on ${window.opens}, is due by ${window.due} and is overdue from ${window.overdueFrom} (${describeTimingBasis(window.timing)})`;
}

/**
 * Whether a step's due reminder may be moved to `remindOn`: only within the step's own window as
 * the guidance (or service standard) defines it, never before it opens and never on or after the
 * day it becomes overdue, because the overdue limit is the clinical one and does not move. The
 * day must be a working day, as every day-level reminder is. Windows measured in hours (ward
 * timings such as the 48-hour review) are exact clinical times and are never moved. Returns
 * undefined when the move is allowed. Whether the step still needs action, and whether the day
 * has passed, depend on when the move is made: the validation checks those (validate.ts).
 */
export function rescheduleProblem(
  window: PlanWindow,
  remindOn: LocalDate,
  calendar: ServiceCalendar,
): RescheduleProblem | undefined {
  if (window.granularity !== 'day') {
    return {
      field: 'stepKey',
      message: `has a window measured in hours (due at ${calendar.describeInstant(Date.parse(window.due))}, overdue from ${calendar.describeInstant(Date.parse(window.overdueFrom))}); an exact clinical time cannot be rescheduled`,
    };
  }
  if (remindOn < window.opens) {
    return {
      field: 'remindOn',
      message: `is before the step's window opens (${window.opens}): ${describeWindow(window)}`,
    };
  }
  if (remindOn >= window.overdueFrom) {
    return {
      field: 'remindOn',
      message: `is on or after the day the step becomes overdue (${window.overdueFrom}); the overdue limit is clinical and stays: ${describeWindow(window)}`,
    };
  }
  const notWorking = calendar.nonWorkingReason(remindOn);
  if (notWorking) {
    return {
      field: 'remindOn',
      message: `is not a working day (${notWorking}); reminders go out at the clinic time on working days, so choose another day before ${window.overdueFrom}`,
    };
  }
  return undefined;
}

/**
 * The days a due reminder may be moved to, from `today`: the first and last day of the step's
 * window still ahead (working days only, see rescheduleProblem), or undefined when none is left
 * or the window cannot be rescheduled. For forms, so the user sees the range before choosing.
 */
export function rescheduleRange(
  window: PlanWindow,
  today: LocalDate,
  calendar: ServiceCalendar,
): { readonly earliest: LocalDate; readonly latest: LocalDate } | undefined {
  if (window.granularity !== 'day') return undefined;
  const earliest = calendar.workingDayOnOrAfter(today > window.opens ? today : window.opens);
  const latest = calendar.workingDayOnOrBefore(
    calendar.addToDate(window.overdueFrom, { days: -1 }),
  );
  return earliest <= latest ? { earliest, latest } : undefined;
}

/**
 * The window with its due reminder moved to the clinic time on `remindOn` (checked with
 * rescheduleProblem first). The opening and overdue reminders stay where they were: `remindOn`
 * is a working day on or after the opening day, so the window stays in order.
 */
export function rescheduleDue(
  resolved: ResolvedWindow,
  remindOn: LocalDate,
  calendar: ServiceCalendar,
  adjustment: string,
): ResolvedWindow {
  const due = calendar.atClinicTime(remindOn);
  return {
    ...resolved,
    transitions: { ...resolved.transitions, due },
    view: {
      ...resolved.view,
      transitions: { ...resolved.view.transitions, due: toIso(due) },
      rescheduledTo: remindOn,
      adjustments: [...resolved.view.adjustments, adjustment],
    },
  };
}
