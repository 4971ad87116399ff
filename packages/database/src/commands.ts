// Every change a person or an API key makes: each command runs in one transaction with its audit entry.

/** The send-now cool-down; the domain's reminder policy owns it (MANUAL_REMINDER_COOLDOWN). */
export { MANUAL_REMINDER_COOLDOWN_MS } from '@vfx/domain';
export {
  type ApiKeyCreated,
  createApiKey,
  revokeApiKey,
} from './auth/api-keys.js';
export {
  type AccountChange,
  changeUserRole,
  createUser,
  deactivateUser,
  reactivateUser,
} from './auth/users.js';
export {
  type RescheduleStepInput,
  rescheduleStep,
} from './commands/reschedule-step.js';
export { retryDelivery } from './commands/retry-delivery.js';
export {
  type ActorId,
  type CommandOptions,
  type CommandScope,
  loadActor,
  runCommand,
} from './commands/run-command.js';
export {
  type SendReminderNowInput,
  type SentReminder,
  sendReminderNow,
} from './commands/send-reminder-now.js';
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
  type CaseloadMove,
  type CaseloadReassignment,
  MAX_SELECTED_PATIENTS,
  previewCaseloadReassignment,
  type ReassignmentInput,
  reassignCaseload,
} from './records/caseload.js';
export { setEstimatedYearlyCaseload } from './records/service-settings.js';
export {
  DemographicsSchema,
  type EnrolmentInput,
  type EnrolmentResult,
  enrolPatient,
  enrolPatients,
  mayRecord,
  type PreviewEventInput,
  PreviewOutdatedError,
  previewEvent,
  type RecordEventInput,
  type RecordEventResult,
  recordEvent,
  runWrite,
  type WriteOptions,
} from './records/write-path.js';
