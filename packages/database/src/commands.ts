// Every change a person or an API key makes: each command runs in one transaction with its audit entry.

export {
  type ApiKeyCreated,
  createApiKey,
  revokeApiKey,
} from './auth/api-keys.js';
export { issueQueueBoardTicket, type QueueBoardTicket } from './auth/queue-board.js';
export {
  type AccountChange,
  changeUserRole,
  createUser,
  deactivateUser,
  reactivateUser,
} from './auth/users.js';
export {
  type ChangeOwnPasswordInput,
  changeOwnPassword,
  type PasswordChanged,
} from './commands/change-own-password.js';
export {
  type PasswordReset,
  type ResetPasswordInput,
  resetUserPassword,
} from './commands/reset-password.js';
export {
  type ActorId,
  type CommandOptions,
  type CommandScope,
  loadActor,
  runCommand,
} from './commands/run-command.js';
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
export {
  MANUAL_REMINDER_COOLDOWN_MS,
  type RescheduleStepInput,
  rescheduleStep,
  retryDelivery,
  type SendReminderNowInput,
  type SentReminder,
  sendReminderNow,
} from './records/reminders.js';
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
