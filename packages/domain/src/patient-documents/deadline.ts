import type { LocalDate, ServiceCalendar } from '../time/calendar.js';

/**
 * The date a document gives for a step's deadline ("by Friday 26 February"), read from the plan's
 * guideline dates with the service calendar's working-day rule (ServiceCalendar.workingDayOnOrBefore,
 * the rule the plan's own reminders use). Shared by the written plan and the GP letter so both say
 * the same day.
 *
 * - A deadline on a working day is the guideline date itself.
 * - A deadline on a weekend or bank holiday becomes the last working day before it: never later
 *   than the guideline date, so acting by it is always in time.
 * - It never moves before the step's window opens, nor before `today` (a day already past, or a
 *   day the reader cannot act on): when no working day is left between those and the guideline
 *   date, the guideline date stays, and `notWorkingDay` says why it is not a working day.
 * - A deadline already past (before `today`) is `passed`: documents say it is overdue since that
 *   date and ask for it as soon as possible, never "by" a day that has gone.
 */
export interface DocumentDeadline {
  /** The day the document gives. */
  readonly date: LocalDate;
  /** The plan's own due date (the guidance or service standard's). */
  readonly guidelineDate: LocalDate;
  /** Set when `date` is not the guideline date: why it moved ("Sunday", "Christmas Day"). */
  readonly movedBecause?: string;
  /** The guideline date is not a working day and could not move (see above). */
  readonly notWorkingDay?: string;
  /** The guideline date is before `today`. */
  readonly passed: boolean;
}

export function documentDeadline(
  window: { readonly opens: LocalDate; readonly due: LocalDate },
  today: LocalDate,
  calendar: ServiceCalendar,
): DocumentDeadline {
  const guidelineDate = window.due;
  if (guidelineDate < today) return { date: guidelineDate, guidelineDate, passed: true };
  const why = calendar.nonWorkingReason(guidelineDate);
  if (why === undefined) return { date: guidelineDate, guidelineDate, passed: false };
  const earlier = calendar.workingDayOnOrBefore(guidelineDate);
  if (earlier >= window.opens && earlier >= today)
    return { date: earlier, guidelineDate, movedBecause: why, passed: false };
  return { date: guidelineDate, guidelineDate, notWorkingDay: why, passed: false };
}
