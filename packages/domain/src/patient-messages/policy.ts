/**
 * The patient-message policy: which reminders a patient is sent, and when, from the episode's
 * plan and the pathway version's patient reminders (definition.ts); and the check made again just
 * before one is sent. Pure: the database hands in the plan, the patient's reachability and the
 * instant; it stores what is decided here and decides nothing itself.
 */

import { findPathway } from '../pathway/registry.js';
import type { TimingBasis } from '../pathway/sources.js';
import { documentDeadline } from '../patient-documents/deadline.js';
import { describeAppointment } from '../plan/appointments.js';
import { isActive } from '../plan/compute-plan.js';
import type { Plan, PlanStep } from '../plan/types.js';
import type { EpochMs, LocalDate, ServiceCalendar } from '../time/calendar.js';
import { describeCivilDateInFull } from '../time/civil-date.js';
import {
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettings,
  serviceCalendar,
} from '../time/settings.js';
import type { PatientChannel } from './contact.js';
import type { PatientMessageField, PatientReminderDefinition } from './definition.js';

/**
 * When patient messages may go out: between these local wall-clock times of the service's day.
 * A planned message is sent at `from`; the worker never sends one outside these hours.
 */
export const PATIENT_MESSAGE_HOURS = {
  from: '09:00',
  until: '19:00',
  basis: {
    kind: 'service-standard',
    explanation:
      'The guidance says nothing about when patients are messaged. This service sends reminders only between 09:00 and 19:00 on its own clock (Europe/London by default, summer time included), so nobody is woken or disturbed at night by a text message, and sends planned ones at 09:00, when the GP surgery and the service can be reached.',
  } satisfies TimingBasis,
} as const;

/** Whether the patient can be sent anything, as patientReachability (contact.ts) answers. */
export type MessageReachability =
  | { readonly reachable: true; readonly channel: PatientChannel }
  | { readonly reachable: false; readonly why: string };

export interface PlannedPatientMessage {
  /**
   * Deterministic: the same episode, kind, step instance and occurrence give the same id, so
   * planning again is idempotent; it is also Notify's `reference`, so a retry is recognisable.
   */
  readonly id: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly kind: string;
  readonly stepKey: string;
  readonly channel: PatientChannel;
  /** When it goes out (ISO instant): 09:00 service time on its day, or the next sending hour. */
  readonly sendAt: string;
  /** Its day on the service's calendar. */
  readonly sendOn: LocalDate;
  /** The last service day it may still go out; after that it is not sent at all. */
  readonly sendBy: LocalDate;
  readonly templateKey: string;
  readonly personalisation: Readonly<Record<string, string>>;
  /** The day the message is about (the step's date, or the appointment's day). */
  readonly about: LocalDate;
}

export interface PatientMessagePlanInput {
  readonly plan: Plan;
  readonly reachability: MessageReachability;
  /** The patient's given name (names are kept beside the pathway record, not in it). */
  readonly givenName: string;
  readonly settings?: ServiceSettings;
  /** The pathway version's reminders; default: those of the plan's own version. */
  readonly reminders?: readonly PatientReminderDefinition[];
}

export interface PatientMessagePlan {
  readonly messages: readonly PlannedPatientMessage[];
  /** Why nothing at all is planned (no reminders in the version, unreachable, closed), if so. */
  readonly none?: string;
  /** Reminders not planned, each with the reason in words. */
  readonly skipped: readonly SkippedReminder[];
}

export interface SkippedReminder {
  readonly kind: string;
  readonly stepKey: string;
  readonly why: string;
  /** The message's id, where there was a day to plan it for (an appointment's reminder). */
  readonly id?: string;
  readonly about?: LocalDate;
}

/**
 * The message id: readable, with no ':' (a queue job id) and stable across re-planning. A
 * reminder measured from an appointment takes the appointment's day as its occurrence, so a
 * moved appointment is a new message, never the old one sent again with a new date.
 */
export function patientMessageId(
  episodeId: string,
  kind: string,
  stepKey: string,
  occurrence: number | LocalDate = 1,
): string {
  return `pm_${episodeId}_${kind}_${stepKey}_${occurrence}`;
}

function remindersOf(input: PatientMessagePlanInput) {
  return input.reminders ?? findPathway(input.plan.pathwayVersion)?.patientReminders;
}

/**
 * The messages an episode's plan yields, as of the plan's instant (`plan.asOf`). None when the
 * pathway version sends no patient reminders, the episode is closed, or the patient cannot be
 * reached (no consent, opted out, no channel, a missing detail). For each reminder of the version,
 * one message per active instance of its step (a completed, cancelled or not-applicable step gets
 * none: a dose recorded completes the dose step, so it cancels its reminders), on the day the
 * definition gives from the step's date (a step a scheduler rescheduled is measured from the new
 * day), moved off weekends and bank holidays as the definition says, at 09:00 service time. A
 * message whose last day has passed is not planned; one whose 09:00 has passed on a day it may
 * still go goes at the next sending hour.
 */
export function plannedPatientMessages(input: PatientMessagePlanInput): PatientMessagePlan {
  const { plan } = input;
  const reminders = remindersOf(input);
  if (!reminders || reminders.length === 0) {
    return {
      messages: [],
      none: `Pathway version ${plan.pathwayVersion} sends no reminders to patients.`,
      skipped: [],
    };
  }
  if (plan.closure) {
    return {
      messages: [],
      none: `The episode was closed (${plan.closure.reason}): the patient is sent no more reminders.`,
      skipped: [],
    };
  }
  if (!input.reachability.reachable) {
    return { messages: [], none: input.reachability.why, skipped: [] };
  }
  const channel = input.reachability.channel;
  const calendar = serviceCalendar(input.settings ?? DEFAULT_SERVICE_SETTINGS);
  const asOf = Date.parse(plan.asOf);
  const messages: PlannedPatientMessage[] = [];
  const skipped: SkippedReminder[] = [];
  for (const reminder of reminders) {
    for (const step of plan.steps.filter((s) => s.stepId === reminder.stepId)) {
      const timing = messageTiming(reminder, step, calendar, asOf);
      const occurrence = reminder.from === 'appointment' ? timing.about : 1;
      const id =
        occurrence === undefined
          ? undefined
          : patientMessageId(plan.episodeId, reminder.kind, step.key, occurrence);
      if ('why' in timing || id === undefined) {
        skipped.push({
          kind: reminder.kind,
          stepKey: step.key,
          why: 'why' in timing ? timing.why : 'It has no day to be about.',
          ...(id !== undefined && reminder.from === 'appointment'
            ? { id, about: timing.about }
            : {}),
        });
        continue;
      }
      messages.push({
        id,
        episodeId: plan.episodeId,
        patientId: plan.patientId,
        kind: reminder.kind,
        stepKey: step.key,
        channel,
        sendAt: new Date(timing.sendAt).toISOString(),
        sendOn: calendar.localDate(timing.sendAt),
        sendBy: timing.sendBy,
        templateKey: reminder.templateKey,
        personalisation: personalise(reminder.personalisation, {
          first_name: input.givenName,
          date: longDate(dateTold(reminder, step, timing, calendar)),
        }),
        about: timing.about,
      });
    }
  }
  messages.sort((a, b) => a.sendAt.localeCompare(b.sendAt) || a.id.localeCompare(b.id));
  return { messages, skipped };
}

function personalise(
  fields: readonly PatientMessageField[],
  values: Record<PatientMessageField, string>,
): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field, values[field]]));
}

/**
 * The day the message tells the patient. A step's due day is a deadline, and the patient hears the
 * deadline the written plan gives (documentDeadline: on a weekend or bank holiday, the working day
 * before it, unless that day has passed when the message goes), so the text message and the
 * printed plan never name different days for the same dose or call. A day a scheduler moved the
 * reminder to, a window's opening day and an appointment are told as they are.
 */
function dateTold(
  reminder: PatientReminderDefinition,
  step: PlanStep,
  timing: { readonly sendAt: EpochMs; readonly about: LocalDate },
  calendar: ServiceCalendar,
): LocalDate {
  const window = step.window;
  if (reminder.from !== 'due' || window?.granularity !== 'day' || window.rescheduledTo) {
    return timing.about;
  }
  return documentDeadline(window, calendar.localDate(timing.sendAt), calendar).date;
}

/** "Tuesday 7 April 2026": how the patient reads a date. */
export function longDate(date: LocalDate): string {
  return describeCivilDateInFull(date);
}

type Timing =
  | { sendAt: EpochMs; sendBy: LocalDate; about: LocalDate }
  | { why: string; about?: LocalDate };

/**
 * The day a reminder is measured from: the step's opening or due day, or for an appointment's
 * reminder the day of the appointment booked on the step (none while none is booked).
 */
function reminderDay(
  reminder: PatientReminderDefinition,
  step: PlanStep,
): { about: LocalDate } | { why: string } {
  if (reminder.from === 'appointment') {
    const appointment = step.appointment;
    if (appointment?.state === 'booked' && appointment.on !== undefined) {
      return { about: appointment.on };
    }
    return {
      why: appointment
        ? `${describeAppointment(appointment)} The reminder is not sent.`
        : `No appointment is recorded on "${step.title}": there is nothing to remind the patient of.`,
    };
  }
  const window = step.window;
  if (window?.granularity !== 'day') {
    return { why: `"${step.title}" has no day window to measure the reminder from.` };
  }
  return { about: reminder.from === 'opens' ? window.opens : (window.rescheduledTo ?? window.due) };
}

function messageTiming(
  reminder: PatientReminderDefinition,
  step: PlanStep,
  calendar: ServiceCalendar,
  asOf: EpochMs,
): Timing {
  if (!isActive(step.status)) {
    return { why: `"${step.title}" is ${step.status}: it needs no reminder.` };
  }
  const measured = reminderDay(reminder, step);
  if ('why' in measured) return measured;
  const { about } = measured;
  const dayBefore = calendar.addToDate(about, { days: -1 });
  if (reminder.from === 'appointment' && step.appointment) {
    // Booked the day before (or on the day): the patient heard of it at booking, and a message
    // now could reach them before the letter that gives the time and place.
    const bookedOn = calendar.localDate(Date.parse(step.appointment.recordedAt));
    if (bookedOn >= dayBefore) {
      return {
        why: `The appointment on ${calendar.describeDate(about)} was booked on ${calendar.describeDate(bookedOn)}, less than a day ahead: the patient heard of it when it was booked, so no reminder is sent.`,
        about,
      };
    }
  }
  const nominal = calendar.addToDate(about, reminder.offset);
  const day =
    reminder.nonWorkingDay === 'earlier'
      ? calendar.workingDayOnOrBefore(nominal)
      : reminder.nonWorkingDay === 'later'
        ? calendar.workingDayOnOrAfter(nominal)
        : nominal;
  // A reminder before the date may still go until the day before it; one on or after the date
  // only on its own day (a day late it would tell the patient something that is no longer so).
  const before = reminder.offset.days !== undefined && reminder.offset.days < 0;
  const sendBy = before ? maxDate(day, dayBefore) : day;
  const sendAt = nextSendingInstant(
    calendar.atLocalTime(day, PATIENT_MESSAGE_HOURS.from),
    calendar,
    {
      workingDaysOnly: reminder.nonWorkingDay !== 'any-day',
    },
  );
  const from = Math.max(
    sendAt,
    nextSendingInstant(asOf, calendar, {
      workingDaysOnly: reminder.nonWorkingDay !== 'any-day',
    }),
  );
  if (calendar.localDate(from) > sendBy) {
    return {
      why: `Its last day to be sent (${calendar.describeDate(sendBy)}) has passed.`,
      about,
    };
  }
  return { sendAt: from, sendBy, about };
}

/**
 * Why a message stored earlier is not among those the plan yields now, in words: stored with the
 * message when it is cancelled. A message about an appointment that moved is replaced by the one
 * for the new day (its id differs: patientMessageId).
 */
export function whyNoLongerPlanned(
  result: PatientMessagePlan,
  message: { readonly id: string; readonly kind: string; readonly stepKey: string },
): string {
  if (result.none) return result.none;
  const exact = result.skipped.find((s) => s.id === message.id);
  if (exact) return exact.why;
  const same = (s: { kind: string; stepKey: string }) =>
    s.kind === message.kind && s.stepKey === message.stepKey;
  const replacement = result.messages.find((m) => same(m) && m.id !== message.id);
  if (replacement) {
    return `The appointment moved to ${longDate(replacement.about)}: the message for the new day replaces this one.`;
  }
  const skipped = result.skipped.find(same);
  if (skipped?.about !== undefined) {
    return `The appointment moved to ${longDate(skipped.about)}, and no message goes for it: ${skipped.why}`;
  }
  return skipped?.why ?? 'The plan no longer yields this reminder.';
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

/**
 * The first instant at or after `instant` inside the sending hours (09:00 to 19:00 service time),
 * on a working day when `workingDaysOnly`. Local wall-clock times, so it stays right across the
 * clock changes (09:00 is 09:00 BST in summer and GMT in winter).
 */
export function nextSendingInstant(
  instant: EpochMs,
  calendar: ServiceCalendar,
  options: { readonly workingDaysOnly: boolean },
): EpochMs {
  let day = calendar.localDate(instant);
  for (let i = 0; i < 400; i += 1) {
    const allowedDay = !options.workingDaysOnly || calendar.isWorkingDay(day);
    if (allowedDay) {
      const opens = calendar.atLocalTime(day, PATIENT_MESSAGE_HOURS.from);
      const closes = calendar.atLocalTime(day, PATIENT_MESSAGE_HOURS.until);
      if (instant < opens) return opens;
      if (instant < closes) return instant;
    }
    day = calendar.addToDate(day, { days: 1 });
    instant = calendar.startOfDay(day);
  }
  throw new Error('No sending hour within 400 days: the service calendar has no working days');
}

/** Whether an instant is inside the sending hours (and on a working day when asked). */
export function withinSendingHours(
  instant: EpochMs,
  calendar: ServiceCalendar,
  options: { readonly workingDaysOnly: boolean },
): boolean {
  return nextSendingInstant(instant, calendar, options) === instant;
}

// --- Just before sending -----------------------------------------------------------------------

export interface MessageAtSendInput {
  /** The stored message. */
  readonly message: {
    readonly id: string;
    readonly kind: string;
    readonly stepKey: string;
    readonly channel: string;
  };
  /** The episode's plan computed now (asOf = now). */
  readonly plan: Plan;
  readonly reachability: MessageReachability;
  readonly givenName: string;
  readonly now: EpochMs;
  readonly settings?: ServiceSettings;
  readonly reminders?: readonly PatientReminderDefinition[];
}

export type MessageAtSendDecision =
  | {
      readonly action: 'send';
      readonly channel: PatientChannel;
      readonly templateKey: string;
      readonly personalisation: Readonly<Record<string, string>>;
    }
  /** Not now (outside the sending hours, or before its day): the next instant it may go. */
  | { readonly action: 'wait'; readonly until: string; readonly why: string }
  | { readonly action: 'cancel'; readonly why: string };

/**
 * The check made just before a message is sent: is it still wanted, now? It is cancelled when
 * the patient opted out or can no longer be reached, the episode closed, the step completed (a
 * dose recorded), was cancelled or no longer applies, or its last day passed; it waits when it is
 * outside the sending hours or before its day (a step rescheduled later); otherwise it is sent
 * with the channel and personalisation the plan gives now.
 */
export function patientMessageAtSend(input: MessageAtSendInput): MessageAtSendDecision {
  const { message, plan } = input;
  if (plan.closure) {
    return { action: 'cancel', why: `The episode was closed (${plan.closure.reason}).` };
  }
  if (!input.reachability.reachable) {
    return { action: 'cancel', why: input.reachability.why };
  }
  const reminder = remindersOf(input)?.find((r) => r.kind === message.kind);
  if (!reminder) {
    return {
      action: 'cancel',
      why: `Pathway version ${plan.pathwayVersion} has no patient reminder "${message.kind}".`,
    };
  }
  const step = plan.steps.find((s) => s.key === message.stepKey);
  if (!step) {
    return { action: 'cancel', why: `The plan no longer has the step "${message.stepKey}".` };
  }
  if (!isActive(step.status)) {
    return {
      action: 'cancel',
      why:
        step.status === 'completed'
          ? `"${step.title}" was completed (${step.completion?.eventType ?? 'recorded'} on ${step.completion?.at ?? 'record'}): the reminder is no longer needed.`
          : `"${step.title}" is ${step.status}: the reminder is no longer needed.`,
    };
  }
  const result = plannedPatientMessages({ ...input, plan });
  const planned = result.messages.find((m) => m.id === message.id);
  if (!planned) {
    return { action: 'cancel', why: whyNoLongerPlanned(result, message) };
  }
  if (Date.parse(planned.sendAt) > input.now) {
    const calendar = serviceCalendar(input.settings ?? DEFAULT_SERVICE_SETTINGS);
    return {
      action: 'wait',
      until: planned.sendAt,
      why: `Not before ${calendar.describeInstant(Date.parse(planned.sendAt))} (service time): patient messages go only between ${PATIENT_MESSAGE_HOURS.from} and ${PATIENT_MESSAGE_HOURS.until}${reminder.nonWorkingDay === 'any-day' ? '' : ' on working days'}, on their planned day.`,
    };
  }
  return {
    action: 'send',
    channel: planned.channel,
    templateKey: planned.templateKey,
    personalisation: planned.personalisation,
  };
}

/** The message's text for the local mailbox: the definition's words with the fields filled in. */
export function renderPatientMessageText(
  kind: string,
  personalisation: Readonly<Record<string, string>>,
  reminders: readonly PatientReminderDefinition[],
): string {
  const reminder = reminders.find((r) => r.kind === kind);
  if (!reminder) throw new Error(`No patient reminder "${kind}" to render`);
  return reminder.text.replace(/\(\(([a-z_]+)\)\)/g, (_whole, field: string) => {
    const value = personalisation[field];
    if (value === undefined) throw new Error(`Patient reminder "${kind}" needs ((${field}))`);
    return value;
  });
}
