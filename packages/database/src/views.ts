// What the pages, the API and the worker read: each view is one function over the database.

export {
  fhirSignedGpLetters,
  type GpLetterDraftView,
  type GpLetterPdf,
  type GpLetterSendingRecord,
  type GpLettersOfEpisode,
  gpLetterDraftPdf,
  gpLettersOfEpisode,
  type SignedGpLetterSummary,
  signedGpLetterPdf,
} from './gp-letters/gp-letters.js';
export {
  PATIENT_MESSAGE_TASK_LIMIT,
  type PatientMessageTask,
  patientMessageTasks,
} from './patient-messages/tasks-view.js';
export { recordedSearch } from './records/access-audit.js';
export {
  readEpisodeKpis,
  type StoredEpisodeKpis,
} from './records/kpi-store.js';
export {
  readServiceSettings,
  type StoredServiceSettings,
} from './records/service-settings.js';
export { loadEpisodeRecord } from './records/write-path.js';
export {
  API_KEY_LIST_LIMIT,
  type ApiKeyListItem,
  listApiKeys,
} from './views/api-keys.js';
export {
  AUDIT_KINDS,
  AUDIT_PAGE_MAX,
  AUDIT_PATIENT_MATCHES,
  type AuditActionChoice,
  type AuditActorChoice,
  type AuditCursor,
  type AuditKind,
  type AuditPatient,
  type AuditQuery,
  type AuditRow,
  auditActions,
  auditActorChoices,
  auditLog,
  auditPatients,
  decodeAuditCursor,
  encodeAuditCursor,
  findAuditPatients,
  isAuditKind,
} from './views/audit.js';
export {
  CASELOAD_SORTS,
  type CaseloadPage,
  type CaseloadQuery,
  type CaseloadRow,
  type CaseloadSort,
  caseload,
  caseloadBatches,
} from './views/caseload.js';
export {
  type CurrentPlan,
  currentPlan,
  planChangesOfEntry,
  statusesAsOf,
  UNAPPLIED_SCAN_LIMIT,
  unappliedSince,
} from './views/episode-plan.js';
export {
  type EpisodeTimeline,
  episodeTimeline,
  type TimelineEntry,
  type TimelineEntryStatus,
} from './views/episode-timeline.js';
export {
  type FhirExportFile,
  type FhirExportFileStream,
  type FhirExportStatus,
  fhirExportFile,
  fhirExportStatus,
} from './views/fhir-export.js';
export { fhirAuditRecords, fhirEpisodeRecords, fhirPatientRecords } from './views/fhir-records.js';
export {
  episodeOfEntry,
  fhirEpisodeIdPage,
  fhirPatientIdPage,
  fhirTaskPage,
  type TaskCursor,
  type TaskRow,
} from './views/fhir-search.js';
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
  OVERDUE_SORTS,
  type OverdueClock,
  type OverdueCursor,
  type OverdueFilters,
  type OverdueOrder,
  type OverduePage,
  type OverdueRow,
  type OverdueSort,
  overdueStepBatches,
  overdueSteps,
  type SortDirection,
} from './views/overdue.js';
export {
  type KnownPatient,
  type PatientEpisodeSummary,
  type PatientWithEpisodes,
  patientByIdentifier,
  patientWithEpisodes,
} from './views/patient-episodes.js';
export {
  type DueToday,
  type DueTodayQuery,
  type FailedPatientMessage,
  failedPatientMessages,
  type KindChannelCount,
  type ListQuery,
  type MessagePatient,
  type OptOut,
  PATIENT_MESSAGE_PAGE,
  type Page,
  type PatientContactDetails,
  type PatientMessageRow,
  patientContactDetails,
  patientContactPreferences,
  patientMessagesDueToday,
  patientOptOuts,
  serviceDay,
} from './views/patient-messages.js';
export {
  type FailedDelivery,
  failedDeliveryCount,
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
  type UserName,
  unassignedPatientCount,
  userNames,
} from './views/users.js';
export {
  holdsCaseload,
  WORKLIST_DAYS_AHEAD,
  WORKLIST_LIMIT,
  WORKLIST_SORTS,
  type Worklist,
  type WorklistItem,
  type WorklistQuery,
  type WorklistSection,
  type WorklistSort,
  worklist,
  worklistExportBatches,
} from './views/worklist.js';
export {
  listWrittenPlans,
  readWrittenPlan,
  type StoredWrittenPlan,
  type WrittenPlanListItem,
} from './views/written-plans.js';
