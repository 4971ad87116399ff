// FHIR R4 for the FLS service: pure mappings between the stored record and FHIR resources, the
// pathway as a PlanDefinition, and the parsing of incoming FHIR into the write path's inputs.

// ids.ts: FHIR ids from the service's ids, and back.
export {
  cyrb53,
  derivedId,
  entryResourceId,
  fhirId,
  isFhirId,
  ourIdOf,
  parseDerivedId,
  parseEntryResourceId,
  parseTaskId,
  shortHash,
  stepKeyHash,
  taskId,
} from './ids.js';
export * from './operation-outcome.js';
export * from './records.js';
// resources/: the stored record as FHIR resources.
export * from './resources/index.js';
// systems.ts: the service's URIs.
export * from './systems.js';
