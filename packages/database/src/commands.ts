// Every change a person or an API key makes: each command is one module under commands/, and
// runs through runCommand (one transaction, the actor and the domain's permission checked, the
// audit entry written with the change).

/** The send-now cool-down; the domain's reminder policy owns it (MANUAL_REMINDER_COOLDOWN). */
export { MANUAL_REMINDER_COOLDOWN_MS } from '@vfx/domain';
export { issueQueueBoardTicket, type QueueBoardTicket } from './auth/queue-board.js';
export type { AccountChange } from './auth/users.js';
export {
  type ChangeOwnPasswordInput,
  changeOwnPassword,
  type PasswordChanged,
} from './commands/change-own-password.js';
export { changeUserRole } from './commands/change-user-role.js';
export { type ApiKeyCreated, createApiKey } from './commands/create-api-key.js';
export { createHashedUser, createUser } from './commands/create-user.js';
export { deactivateUser } from './commands/deactivate-user.js';
export {
  type EnrolmentInput,
  type EnrolmentResult,
  enrolPatient,
  enrolPatients,
} from './commands/enrol-patient.js';
export {
  cancelFhirExport,
  FHIR_EXPORT_LIFETIME_MS,
  FHIR_EXPORT_MESSAGES_TYPE,
  FHIR_EXPORT_RESOURCE_TYPES,
  FHIR_EXPORT_STATES,
  type FhirExportRequest,
  type FhirExportResourceType,
  type FhirExportStarted,
  type FhirExportState,
  isFhirExportResourceType,
  requestFhirExport,
} from './commands/fhir-export.js';
export { reactivateUser } from './commands/reactivate-user.js';
export {
  type CaseloadMove,
  type CaseloadReassignment,
  MAX_SELECTED_PATIENTS,
  previewCaseloadReassignment,
  type ReassignmentInput,
  reassignCaseload,
} from './commands/reassign-caseload.js';
export {
  type PreviewEventInput,
  PreviewOutdatedError,
  previewEvent,
  type RecordEventInput,
  type RecordEventResult,
  recordEvent,
} from './commands/record-event.js';
export {
  type RescheduleStepInput,
  rescheduleStep,
} from './commands/reschedule-step.js';
export {
  type PasswordReset,
  type ResetPasswordInput,
  resetUserPassword,
} from './commands/reset-password.js';
export { retryDelivery } from './commands/retry-delivery.js';
export {
  type PatientMessageRetried,
  retryPatientMessage,
} from './commands/retry-patient-message.js';
export { revokeApiKey } from './commands/revoke-api-key.js';
export {
  type ActorId,
  auditUnchanged,
  type CommandOptions,
  type CommandScope,
  loadActor,
  requirePermission,
  runCommand,
} from './commands/run-command.js';
export {
  type SendReminderNowInput,
  type SentReminder,
  sendReminderNow,
} from './commands/send-reminder-now.js';
export {
  type ContactPreferencesSaved,
  type OptedOut,
  type OptOutInput,
  optOutPatient,
  setContactPreferences,
} from './commands/set-contact-preferences.js';
export { setEstimatedYearlyCaseload } from './commands/set-estimated-yearly-caseload.js';
export {
  ACCESS_ACTIONS,
  type AccessAction,
  type AccessEntry,
  ANONYMOUS_ACTOR,
  apiKeyPrefixOf,
  recordAccess,
  recordSearch,
  SEARCH_LIFETIME_MS,
  type SearchInput,
} from './records/access-audit.js';
export {
  type AuditInput,
  audit,
} from './records/audit.js';
export {
  DemographicsSchema,
  runWrite,
  type WriteOptions,
} from './records/write-path.js';
