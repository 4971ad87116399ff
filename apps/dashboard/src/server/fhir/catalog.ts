// Every interaction of /fhir/R4, in one list: the router routes exactly these, and the
// CapabilityStatement (GET /fhir/R4/metadata) is generated from them, so the two cannot drift.
import { BULK_EXPORT_INTERACTIONS } from './bulk-export';
import { CLINICAL_INTERACTIONS } from './clinical';
import { metadataInteraction, readPlanDefinition, searchAuditEvents } from './conformance';
import { createObservationInteraction, transactionInteraction } from './ingest';
import type { FhirInteraction } from './interaction';

export const FHIR_INTERACTIONS: readonly FhirInteraction[] = [
  metadataInteraction(() => FHIR_INTERACTIONS),
  ...CLINICAL_INTERACTIONS,
  readPlanDefinition,
  searchAuditEvents,
  transactionInteraction,
  createObservationInteraction,
  ...BULK_EXPORT_INTERACTIONS,
];
