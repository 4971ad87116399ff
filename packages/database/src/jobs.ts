// What the worker runs: firing follow-ups, delivering reminders, relaying the outbox, keeping KPIs.

export {
  completeFhirExport,
  deleteExpiredFhirExports,
  type FhirExportBatch,
  type FhirExportBatchPart,
  type FhirExportBatchSaved,
  type FhirExportRun,
  type FhirExportRunStart,
  failFhirExport,
  fhirExportPatientIds,
  saveFhirExportBatch,
  startFhirExportRun,
  unattendedFhirExports,
} from './commands/fhir-export-run.js';
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
export {
  overdueStepsByType,
  pendingAmong,
  pendingEmailDeliveries,
  pendingFollowUpsBefore,
} from './follow-ups/queries.js';
export {
  enqueue,
  enqueueMany,
  OUTBOX_CATALOG,
  OUTBOX_KINDS,
  type OutboxEntry,
  type OutboxKind,
  type OutboxMessage,
  OutboxMessageSchema,
  type OutboxPayload,
  OutboxPayloadError,
  parseOutboxMessage,
} from './outbox/catalog.js';
export {
  type ClaimedOutboxRow,
  type ClaimOptions,
  claimOutbox,
  completeOutbox,
  outboxLagSeconds,
  outboxSetAsideCount,
  pruneOutbox,
  releaseOutbox,
  reviveSetAside,
  setAsideOutbox,
} from './outbox/outbox.js';
export {
  NOTIFY_CALLBACK_ACTOR,
  type NotifyReceiptResult,
  recordNotifyReceipt,
} from './patient-messages/receipts.js';
export {
  type ClaimOptions as PatientMessageClaimOptions,
  claimPatientMessage,
  markPatientMessageAttemptFailed,
  markPatientMessageSent,
  markPatientMessageWrittenToMailbox,
  type PatientMessageClaim,
  type PatientMessageRecipient,
  type PatientMessageToSend,
  patientMessageRow,
} from './patient-messages/sends.js';
export {
  type EpisodeKpiSource,
  loadEpisodeKpiSources,
  rebuildEpisodeKpis,
  refreshEpisodeKpis,
} from './records/kpi-store.js';
