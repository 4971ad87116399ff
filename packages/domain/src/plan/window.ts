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
  /** When the due reminder (absent: none, see PlanReminders) and the overdue reminder go out. */
  readonly reminders: { readonly due: EpochMs | undefined; readonly overdue: EpochMs };
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

/**
 * The status an active step has at an instant: from the window's transitions, which are the
 * guidance's own dates. The one place status is read from a window: computePlan and the worker
 * (stepAtTimer) both use it.
 */
export function statusAt(
  transitions: Readonly<Record<Transition, string | EpochMs>>,
  at: EpochMs,
): 'upcoming' | 'open' | 'due' | 'overdue' {
  const ms = (edge: Transition) => {
    const value = transitions[edge];
    return typeof value === 'number' ? value : Date.parse(value);
  };
  if (at < ms('open')) return 'upcoming';
  if (at < ms('due')) return 'open';
  if (at < ms('overdue')) return 'due';
  return 'overdue';
}

/** The active statuses in the order a step passes through them with time. */
const TIMED_ORDER = ['upcoming', 'open', 'due', 'overdue'] as const;

/**
 * Whether a stored active status has yet to show the change due at `at`: the status the window
 * gives at that instant comes later in the order than the one stored. A stored status that is
 * ahead (the plan was computed at a later instant) shows it already.
 */
export function statusBehind(
  stored: string,
  transitions: Readonly<Record<Transition, string | EpochMs>>,
  at: EpochMs,
): boolean {
  const order: readonly string[] = TIMED_ORDER;
  const position = order.indexOf(stored);
  return position >= 0 && position < order.indexOf(statusAt(transitions, at));
}

/**
 * Resolves a window against its anchor.
 *
 * THE RULE FOR NON-WORKING DAYS (one rule; statuses, reasons and reminders all follow it):
 *
 * - Status comes from the guidance's dates, never from the working calendar. A day window is
 *   open from the start of its local opening day, due from the start of its local due day and
 *   overdue from the start of its overdue day, whatever day of the week that is: a step due "at
 *   once" on Easter Monday is due on Easter Monday, not "upcoming" until Tuesday. Moving the
 *   status onto working days hid due steps and made the reason, the worklist and the reminder
 *   disagree (hazard "status, reason and reminder disagree on a non-working day").
 * - Reminders go to people, so they go out at the clinic time on a working day. The due reminder
 *   goes out on the first working day on or after the due day, as long as that is before the
 *   overdue day; otherwise on the last working day before the due day that is still in the window
 *   (so it is never sent after the step has become overdue); otherwise there is none and the
 *   overdue reminder, on the first working day on or after the overdue day (never before it), is
 *   the first. Every such move is written in the adjustments, and the step's reason names the
 *   day the reminder goes out.
 *
 * Hour windows (ward timings) are exact clinical times: status changes and reminders are the
 * exact instants and never move.
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
      reminders: { due, overdue },
      opensFrom: opens,
      view: {
        granularity: 'exact',
        anchor: anchor.label,
        opens: toIso(opens),
        due: toIso(due),
        overdueFrom: toIso(overdue),
        transitions: { open: toIso(opens), due: toIso(due), overdue: toIso(overdue) },
        reminders: { due: toIso(due), overdue: toIso(overdue) },
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
    adjustments.push(
      `Brought forward to ${calendar.describeDate(endsOn)}, when the course ended early`,
    );
  }

  const { dueDay, overdueDay } = reminderDays(calendar, opensOn, dueOn, overdueOn, adjustments);
  const transitions = {
    open: calendar.startOfDay(opensOn),
    due: calendar.startOfDay(dueOn),
    overdue: calendar.startOfDay(overdueOn),
  };
  const reminders = {
    due: dueDay === undefined ? undefined : calendar.atClinicTime(dueDay),
    overdue: calendar.atClinicTime(overdueDay),
  };
  return {
    transitions,
    reminders,
    opensFrom: transitions.open,
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
      reminders: remindersView(reminders),
      adjustments,
      timing: definition.timing,
    },
  };
}

function remindersView(reminders: ResolvedWindow['reminders']): PlanWindow['reminders'] {
  return reminders.due === undefined
    ? { overdue: toIso(reminders.overdue) }
    : { due: toIso(reminders.due), overdue: toIso(reminders.overdue) };
}

/** The working days a day window's reminders go out on (see resolveWindow), with the moves said. */
function reminderDays(
  calendar: ServiceCalendar,
  opensOn: LocalDate,
  dueOn: LocalDate,
  overdueOn: LocalDate,
  adjustments: string[],
): { dueDay: LocalDate | undefined; overdueDay: LocalDate } {
  const overdueDay = calendar.workingDayOnOrAfter(overdueOn);
  const next = calendar.workingDayOnOrAfter(dueOn);
  const previous = calendar.workingDayOnOrBefore(calendar.addToDate(dueOn, { days: -1 }));
  const dueDay = next < overdueOn ? next : previous >= opensOn ? previous : undefined;
  // In the dashboard's date language (docs/ui.md, "Dates"): "Reminder" is the due reminder,
  // "Escalation" the overdue one; "Due" and "Overdue from" are the guideline dates.
  const d = (date: LocalDate) => calendar.describeDate(date);
  const why = (date: LocalDate) => calendar.describeNonWorkingDay(date) ?? 'not a working day';
  if (dueDay === undefined) {
    adjustments.push(
      `No reminder: no working day from ${d(opensOn)} to ${d(dueOn)} (${why(dueOn)}) comes before the step is overdue from ${d(overdueOn)}; the escalation on ${d(overdueDay)} is the first`,
    );
  } else if (dueDay > dueOn) {
    adjustments.push(`Reminder on ${d(dueDay)}: due ${d(dueOn)} (${why(dueOn)})`);
  } else if (dueDay < dueOn) {
    adjustments.push(
      `Reminder brought back to ${d(dueDay)}: due ${d(dueOn)} (${why(dueOn)}) and the next working day is not before the step is overdue from ${d(overdueOn)}`,
    );
  }
  if (overdueDay !== overdueOn) {
    adjustments.push(
      `Escalation on ${d(overdueDay)}: overdue from ${d(overdueOn)} (${why(overdueOn)})`,
    );
  }
  return { dueDay, overdueDay };
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

function describeWindow(window: PlanWindow, calendar: ServiceCalendar): string {
  const d = (date: LocalDate) => calendar.describeDate(date);
  return `the step opens ${d(window.opens)}, is due ${d(window.due)} and is overdue from ${d(window.overdueFrom)} (${describeTimingBasis(window.timing)})`;
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
      message: `has a window measured in hours (due ${calendar.describeInstant(Date.parse(window.due))}, overdue from ${calendar.describeInstant(Date.parse(window.overdueFrom))}); an exact clinical time cannot be rescheduled`,
    };
  }
  if (remindOn < window.opens) {
    return {
      field: 'remindOn',
      message: `is before the step opens (${calendar.describeDate(window.opens)}): ${describeWindow(window, calendar)}`,
    };
  }
  if (remindOn >= window.overdueFrom) {
    return {
      field: 'remindOn',
      message: `is on or after the day the step becomes overdue (${calendar.describeDate(window.overdueFrom)}); the overdue limit is clinical and stays: ${describeWindow(window, calendar)}`,
    };
  }
  const notWorking = calendar.nonWorkingReason(remindOn);
  if (notWorking) {
    return {
      field: 'remindOn',
      message: `is not a working day (${notWorking}); reminders go out at the clinic time on working days, so choose another day before ${calendar.describeDate(window.overdueFrom)}`,
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
 * rescheduleProblem first). The status changes and the overdue reminder stay where they were:
 * the guidance's dates do not move, and `remindOn` is a working day before the overdue day.
 */
export function rescheduleDue(
  resolved: ResolvedWindow,
  remindOn: LocalDate,
  calendar: ServiceCalendar,
  adjustment: string,
): ResolvedWindow {
  const reminders = { ...resolved.reminders, due: calendar.atClinicTime(remindOn) };
  return {
    ...resolved,
    reminders,
    view: {
      ...resolved.view,
      reminders: remindersView(reminders),
      rescheduledTo: remindOn,
      adjustments: [...resolved.view.adjustments, adjustment],
    },
  };
}
