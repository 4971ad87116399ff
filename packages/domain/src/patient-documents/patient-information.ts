import type { PatientWording } from '../pathway/definition.js';

/**
 * The pathway-level parts of the patient's written plan (what happened, what to expect, pain
 * relief by band, safe movement, red flags, where to get help). Filled in by each pathway version
 * that has patient wording; read by written-plan.ts.
 *
 * Which steps and recommendations go into which section is data here too, so the builder names no
 * step. Wording may hold placeholders the builder fills from the plan's own dates:
 * `{opens}` and `{due}` (the step's window), `{restrictionEnds}` (the day the lifting restriction
 * ends: the fracture date plus the version's subacute limit, 12 weeks), `{fractureDate}` and
 * `{painScoreDate}` (the day of the pain score the advice is read from). A test checks that every
 * placeholder used is one of these.
 */
export interface PatientInformation {
  /** What happened and what to expect, for everyone. */
  readonly whatHappened: readonly PatientWording[];
  /** Pain relief for the current pain band, read from these recommendations' patient wording. */
  readonly painRelief: {
    /** The recommendations, one per band, whose `patient` wording says what to take. */
    readonly recommendations: readonly string[];
    /** No pain score is recorded yet. */
    readonly noScore: PatientWording;
    /** The latest score is older than the version's limit: ask, do not repeat old advice. */
    readonly staleScore: PatientWording;
    /** Said with any band: the advice follows the latest score. */
    readonly basedOn: PatientWording;
  };
  /** Moving safely: general wording, then the recommendations that apply (bed rest, bracing, lifting). */
  readonly movement: {
    readonly general: readonly PatientWording[];
    readonly recommendations: readonly string[];
  };
  /** Steps whose dates the patient is given (exercise, scans, reviews, doses), in this order. */
  readonly dates: {
    readonly steps: readonly string[];
    /** Added to a step whose due day has passed. */
    readonly late: PatientWording;
  };
  /** Looking after your bones: recommendations that apply (calcium and vitamin D). */
  readonly bones: { readonly recommendations: readonly string[] };
  /** On the red-flag branch: this replaces the routine advice above. */
  readonly specialistCare: {
    readonly general: readonly PatientWording[];
    readonly recommendations: readonly string[];
  };
  /** Warning signs and what to do at once. */
  readonly redFlags: {
    readonly intro: PatientWording;
    readonly signs: readonly PatientWording[];
    readonly whatToDo: readonly PatientWording[];
  };
  /** The Royal Osteoporosis Society: what it offers and how to reach it. */
  readonly signposting: {
    readonly text: readonly PatientWording[];
    readonly helpline: PatientWording;
    readonly email: PatientWording;
    readonly website: PatientWording;
  };
}

/** The placeholders patient wording may use; written-plan.ts fills each from the plan. */
export const PATIENT_WORDING_PLACEHOLDERS = [
  'opens',
  'due',
  'restrictionEnds',
  'fractureDate',
  'painScoreDate',
] as const;
export type PatientWordingPlaceholder = (typeof PATIENT_WORDING_PLACEHOLDERS)[number];
