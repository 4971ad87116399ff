export {
  API_KEY_PREFIX,
  API_KEY_ROLES,
  API_KEY_TOUCH_EVERY_MS,
  type ApiKeyCreated,
  type ApiKeyPrincipal,
  authenticateApiKey,
  createApiKey,
  revokeApiKey,
} from './auth/api-keys.js';
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
export {
  type AccountChange,
  CASELOAD_ROLES,
  changeUserRole,
  createUser,
  deactivateUser,
  reactivateUser,
} from './auth/users.js';
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type Queryable,
  type Transaction,
} from './client.js';
export { isRetriableError, isUniqueViolation, sqlState, withRetries } from './errors.js';
export {
  type ClaimDecision,
  type ClaimResult,
  claimDecision,
  claimDelivery,
  type DeliveryClaimState,
  type DeliveryToSend,
  deliveryToSend,
  expiredDeliveryClaims,
  markDeliveryAttemptFailed,
  markDeliveryOutcomeUnknown,
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
export {
  type CaseloadMove,
  type CaseloadReassignment,
  MAX_SELECTED_PATIENTS,
  previewCaseloadReassignment,
  type ReassignmentInput,
  reassignCaseload,
} from './records/caseload.js';
export { RecordError, type RecordErrorCode } from './records/errors.js';
export {
  type EpisodeKpiSource,
  loadEpisodeKpiSources,
  readEpisodeKpis,
  rebuildEpisodeKpis,
  refreshEpisodeKpis,
  type StoredEpisodeKpis,
} from './records/kpi-store.js';
export { OUTBOX_KINDS, type OutboxKind } from './records/plan-store.js';
export {
  MANUAL_REMINDER_COOLDOWN_MS,
  type RescheduleStepInput,
  rescheduleStep,
  retryDelivery,
  type SendReminderNowInput,
  type SentReminder,
  sendReminderNow,
} from './records/reminders.js';
export {
  readServiceSettings,
  type StoredServiceSettings,
  setEstimatedYearlyCaseload,
} from './records/service-settings.js';
export {
  DemographicsSchema,
  type EnrolmentInput,
  type EnrolmentResult,
  enrolPatient,
  enrolPatients,
  loadEpisodeRecord,
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
export {
  DEMO_PASSWORD,
  DEMO_USERS,
  type DemoDecision,
  demoDecision,
  type SeedOptions,
  type SeedResult,
  type SeedState,
  seedDemo,
  seedState,
} from './seed/demo.js';
export { type ScaleSeedOptions, seedScale } from './seed/scale.js';
export {
  API_KEY_LIST_LIMIT,
  type ApiKeyListItem,
  listApiKeys,
} from './views/api-keys.js';
export {
  AUDIT_PAGE_MAX,
  type AuditActorChoice,
  type AuditCursor,
  type AuditPatient,
  type AuditQuery,
  type AuditRow,
  auditActorChoices,
  auditLog,
  decodeAuditCursor,
  encodeAuditCursor,
  findAuditPatients,
} from './views/audit.js';
export {
  CASELOAD_SORTS,
  type CaseloadPage,
  type CaseloadQuery,
  type CaseloadRow,
  type CaseloadSort,
  caseload,
  type Worklist,
  type WorklistItem,
  worklist,
} from './views/caseload.js';
export { type CurrentPlan, currentPlan } from './views/episode-plan.js';
export {
  type EpisodeTimeline,
  episodeTimeline,
  type TimelineEntry,
  type TimelineEntryStatus,
} from './views/episode-timeline.js';
export {
  decodeFollowUpCursor,
  encodeFollowUpCursor,
  FOLLOW_UP_PAGE_MAX,
  FOLLOW_UP_STATES,
  type FollowUpCursor,
  type FollowUpListItem,
  type FollowUpQuery,
  followUpsByState,
} from './views/follow-ups-by-state.js';
export {
  type CompletenessReport,
  type IdentificationReport,
  KPI_MAX_PERIOD_DAYS,
  type KpiFieldSummary,
  type KpiPeriod,
  type KpiReport,
  kpiReport,
} from './views/kpis.js';
export {
  compareOverdueRows,
  OVERDUE_MAX_DAYS,
  OVERDUE_MAX_OFFSET,
  OVERDUE_PAGE_SIZE,
  type OverdueClock,
  type OverdueCursor,
  type OverdueFilters,
  type OverduePage,
  type OverdueRow,
  overdueStepBatches,
  overdueSteps,
} from './views/overdue.js';
export {
  type PatientEpisodeSummary,
  type PatientWithEpisodes,
  patientWithEpisodes,
} from './views/patient-episodes.js';
export {
  type FailedDelivery,
  LATE_AFTER_MS,
  LATENESS_WINDOW_MS,
  type QueueHealth,
  queueHealth,
  STUCK_EMAIL_AFTER_MS,
} from './views/queue-health.js';
export {
  FAILED_DELIVERY_LIMIT,
  type FailedDeliveryItem,
  failedDeliveries,
  type NurseCount,
  type ReminderGroup,
  type ReminderNurse,
  type ReminderPatient,
  reminderStep,
  UPCOMING_REMINDER_DAYS,
  UPCOMING_REMINDER_LIMIT,
  type UpcomingDay,
  type UpcomingReminder,
  type UpcomingRemindersQuery,
  upcomingDays,
  upcomingReminderDays,
  upcomingReminders,
} from './views/reminders.js';
export {
  caseloadHolders,
  STAFF_LIST_LIMIT,
  type StaffMember,
  staffList,
} from './views/users.js';
