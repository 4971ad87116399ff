/**
 * Reminder policy: which reminder a step gets, who it goes to and on which channels, what it
 * replaces, when a scheduler may send one by hand, and which reminders close when a step settles.
 * Pure: the database hands in what exists (the step, its open reminders, the last reminder sent
 * by hand, the nurse) and the instant; it writes what is decided here and decides nothing itself.
 */
import type { StepStatus } from '../pathway/facts.js';
import type { TimingBasis } from '../pathway/sources.js';
import { isActive, isReminderTimer } from '../plan/compute-plan.js';
import type { TimerTransition } from '../plan/types.js';
import type { EpochMs } from '../time/calendar.js';

/** 'due' and 'overdue' come from a step's timers (overdue escalates); 'manual' is sent by hand. */
export type ReminderKind = 'due' | 'overdue' | 'manual';

/** In-app: on the nurse's worklist, delivered when written. E-mail: sent by the worker. */
export type ReminderChannel = 'in_app' | 'email';

/** A reminder the step already has (open: on the worklist, not yet superseded or resolved). */
export interface OpenReminder {
  readonly id: string;
  readonly kind: string;
}

/** The patient's responsible nurse, as stored when the reminder is made. */
export interface ResponsibleNurse {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly active: boolean;
}

export type ReminderDelivery =
  /** The worklist of the patient's nurse; with no nurse, the list of patients on nobody's caseload. */
  | { readonly channel: 'in_app'; readonly recipient: string | null }
  | { readonly channel: 'email'; readonly recipient: string };

/** A reminder to create, with its deliveries and the reminders it replaces. */
export interface NewReminder {
  readonly kind: ReminderKind;
  readonly urgent: boolean;
  /** Whose worklist it is on: the patient's responsible nurse now, not the one at planning time. */
  readonly nurseId: string | null;
  /** For a reminder sent by hand: who sent it. */
  readonly requestedBy: string | null;
  /** The in-app delivery always; the e-mail when the policy sends one. */
  readonly deliveries: readonly ReminderDelivery[];
  /** Open reminders of the same step that this one replaces (closed as 'superseded'). */
  readonly supersedes: readonly string[];
}

/**
 * A second "send now" for the same step within this time is refused.
 */
export const MANUAL_REMINDER_COOLDOWN = {
  ms: 15 * 60_000,
  basis: {
    kind: 'service-standard',
    explanation:
      'The guidance sets no interval between reminders sent by hand. This service refuses a second "send now" for the same step within 15 minutes: it is almost always a double submission, and the nurse would get the same e-mail twice.',
  } satisfies TimingBasis,
} as const;

export const MANUAL_REMINDER_COOLDOWN_MS = MANUAL_REMINDER_COOLDOWN.ms;

// --- A step's timer fires -----------------------------------------------------------------------

export interface TimerReminderInput {
  /** The timer that fired. Only 'due' and 'overdue' remind; the others only move the status. */
  readonly transition: TimerTransition;
  /** The step's urgency at the timer (stepAtTimer). */
  readonly urgent: boolean;
  /** The step's open reminders. */
  readonly open: readonly OpenReminder[];
  /** The patient's responsible nurse (null: on nobody's caseload). */
  readonly nurse: ResponsibleNurse | null;
  /** The service sends reminders by e-mail as well as on the worklist (EMAIL_REMINDERS). */
  readonly emailReminders: boolean;
}

export type TimerReminderDecision =
  | { readonly create: true; readonly reminder: NewReminder }
  | { readonly create: false; readonly why: string };

/**
 * The reminder a step's timer makes, if any. A status change at the start of a day ('due-day',
 * 'overdue-day') tells nobody: its reminder follows on a working morning (resolveWindow). A step
 * has at most one open reminder of each timer kind, so a timer planned again after a change of
 * plan does not remind twice. The overdue reminder is an escalation: it replaces every open
 * reminder of the step on the worklist (the due one, and any sent by hand).
 */
export function reminderAtTimer(input: TimerReminderInput): TimerReminderDecision {
  const { transition } = input;
  if (!isReminderTimer(transition)) {
    return {
      create: false,
      why: `a "${transition}" timer only changes the step's status; its reminder follows on a working morning`,
    };
  }
  if (input.open.some((reminder) => reminder.kind === transition)) {
    return {
      create: false,
      why: `the step already has an open "${transition}" reminder`,
    };
  }
  const nurse = input.nurse;
  const deliveries: ReminderDelivery[] = [{ channel: 'in_app', recipient: nurse?.id ?? null }];
  // E-mail only to a nurse who can act on it: a deactivated account's mailbox may be unread.
  if (input.emailReminders && nurse?.active) {
    deliveries.push({ channel: 'email', recipient: nurse.email });
  }
  return {
    create: true,
    reminder: {
      kind: transition,
      urgent: input.urgent,
      nurseId: nurse?.id ?? null,
      requestedBy: null,
      deliveries,
      supersedes: transition === 'overdue' ? input.open.map((reminder) => reminder.id) : [],
    },
  };
}

// --- A scheduler sends one now -----------------------------------------------------------------

export interface SendNowInput {
  readonly step: { readonly title: string; readonly status: StepStatus; readonly urgent: boolean };
  /** The patient's responsible nurse (null: on nobody's caseload). */
  readonly nurse: ResponsibleNurse | null;
  /** When the last reminder about this step was sent by hand (any status), if ever. */
  readonly lastSentByHandAt: EpochMs | undefined;
  /** Who asks. */
  readonly requestedBy: string;
  readonly now: EpochMs;
}

export type SendNowRefusal = 'step-settled' | 'no-nurse' | 'cool-down';

export type SendNowDecision =
  | { readonly allowed: true; readonly reminder: NewReminder }
  | { readonly allowed: false; readonly refusal: SendNowRefusal; readonly reason: string };

/**
 * Whether a scheduler may send a reminder about a step now, and the reminder if so. It goes to
 * the patient's responsible nurse on the worklist and by e-mail, whatever the automatic e-mail
 * setting: a scheduler who asks to send now wants the nurse told. It replaces nothing.
 */
export function reminderSentNow(input: SendNowInput): SendNowDecision {
  const { step, nurse } = input;
  if (!isActive(step.status)) {
    return {
      allowed: false,
      refusal: 'step-settled',
      reason: `"${step.title}" is ${step.status}: it needs no reminder. Refresh the list to see the plan as it is now.`,
    };
  }
  if (!nurse?.active) {
    return {
      allowed: false,
      refusal: 'no-nurse',
      reason:
        'The patient has no active responsible nurse to remind; assign the patient to a nurse first.',
    };
  }
  const last = input.lastSentByHandAt;
  if (last !== undefined && input.now - last < MANUAL_REMINDER_COOLDOWN.ms) {
    const minutes = MANUAL_REMINDER_COOLDOWN.ms / 60_000;
    return {
      allowed: false,
      refusal: 'cool-down',
      reason: `A reminder about "${step.title}" was already sent to ${nurse.name} at ${new Date(last).toISOString()}; wait ${minutes} minutes before sending another (from ${new Date(last + MANUAL_REMINDER_COOLDOWN.ms).toISOString()}).`,
    };
  }
  return {
    allowed: true,
    reminder: {
      kind: 'manual',
      urgent: step.urgent,
      nurseId: nurse.id,
      requestedBy: input.requestedBy,
      deliveries: [
        { channel: 'in_app', recipient: nurse.id },
        { channel: 'email', recipient: nurse.email },
      ],
      supersedes: [],
    },
  };
}

// --- A step settles ----------------------------------------------------------------------------

/**
 * The steps whose open reminders close: every step that no longer needs action (completed, not
 * applicable, cancelled, or its episode closed). They close as 'resolved', which tells them apart
 * from a reminder an escalation replaced ('superseded').
 */
export function remindersClosedBySettling(
  steps: readonly { readonly key: string; readonly status: StepStatus }[],
): { readonly stepKeys: readonly string[]; readonly as: 'resolved' } {
  return {
    stepKeys: steps.filter((step) => !isActive(step.status)).map((s) => s.key),
    as: 'resolved',
  };
}
