import type { PatientWording } from '../pathway/definition.js';

/**
 * The pathway-level parts of the patient's written plan (what happened, what to expect, pain
 * relief by band, safe movement, red flags, where to get help). Filled in by each pathway version
 * that has patient wording; read by written-plan.ts.
 */
export interface PatientInformation {
  readonly whatHappened: PatientWording;
}
