import type { RecordedValueKind, StepCategory } from '../pathway/definition.js';
import type { BoneTherapyDrug } from '../pathway/drugs.js';
import type { StepStatus } from '../pathway/facts.js';
import type { SourceDocumentId, TimingBasis } from '../pathway/sources.js';

export type { StepStatus };

/** A citation as the plan shows it: the document, its file, the section and the words. */
export interface Citation {
  readonly document: SourceDocumentId;
  readonly title: string;
  readonly file: string;
  readonly section: string;
  readonly quote: string;
}

/** A change of a step's status: it opens, it falls due, it becomes overdue. */
export type Transition = 'open' | 'due' | 'overdue';

/**
 * What a timer does when it fires. 'due' and 'overdue' send the step's due or overdue reminder
 * (and apply the status the step has at the timer's time); 'open', 'due-day' and 'overdue-day'
 * only change the status, at the start of a day window's opening, due or overdue day, when the
 * reminder goes out at another time (a working morning; see resolveWindow in window.ts). The
 * follow-up rows store this text, so the names never change.
 */
export type TimerTransition = Transition | 'due-day' | 'overdue-day';

/** When a step's reminders go out: the due reminder (if any) and the overdue escalation. */
export interface PlanReminders {
  /**
   * Absent when no working day falls inside the window before the step becomes overdue: the
   * overdue reminder is then the first (the step's reason says so).
   */
  readonly due?: string;
  readonly overdue: string;
}

export interface PlanWindow {
  readonly granularity: 'day' | 'exact';
  /** What the window is measured from, in words ("fracture date 2025-01-06"). */
  readonly anchor: string;
  /** The window as the guidance or service standard defines it (local dates for day windows). */
  readonly opens: string;
  readonly due: string;
  /** First moment (exact) or first day (day windows) the step counts as overdue. */
  readonly overdueFrom: string;
  /**
   * When each status change takes effect: the guidance's own dates, never moved (day windows:
   * the start of the local opening, due and overdue days; hour windows: the exact instants).
   */
  readonly transitions: Readonly<Record<Transition, string>>;
  /**
   * When the due and overdue reminders go out: at the clinic time on a working day for day
   * windows, at the transitions themselves for hour windows. Plans stored before this field
   * existed lack it; their reminders were the transitions.
   */
  readonly reminders: PlanReminders;
  /** Why a reminder is not on its guideline day ("due reminder moved from 2026-04-06 ..."). */
  readonly adjustments: readonly string[];
  /**
   * The day a scheduler moved the due reminder to (step-rescheduled), within the window; the
   * guidance dates and the status changes above do not change. Absent when the due reminder is where the plan put it.
   */
  readonly rescheduledTo?: string;
  readonly timing: TimingBasis;
}

export interface PlanCompletion {
  readonly eventId: string;
  readonly eventType: string;
  readonly at: string;
  readonly recordedBy: string;
  readonly outcome: 'done' | 'declined' | 'not-indicated';
}

export interface PlanStep {
  /** Unique in the plan and stable across recomputation: the step id, plus the instance. */
  readonly key: string;
  readonly stepId: string;
  readonly title: string;
  readonly why: string;
  readonly action: string;
  readonly category: StepCategory;
  readonly sources: readonly Citation[];
  readonly kpi: string | undefined;
  readonly status: StepStatus;
  /** Why the step has this status, in words. */
  readonly reason: string;
  readonly urgent: boolean;
  readonly window: PlanWindow | undefined;
  readonly completion: PlanCompletion | undefined;
  readonly notes: readonly string[];
  /** For a step of one therapy course (its doses, its review): the course's drug. */
  readonly drug?: BoneTherapyDrug;
  /**
   * For a step that takes an appointment (the DXA scan, from version 3): the appointment the
   * latest dxa-appointment entry in effect leaves. Absent when none was ever recorded.
   */
  readonly appointment?: PlanAppointment;
}

/** An appointment recorded for a step (plan/appointments.ts). */
export interface PlanAppointment {
  readonly state: 'booked' | 'cancelled';
  /** The appointment's day (service calendar); for a cancelled one, the day it was, if known. */
  readonly on?: string;
  /** Local time, HH:MM, when recorded. */
  readonly time?: string;
  /** Where, as recorded. */
  readonly place?: string;
  /** The entry that decided it, and when that was entered (ISO instant). */
  readonly eventId: string;
  readonly recordedAt: string;
}

export interface PlanRecommendation {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly category: StepCategory;
  readonly priority: 'urgent' | 'high' | 'routine';
  /** Why it is recommended now: the facts that made it apply. */
  readonly reason: string;
  readonly sources: readonly Citation[];
  readonly cautions: readonly { readonly text: string; readonly source: Citation }[];
  readonly contested: boolean;
  readonly conflicts: readonly { readonly position: string; readonly source: Citation }[];
  /**
   * The recorded values the recommendation was read from, each with its date and age: empty when
   * it reads none. A recommendation that asks for a new assessment (`withholds` not empty) is
   * based on the stale value it replaces.
   */
  readonly basedOn: readonly RecordedBasis[];
  /**
   * For a request to assess again: the recommendations the stale value would have given, held
   * back until it is assessed again. Empty for every other recommendation.
   */
  readonly withholds: readonly { readonly id: string; readonly title: string }[];
}

/** A recorded value a recommendation was read from, as of the plan's instant. */
export interface RecordedBasis {
  readonly what: RecordedValueKind;
  readonly eventId: string;
  /** When it happened (ISO instant). */
  readonly at: string;
  /** The day it happened on the service's calendar (YYYY-MM-DD). */
  readonly on: string;
  /** Whole service-calendar days from that day to the plan's day. */
  readonly ageDays: number;
  /** Older than its pathway version's limit: its advice is held back. */
  readonly stale: boolean;
  /** The limit it was judged against; undefined when the version sets none. */
  readonly limitDays: number | undefined;
  readonly limitBasis: TimingBasis | undefined;
}

/**
 * A moment at which a step changes status or a reminder goes out; the worker turns each into a
 * delayed job.
 */
export interface Timer {
  /** Deterministic: the same plan always gives the same id; a moved timer gets a new id. */
  readonly id: string;
  readonly episodeId: string;
  readonly stepKey: string;
  readonly transition: TimerTransition;
  readonly fireAt: string;
  /** Whether the step is urgent at `fireAt`. */
  readonly urgent: boolean;
}

export type Phase = 'acute' | 'subacute' | 'chronic';

export interface Plan {
  readonly pathwayVersion: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly asOf: string;
  readonly timeZone: string;
  readonly daysSinceFracture: number;
  readonly phase: Phase;
  readonly branch: 'conservative' | 'red-flag';
  readonly redFlags: readonly string[];
  readonly closure: { readonly reason: string; readonly at: string } | undefined;
  readonly steps: readonly PlanStep[];
  readonly recommendations: readonly PlanRecommendation[];
  readonly timers: readonly Timer[];
}
