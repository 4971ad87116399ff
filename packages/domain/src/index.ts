/**
 * @vfx/domain: the vertebral fragility fracture pathway. Pure TypeScript: no I/O, no clock.
 * Everything time-dependent takes the instant as an argument.
 */
export {
  ACTIONS,
  type Action,
  type Actor,
  actionsOf,
  may,
  PERMISSIONS,
  type Permission,
  type PermissionContext,
  permission,
  ROLES,
  type Role,
  SCHEDULING_ENTRY_TYPES,
} from './access/permissions.js';
export {
  formatNhsNumber,
  isValidNhsNumber,
  nhsNumberProblem,
  normaliseNhsNumber,
} from './identifiers/nhs-number.js';
export {
  changedDetails,
  EPISODE_DETAILS_EVENT_TYPES,
  effectiveEpisode,
  effectiveEpisodeWithout,
} from './inputs/episode-details.js';
export { type InputIssue, issuesFromZod, PathwayInputError } from './inputs/errors.js';
export { effectiveHistory, type TherapyCourse, therapyCourses, timed } from './inputs/history.js';
export * from './inputs/schemas.js';
export {
  multiLineText,
  plainCharacters,
  SearchQuerySchema,
  singleLineText,
  type TextRule,
  textProblem,
} from './inputs/text.js';
export {
  parseEpisode,
  parseEpisodeRecord,
  parseEvent,
  parsePatient,
  type ValidationContext,
} from './inputs/validate.js';
export type * from './pathway/definition.js';
export { RECORDED_VALUE_KINDS } from './pathway/definition.js';
export {
  BONE_THERAPY_DRUGS,
  type BoneTherapyDrug,
  DRUGS,
  type DrugClass,
} from './pathway/drugs.js';
export {
  describeCondition,
  FACTS,
  type FactName,
  type PainBand,
  painBand,
  type StepStatus,
} from './pathway/facts.js';
export {
  CURRENT_PATHWAY_VERSION,
  createPathwayRegistry,
  findPathway,
  type PathwayRegistry,
  PUBLISHED_PATHWAYS,
  pathwayVersions,
} from './pathway/registry.js';
export {
  describeSource,
  SOURCE_DOCUMENTS,
  type SourceDocumentId,
  type SourceRef,
  type TimingBasis,
} from './pathway/sources.js';
export {
  type AgeContext,
  ageInWords,
  dayInWords,
  describeLimitDays,
  describeRecordedValue,
  RECORDED_VALUE_NAMES,
  type RecordedValueAge,
  recordedValueAge,
} from './pathway/staleness.js';
export {
  describeEntry,
  type EarlyEntries,
  type EntryOffer,
  genericCompletionProblem,
  type StepEntries,
  stepEntries,
} from './pathway/step-entries.js';
export { type DocumentDeadline, documentDeadline } from './patient-documents/deadline.js';
// The letter to the GP (issue 17): its content and its PDF layout.
export {
  buildGpLetter,
  describeLetterDate,
  EMPTY_GP_LETTER_EDITS,
  GP_LETTER_DOSES,
  GP_LETTER_SENDING_METHOD_LABELS,
  GP_LETTER_SENDING_METHODS,
  GP_LETTER_TEXT_LIMITS,
  type GpLetter,
  type GpLetterEdits,
  type GpLetterEditsInput,
  GpLetterEditsSchema,
  GpLetterError,
  type GpLetterInput,
  type GpLetterItem,
  type GpLetterPatient,
  type GpLetterSection,
  type GpLetterSectionId,
  type GpLetterSender,
  type GpLetterSending,
  type GpLetterSendingMethod,
  GpLetterSendingSchema,
  type GpLetterSignature,
  gpLetterOverdueItems,
  gpLetterSignOffProblems,
  parseGpLetterEdits,
  parseGpLetterSending,
  signGpLetter,
} from './patient-documents/gp-letter.js';
export { gpLetterPdfDefinition } from './patient-documents/gp-letter-pdf.js';
export {
  PATIENT_WORDING_PLACEHOLDERS,
  type PatientInformation,
  type PatientWordingPlaceholder,
} from './patient-documents/patient-information.js';
export {
  buildWrittenPlan,
  type PainAdvice,
  patientDate,
  patientFacingTexts,
  patientWordings,
  type WrittenPlan,
  type WrittenPlanContact,
  type WrittenPlanDate,
  type WrittenPlanDateRole,
  type WrittenPlanInput,
  type WrittenPlanItem,
  type WrittenPlanItemDate,
  type WrittenPlanNurseWarning,
  type WrittenPlanRefusal,
  type WrittenPlanResult,
  type WrittenPlanSection,
  type WrittenPlanSectionId,
  type WrittenPlanSource,
  writtenPlanNurseWarnings,
} from './patient-documents/written-plan.js';
export {
  ADDRESS_LINE_MAX_LENGTH,
  ADDRESS_MAX_LINES,
  CONTACT_CHANNELS,
  type ContactPreferences,
  type ContactPreferencesResult,
  describeChannel,
  PATIENT_CHANNELS,
  type PatientChannel,
  type PatientReachability,
  type PostalAddress,
  parseContactPreferences,
  patientReachability,
} from './patient-messages/contact.js';
export {
  PATIENT_MESSAGE_FIELDS,
  type PatientMessageField,
  type PatientReminderDefinition,
} from './patient-messages/definition.js';
export {
  longDate,
  type MessageAtSendDecision,
  type MessageAtSendInput,
  type MessageReachability,
  nextSendingInstant,
  PATIENT_MESSAGE_HOURS,
  type PatientMessagePlan,
  type PatientMessagePlanInput,
  type PlannedPatientMessage,
  patientMessageAtSend,
  patientMessageId,
  plannedPatientMessages,
  renderPatientMessageText,
  whyNoLongerPlanned,
  withinSendingHours,
} from './patient-messages/policy.js';
export {
  appointmentProblems,
  currentAppointment,
  describeAppointment,
} from './plan/appointments.js';
export {
  ACTIVE_STEP_STATUSES,
  cite,
  computePlan,
  isActive,
  isReminderTimer,
  type PlanInput,
  stepAtTimer,
  timerId,
} from './plan/compute-plan.js';
export {
  diffPlans,
  type PlanChange,
  type PlanDiff,
  type SchedulingCommand,
  timersStillToFire,
} from './plan/diff.js';
export {
  COMPLETENESS_RULE,
  type EpisodeKpiInput,
  type EpisodeKpiRecord,
  episodeKpiRecord,
  episodeKpis,
  FLS_DB_SOURCE,
  type FlsDbMeasure,
  IDENTIFICATION_MEASURE,
  KPI_EVENT_TYPES,
  KPI_FIELD_IDS,
  KPI_FIELDS,
  KPI_IDS,
  KPI_LOGIC_VERSION,
  type KpiCounts,
  type KpiDefinition,
  type KpiFieldDefinition,
  type KpiFieldId,
  type KpiFieldOutcome,
  type KpiId,
  type KpiOutcome,
  type KpiResult,
  type KpiStep,
  type KpiSummary,
  KpiTally,
  kpiDefinitions,
  kpiDefinitionsOf,
  kpiStepIds,
  resolveKpiOutcome,
  resolveKpiResult,
} from './plan/kpis.js';
export {
  compareOverdueRisk,
  OVERDUE_RISK_TIERS,
  type OverdueRiskTier,
  type OverdueRiskTierId,
  type OverdueStepRef,
  overdueRiskRankOf,
  overdueRiskRanks,
  overdueRiskTierOf,
  overdueRiskTierOfRank,
  UNKNOWN_STEP_RANK,
} from './plan/overdue-risk.js';
export {
  changeDigest,
  type EntryPreview,
  previewEntry,
  statusWords,
} from './plan/preview.js';
export {
  byRecommendationPriority,
  compareRecommendationPriority,
  RECOMMENDATION_PRIORITIES,
  type RecommendationPriority,
  recommendationPriorityRank,
} from './plan/recommendation-order.js';
export { stepRescheduleRange } from './plan/reschedule-range.js';
export type * from './plan/types.js';
export {
  describeTimingBasis,
  type RescheduleProblem,
  rescheduleProblem,
  rescheduleRange,
  statusAt,
  statusBehind,
} from './plan/window.js';
export {
  MANUAL_REMINDER_COOLDOWN,
  MANUAL_REMINDER_COOLDOWN_MS,
  type NewReminder,
  type OpenReminder,
  type ReminderChannel,
  type ReminderDelivery,
  type ReminderKind,
  type ResponsibleNurse,
  reminderAtTimer,
  reminderSentNow,
  remindersClosedBySettling,
  type SendNowDecision,
  type SendNowInput,
  type SendNowRefusal,
  type TimerReminderDecision,
  type TimerReminderInput,
} from './reminders/policy.js';
export { englandAndWalesBankHolidays, standingBankHolidays } from './time/bank-holidays.js';
export {
  type EpochMs,
  type HolidayCalendar,
  type LocalDate,
  ServiceCalendar,
  toIso,
} from './time/calendar.js';
export { describeCivilDate } from './time/civil-date.js';
export { describeOffset, type Offset } from './time/offset.js';
export {
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettings,
  type ServiceSettingsInput,
  ServiceSettingsSchema,
  serviceCalendar,
} from './time/settings.js';
export {
  fractureDatesInPhase,
  type PainSummary,
  painSummary,
  phaseLabel,
  phaseOf,
} from './views/summary.js';
