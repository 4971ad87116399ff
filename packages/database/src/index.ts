// The database handle and its error helpers. The Prisma client is not exported: apps read through
// `@vfx/database/views`, write through `@vfx/database/commands`, and the worker runs `@vfx/database/jobs`.
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  pingDatabase,
  type Queryable,
  type Transaction,
} from './client.js';
// Reminders to patients (GOV.UK Notify): kept in step with the plan by the write path; a
// change of contact preferences re-plans them; Notify's receipts and a scheduler's retry.
export {
  type PatientMessageRetried,
  retryPatientMessage,
} from './commands/retry-patient-message.js';
export { type LoggableError, loggableError, loggableErrorLine } from './error-log.js';
export {
  isRetriableError,
  isUniqueViolation,
  sqlState,
  withRetries,
} from './errors.js';
export {
  NOTIFY_CALLBACK_ACTOR,
  type NotifyReceipt,
  type NotifyReceiptResult,
  NotifyReceiptSchema,
  RECEIPT_AUDIT_ACTIONS,
  recordNotifyReceipt,
} from './patient-messages/receipts.js';
export {
  FAILED_PATIENT_MESSAGE_STATES,
  PATIENT_MESSAGE_FAILED_REMINDER,
  PATIENT_MESSAGE_STATES,
  type PatientMessageState,
  TASK_RAISING_STATES,
} from './patient-messages/states.js';
export {
  type PatientMessageSyncResult,
  type SyncForPatientOptions,
  syncPatientMessages,
  syncPatientMessagesForPatient,
} from './patient-messages/sync.js';
export {
  RecordError,
  type RecordErrorCode,
} from './records/errors.js';
