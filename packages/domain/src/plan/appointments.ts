/**
 * The episode's current DXA appointment, read from its dxa-appointment entries: the latest entry
 * in effect (in the order the log grew) decides it, so a new booking moves the appointment, a
 * cancellation cancels it, and withdrawing or correcting an entry (the usual retraction and
 * correction) takes it out of the reckoning. Pure; the plan puts the result on the step that
 * takes the appointment (StepDefinition.appointmentEntry).
 */
import { byRecording, type TimedEvent } from '../inputs/history.js';
import type { EventOf } from '../inputs/schemas.js';
import type { LocalDate } from '../time/calendar.js';
import { describeCivilDateInFull } from '../time/civil-date.js';
import type { PlanAppointment } from './types.js';

type AppointmentEntry = TimedEvent<EventOf<'dxa-appointment'>>;

/** The appointment the effective history leaves (undefined when none was ever recorded). */
export function currentAppointment(
  effective: readonly TimedEvent[],
  toIso: (instant: number) => string,
): PlanAppointment | undefined {
  const entries = effective
    .filter((item): item is AppointmentEntry => item.event.type === 'dxa-appointment')
    .sort(byRecording);
  const latest = entries.at(-1);
  if (!latest) return undefined;
  const { event } = latest;
  const base = { eventId: event.id, recordedAt: toIso(latest.recordedAt) };
  if (event.action === 'booked') {
    return {
      state: 'booked',
      on: event.appointmentOn as LocalDate,
      ...(event.appointmentTime ? { time: event.appointmentTime } : {}),
      ...(event.place ? { place: event.place } : {}),
      ...base,
    };
  }
  const was = entries.findLast((item) => item.event.action === 'booked')?.event.appointmentOn;
  return { state: 'cancelled', ...(was ? { on: was } : {}), ...base };
}

/**
 * The appointment as staff read it: "DXA appointment booked: Tuesday 12 January 2027, 10:30,
 * Radiology, St Elsewhere Hospital", or "DXA appointment cancelled (it was on Tuesday ...)".
 */
export function describeAppointment(appointment: PlanAppointment): string {
  if (appointment.state === 'cancelled') {
    return appointment.on
      ? `DXA appointment cancelled (it was on ${describeCivilDateInFull(appointment.on)}); none is booked.`
      : 'DXA appointment cancelled; none is booked.';
  }
  const parts = [
    describeCivilDateInFull(appointment.on as string),
    appointment.time,
    appointment.place,
  ].filter((part): part is string => part !== undefined);
  return `DXA appointment booked: ${parts.join(', ')}`;
}

/**
 * What is wrong with a new dxa-appointment entry, given the appointment in effect without it and
 * the episode's dates (the service-calendar days), or an empty list.
 */
export function appointmentProblems(
  event: EventOf<'dxa-appointment'>,
  before: PlanAppointment | undefined,
  dates: {
    readonly fractureDate: LocalDate;
    readonly recordedOn: LocalDate;
    /** The last day an appointment may be booked for: a year after the recording day. */
    readonly latest: LocalDate;
  },
): { readonly field: string; readonly message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (event.action === 'cancelled') {
    if (before?.state !== 'booked') {
      problems.push({
        field: 'action',
        message:
          before?.state === 'cancelled'
            ? 'cancels an appointment, but the DXA appointment was already cancelled and none is booked'
            : 'cancels an appointment, but no DXA appointment is booked for this episode',
      });
    }
    return problems;
  }
  const on = event.appointmentOn;
  if (on === undefined) return problems;
  if (on < dates.fractureDate) {
    problems.push({
      field: 'appointmentOn',
      message: `is before the date of fracture (${dates.fractureDate}): check the date`,
    });
  }
  if (on > dates.latest) {
    problems.push({
      field: 'appointmentOn',
      message: `is more than a year ahead: check the date (the latest accepted is ${dates.latest})`,
    });
  }
  return problems;
}
