import type { EventType } from '../inputs/schemas.js';
import type { PatientInformation } from '../patient-documents/patient-information.js';
import type { PatientReminderDefinition } from '../patient-messages/definition.js';
import type { Phase } from '../plan/types.js';
import type { CalendarOffset, ExactOffset } from '../time/offset.js';
import type { BoneTherapyDrug } from './drugs.js';
import type { FactName } from './facts.js';
import type { SourceRef, TimingBasis } from './sources.js';

/**
 * A pathway definition is data: steps and recommendations with their conditions, anchors,
 * windows and sources. The engine interprets it; nothing about a particular step is hard-coded
 * in the engine. A published version is never edited: a change is a new version, and episodes
 * keep the version they were enrolled under until someone moves them on purpose.
 */
export interface PathwayDefinition {
  /** e.g. "ros-2022.1". */
  readonly version: string;
  readonly title: string;
  readonly publishedOn: string;
  /** NRS thresholds of the analgesia table: mild <= mildMax < moderate <= moderateMax < severe. */
  readonly painBands: { readonly mildMax: number; readonly moderateMax: number };
  /** Phase boundaries in days after the fracture: acute until, subacute until, then chronic. */
  readonly phases: { readonly acuteUntilDay: number; readonly subacuteUntilDay: number };
  readonly steps: readonly StepDefinition[];
  readonly recommendations: readonly RecommendationDefinition[];
  /**
   * How the version reads bone therapy taken before the fracture (prior-bone-therapy entries).
   * A version without it refuses them: its courses all start with a start recorded since the
   * fracture.
   */
  readonly priorTherapy?: PriorTherapyRules;
  /**
   * How old each kind of recorded value may be before the advice it gives is held back and a new
   * assessment asked for instead. Absent (version 1): values never go stale, though the plan
   * still states each value's date.
   */
  readonly staleness?: Readonly<Partial<Record<RecordedValueKind, StalenessLimit>>>;
  /**
   * What the patient is told in their written plan (patient-documents/written-plan.ts), beside
   * the per-step and per-recommendation wording (`patient` on each). Absent (versions 1 and 2):
   * the version has no patient wording, and no written plan can be produced under it.
   */
  readonly patientInformation?: PatientInformation;
  /**
   * The reminders sent to the patient (GOV.UK Notify or the local mailbox): which kinds exist,
   * what they are about and when they go. Absent (versions 1 and 2): patients are sent nothing.
   */
  readonly patientReminders?: readonly PatientReminderDefinition[];
}

/**
 * Words written for the patient (reading age about 9 to 11: short sentences, everyday words), with
 * where they come from: a quotation from the guidance, or a service standard saying why.
 */
export interface PatientWording {
  readonly text: string;
  readonly source: SourceRef | { readonly serviceStandard: string };
}

export interface PriorTherapyRules {
  /**
   * Time on a drug still taken at the fracture, counted to the date of fracture, from which the
   * fracture counts as a fracture on treatment (the fractureOnTreatment fact).
   */
  readonly minimumOnTreatment: CalendarOffset;
  /** Where that minimum comes from, shown in the pathway document. */
  readonly basis: TimingBasis;
}

/** The recorded values recommendations read: the latest entry of each of these kinds. */
export const RECORDED_VALUE_KINDS = [
  'pain-assessment',
  'psychological-screen',
  'fracture-risk-assessment',
  'follow-up-contact',
] as const satisfies readonly EventType[];
export type RecordedValueKind = (typeof RECORDED_VALUE_KINDS)[number];

/** When a recorded value stops standing for the patient now. */
export interface StalenessLimit {
  /**
   * Stale when older than this many days (service calendar days from the day it was recorded):
   * one limit, or one per phase of recovery on the day it was recorded (pain changes faster in
   * the acute phase). null: no limit, and the basis says why.
   */
  readonly days: number | Readonly<Record<Phase, number>> | null;
  readonly basis: TimingBasis;
  /** What to do instead of repeating old advice: "Reassess pain". */
  readonly reassess: string;
  /** How, in a sentence: "Ask for pain scores at rest and on activity and record them." */
  readonly action: string;
}

export type Scalar = string | number | boolean;

/** A condition over facts; see facts.ts for what each fact means. */
export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | FactTest;

export interface FactTest {
  readonly fact: FactName;
  /** For per-step facts (stepStatus): which step. */
  readonly step?: string;
  readonly eq?: Scalar;
  readonly in?: readonly Scalar[];
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
}

export type StepCategory =
  | 'red-flag'
  | 'acute-care'
  | 'rehabilitation'
  | 'holistic-assessment'
  | 'secondary-prevention'
  | 'bone-therapy';

/** The findings that take a patient off the routine conservative pathway. */
export type RedFlagFinding =
  | 'neurologicalDeficit'
  | 'suspectedMalignancy'
  | 'multipleColumnInvolvement';

/** What starts a step, and so what its window is measured from. */
export type StepTrigger =
  /** Once per episode, measured from an episode date or time. */
  | {
      readonly kind: 'episode';
      readonly anchor: 'fracture-date' | 'identified-date' | 'enrolment' | 'admission';
    }
  /** Once, from the moment a red-flag finding was first recorded (at enrolment or later). */
  | { readonly kind: 'finding'; readonly finding: RedFlagFinding }
  /** Once, from the first event that matches. */
  | { readonly kind: 'first-event'; readonly event: EventType; readonly where?: Condition }
  /** One instance for every event that matches (e.g. each severe pain score). */
  | { readonly kind: 'each-event'; readonly event: EventType; readonly where?: Condition }
  /**
   * One instance per therapy course of these drugs, from the course start. When the course is
   * stopped the step is cancelled, or (for a follow-on that is needed whenever the course ends)
   * falls due on the day it stopped.
   */
  | {
      readonly kind: 'therapy-course';
      readonly drugs: readonly BoneTherapyDrug[];
      readonly onStop: 'cancel' | 'due-when-stopped';
    }
  /** The next dose of each course of these drugs, from the last dose given. */
  | { readonly kind: 'next-dose'; readonly drugs: readonly BoneTherapyDrug[] };

/**
 * When a step opens, is due, and becomes overdue, measured from its anchor. Day-level windows
 * are calendar arithmetic on local dates and their reminders land at the clinic time on a working
 * day; exact windows are elapsed hours and land at the exact instant (wards work weekends).
 */
export type WindowDefinition =
  | {
      readonly granularity: 'day';
      readonly opens: CalendarOffset;
      readonly due: CalendarOffset;
      /** Overdue from the day after anchor + this offset ("overdue after 12 weeks"). */
      readonly overdueAfter: CalendarOffset;
      readonly timing: TimingBasis;
    }
  | {
      readonly granularity: 'exact';
      readonly opens: ExactOffset;
      readonly due: ExactOffset;
      /** Overdue from exactly anchor + this offset. */
      readonly overdueAfter: ExactOffset;
      readonly timing: TimingBasis;
    };

/** A recorded event that completes a step. */
export interface CompletionRule {
  readonly event: EventType;
  readonly where?: Condition;
  /**
   * How early the event may be and still count: from the step's anchor, from when its window
   * opens, or any time in the episode (a referral made before the step appeared still counts).
   */
  readonly from: 'anchor' | 'opens' | 'episode';
  /**
   * Why an entry made before the window opens does or does not count, from the guidance, shown
   * on the step page; without it the page states the rule plainly.
   */
  readonly early?: { readonly text: string; readonly source?: SourceRef };
}

export interface StepDefinition {
  readonly id: string;
  readonly title: string;
  /** Why the step exists, in a sentence a nurse can read to a patient. */
  readonly why: string;
  readonly category: StepCategory;
  readonly sources: readonly SourceRef[];
  /**
   * "conservative": the routine conservative pathway, which patients with a red flag leave for
   * specialist care. "all": applies whatever the branch.
   */
  readonly branch: 'conservative' | 'all';
  /** Episode-level condition for the step to apply at all. */
  readonly appliesWhen?: Condition;
  /**
   * `appliesWhen` in words a nurse reads, completing "Applies only when …" ("the patient was
   * admitted to hospital"). Required with appliesWhen (a test checks every published version):
   * a plan's reasons never show the condition's rule text.
   */
  readonly appliesOnlyWhen?: string;
  /** Shown when the step does not apply because no trigger event has happened yet. */
  readonly waitingFor?: string;
  readonly trigger: StepTrigger;
  readonly window: WindowDefinition;
  /** Besides these, a step-completed event naming the step always completes it. */
  readonly completedBy: readonly CompletionRule[];
  /** Urgent steps go to the top of worklists; "overdue" means urgent only once overdue. */
  readonly urgency: 'routine' | 'urgent' | 'urgent-when-overdue';
  /** What to do, shown with the step. */
  readonly action: string;
  /** Audit measure this step counts towards (FLS-DB key performance indicator). */
  readonly kpi?: string;
  /** Notes shown on the step when their episode-level condition holds (e.g. where sources differ). */
  readonly notes?: readonly { readonly when: Condition; readonly text: string }[];
  /**
   * For steps that may be completed before their window opens under a condition (read as of the
   * completion): the note shown either way, so an early completion is visibly justified or not.
   */
  readonly earlyCompletion?: {
    readonly acceptedWhen: Condition;
    readonly accepted: string;
    readonly questioned: string;
  };
  /** What the patient's written plan says about this step (versions with patient wording). */
  readonly patient?: PatientStepWording;
  /**
   * The entry that records an appointment for this step ('dxa-appointment'): the step offers it,
   * the plan shows the current appointment on the step, and patient reminders may be measured
   * from its day. It never completes the step. Versions without it refuse the entry.
   */
  readonly appointmentEntry?: 'dxa-appointment';
}

/** A step as the patient reads it: a heading ("Your exercise programme") and what it means. */
export interface PatientStepWording extends PatientWording {
  readonly title: string;
  /**
   * Said instead of `text` when the step is overdue (its due day has passed), where the patient
   * must act rather than wait (a late dose). Without it, the version's `dates.late` is added.
   */
  readonly overdue?: PatientWording;
}

export interface SourcePosition {
  readonly position: string;
  readonly source: SourceRef;
}

export interface RecommendationDefinition {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly category: StepCategory;
  readonly priority: 'urgent' | 'high' | 'routine';
  readonly when: Condition;
  /**
   * Why it is recommended, as a sentence a nurse reads: `when` in words ("Pain was still severe
   * 12 weeks or more after the fracture"). The plan's reason is this sentence, never the rule.
   */
  readonly because: string;
  readonly sources: readonly SourceRef[];
  readonly cautions?: readonly { readonly text: string; readonly source: SourceRef }[];
  /** Marked when the evidence or the sources are divided. */
  readonly contested?: boolean;
  /** Where sources disagree, each position with its source. */
  readonly conflicts?: readonly SourcePosition[];
  /** What the patient's written plan says when this recommendation applies. */
  readonly patient?: PatientWording;
}
