import type { StepStatus } from '../pathway/facts.js';
import type { ServiceCalendar } from '../time/calendar.js';
import { isActive } from './compute-plan.js';
import type { PlanWindow } from './types.js';
import { rescheduleRange } from './window.js';

/**
 * The days a step's due reminder may be moved to today, or undefined when it may not be moved:
 * the step is settled or already overdue (the overdue limit is clinical), its window is timed in
 * hours, or no working day is left before it becomes overdue. The rules validation applies to a
 * `step-rescheduled` entry, for pages that offer the move only where it will be accepted.
 */
export function stepRescheduleRange(
  step: { readonly status: StepStatus; readonly window: PlanWindow | null | undefined },
  today: string,
  calendar: ServiceCalendar,
): { readonly earliest: string; readonly latest: string } | undefined {
  if (!step.window || !isActive(step.status) || step.status === 'overdue') return undefined;
  return rescheduleRange(step.window, today, calendar);
}
