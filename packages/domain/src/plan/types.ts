import type { RecordedValueKind, StepCategory } from '../pathway/definition.js';
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

export type Transition = 'open' | 'due' | 'overdue';

export interface PlanWindow {
  readonly granularity: 'day' | 'exact';
  /** What the window is measured from, in words ("fracture date 2025-01-06"). */
  readonly anchor: string;
  /** The window as the guidance or service standard defines it (local dates for day windows). */
  readonly opens: string;
  readonly due: string;
  /** First moment (exact) or first day (day windows) the step counts as overdue. */
  readonly overdueFrom: string;
  /** When each status change takes effect, moved onto working days at the clinic time. */
  readonly transitions: Readonly<Record<Transition, string>>;
  /** Why a reminder moved ("due moved from Sunday 2025-03-30 to Friday 2025-03-28"). */
  readonly adjustments: readonly string[];
  /**
   * The day a scheduler moved the due reminder to (step-rescheduled), within the window; the
   * guidance dates above do not change. Absent when the due reminder is where the plan put it.
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

/** A moment at which a step changes status; the worker turns each into a delayed job. */
export interface Timer {
  /** Deterministic: the same plan always gives the same id; a moved timer gets a new id. */
  readonly id: string;
  readonly episodeId: string;
  readonly stepKey: string;
  readonly transition: Transition;
  readonly fireAt: string;
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
