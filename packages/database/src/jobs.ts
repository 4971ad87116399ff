// What the worker runs: firing follow-ups, delivering reminders, relaying the outbox, keeping KPIs.
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
  type OutboxMessageView,
  outboxLagSeconds,
  pruneOutbox,
  type RelayResult,
  relayOutbox,
} from './outbox/outbox.js';
export {
  type EpisodeKpiSource,
  loadEpisodeKpiSources,
  rebuildEpisodeKpis,
  refreshEpisodeKpis,
} from './records/kpi-store.js';
export {
  OUTBOX_KINDS,
  type OutboxKind,
} from './records/plan-store.js';
