// Test helpers other packages reuse (the dashboard's FHIR route tests): both R4 validators.
export {
  describeFindings,
  type R4Finding,
  type R4Validation,
  validateR4,
} from '../validation/validate-r4.js';
