// FHIR R4 for the FLS service: pure mappings between the stored record and FHIR resources, the
// pathway as a PlanDefinition, and the parsing of incoming FHIR into the write path's inputs.
export * from './operation-outcome.js';
export * from './records.js';
export * from './plan-definition/index.js';
