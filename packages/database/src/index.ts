export { hashPassword, verifyPassword } from './auth/password.js';
export {
  authenticate,
  DEFAULT_SESSION_POLICY,
  revokeSessionsOf,
  type SessionPolicy,
  type SessionUser,
  type SignInInput,
  type SignInResult,
  signIn,
  signOut,
} from './auth/sessions.js';
export { createUser } from './auth/users.js';
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type Queryable,
  type Transaction,
} from './client.js';
export { isRetriableError, isUniqueViolation, sqlState, withRetries } from './errors.js';
export {
  deliveryToSend,
  markDeliveryAttemptFailed,
  markDeliverySent,
} from './follow-ups/deliveries.js';
export {
  EARLY_TOLERANCE_MS,
  type FireOptions,
  type FireOutcome,
  fireFollowUp,
  fireFollowUps,
  WORKER_ACTOR,
} from './follow-ups/fire.js';
export { overdueStepsByType, pendingAmong, pendingFollowUpsBefore } from './follow-ups/queries.js';
export * from './generated/prisma/client.js';
export {
  type OutboxMessageView,
  outboxLagSeconds,
  pruneOutbox,
  type RelayResult,
  relayOutbox,
} from './outbox/outbox.js';
export { type AuditInput, audit } from './records/audit.js';
export { RecordError, type RecordErrorCode } from './records/errors.js';
export { OUTBOX_KINDS, type OutboxKind } from './records/plan-store.js';
export {
  DemographicsSchema,
  type EnrolmentInput,
  type EnrolmentResult,
  enrolPatient,
  enrolPatients,
  loadEpisodeRecord,
  type RecordEventInput,
  type RecordEventResult,
  recordEvent,
  runWrite,
  type WriteOptions,
} from './records/write-path.js';
