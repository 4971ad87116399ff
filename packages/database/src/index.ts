export { hashPassword, verifyPassword } from './auth/password.js';
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type Queryable,
  type Transaction,
} from './client.js';
export { isRetriableError, isUniqueViolation, sqlState, withRetries } from './errors.js';
export * from './generated/prisma/client.js';
export { type AuditInput, audit } from './records/audit.js';
export { RecordError, type RecordErrorCode } from './records/errors.js';
export { OUTBOX_KINDS, type OutboxKind } from './records/plan-store.js';
export {
  DemographicsSchema,
  type EnrolmentInput,
  type EnrolmentResult,
  enrolPatient,
  loadEpisodeRecord,
  type RecordEventInput,
  type RecordEventResult,
  recordEvent,
  type WriteOptions,
} from './records/write-path.js';
