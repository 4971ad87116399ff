// FHIR in: a transaction Bundle that enrols a patient, and a pain-assessment Observation, read
// into the write path's inputs with every problem named on its FHIR element.
export { checkIfNoneExist } from './conditional.js';
export {
  EXAMPLE_ALERT_SYSTEM,
  EXAMPLE_OBSERVATION_SYSTEM,
  exampleEnrolmentBundle,
  examplePainObservation,
} from './examples.js';
export { type BusinessIdentifier, idFromIdentifier } from './ids.js';
export {
  MAX_OBSERVATION_BYTES,
  type ObservationSubject,
  PAIN_ASSESSMENT_CODE,
  PAIN_ASSESSMENT_COMPONENTS,
  type PainObservation,
  parsePainObservation,
} from './observation.js';
export { orThrow, type ParseResult, PathMap } from './outcome.js';
export * as ingestSystems from './systems.js';
export {
  type EnrolmentFromFhir,
  type EnrolmentTransaction,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ENTRIES,
  parseEnrolmentTransaction,
  TRANSACTION_RESOURCE_TYPES,
  type TransactionEntry,
} from './transaction.js';
