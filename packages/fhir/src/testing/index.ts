// Test helpers other packages reuse (the dashboard's FHIR route tests): both R4 validators, and
// records built from the domain's scenarios.

export {
  describeFindings,
  type R4Finding,
  type R4Validation,
  validateR4,
} from '../validation/validate-r4.js';
export {
  everyEntryScenario,
  recordsOf,
  type ScenarioRecordOptions,
  type ScenarioRecords,
} from './fixtures.js';
