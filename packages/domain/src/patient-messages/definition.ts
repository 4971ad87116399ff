import type { TimingBasis } from '../pathway/sources.js';
import type { CalendarOffset } from '../time/offset.js';

/** The personalisation fields a patient reminder's template may use (Notify's `((field))`). */
export const PATIENT_MESSAGE_FIELDS = {
  first_name: "The patient's given name, as recorded.",
  date: 'The date the reminder is about, as people read it: "Tuesday 7 April 2026".',
} as const;
export type PatientMessageField = keyof typeof PATIENT_MESSAGE_FIELDS;

/**
 * One kind of reminder sent to the patient (GOV.UK Notify, or the local mailbox without a key):
 * what it is about and when it goes, with its source or labelled a service standard. Listed by
 * each pathway version that sends patient reminders; read by the patient-message policy
 * (patient-messages/policy.ts).
 */
export interface PatientReminderDefinition {
  /** Stable name, stored with every message ('denosumab-dose-before', ...). Never renamed. */
  readonly kind: string;
  /** What it is, for staff: "Denosumab: book your injection (before the due date)". */
  readonly title: string;
  /** The pathway step it is about (every instance of the step gets its own message). */
  readonly stepId: string;
  /**
   * The step's date it is measured from: 'due' (the day the step falls due, or the day a
   * scheduler moved its reminder to), 'opens' (the first day of the step's window) or
   * 'appointment' (the day of the appointment booked on the step: planned only while one is
   * booked, and a message per appointment day, so a moved appointment gets a new message).
   */
  readonly from: 'due' | 'opens' | 'appointment';
  /** How far from that date it is sent: negative days go before it ({ days: -14 }). */
  readonly offset: CalendarOffset;
  /**
   * When that day is a weekend or bank holiday: send on the working day before it ('earlier'),
   * the working day after it ('later'), or on the day itself ('any-day').
   */
  readonly nonWorkingDay: 'earlier' | 'later' | 'any-day';
  /**
   * The template, independent of channel: the service creates one Notify template per kind and
   * channel and configures its id (README, "Patient messages"). The product sends these fields
   * only; the wording is the template's.
   */
  readonly templateKey: string;
  readonly personalisation: readonly PatientMessageField[];
  /**
   * The local mailbox's rendering of the message (no NOTIFY_API_KEY): the same words a service
   * would put in its Notify template, with `((field))` placeholders.
   */
  readonly text: string;
  /** Why it goes when it does: a source, or a service standard with its explanation. */
  readonly timing: TimingBasis;
}
