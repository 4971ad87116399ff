export { type AuditKind, auditActionCode, auditEventResource, auditKindOf } from './audit-event.js';
export {
  ACTIONABLE_STEP_STATUSES,
  ACTIVITY_STATUS_OF_STEP,
  type ActionableStepStatus,
  carePlanResource,
  carePlanStatus,
  isActionable,
  taskResources,
} from './care-plan.js';
export { type StandingEntry, standingEntries } from './common.js';
export {
  documentReferenceResource,
  GP_LETTER_CATEGORY_TEXT,
  GP_LETTER_SYSTEM,
  GP_LETTER_TYPE_TEXT,
  gpLetterBinary,
  type SignedLetterRecord,
} from './document-reference.js';
export {
  CONDITION_TEXT,
  conditionResource,
  EPISODE_TYPE_TEXT,
  episodeOfCareResource,
} from './episode.js';
export {
  type EpisodeResource,
  episodeResources,
  type PatientCompartmentResource,
  patientResources,
} from './everything.js';
export {
  medicationStatementResources,
  REFERRAL_WORDS,
  serviceRequestResources,
} from './medications.js';
export { observationResources } from './observations.js';
export { GENDER_OF_SEX, patientIdentifier, patientResource } from './patient.js';
