// The service's own URIs: identifier systems, local code systems, extensions and the canonical
// base of its PlanDefinitions. One place, so every resource names them the same way. The host is
// a placeholder a deployment replaces with its own (docs/interop/resources.md).

/** The base every local URI below starts with. */
export const SERVICE_BASE = 'https://fls.example.nhs.uk';

/** Canonical base of the service's conformance resources: `${CANONICAL_BASE}/PlanDefinition/<version>`. */
export const CANONICAL_BASE = `${SERVICE_BASE}/fhir`;

/** The canonical URL of the PlanDefinition of a pathway version. */
export function planDefinitionCanonical(pathwayVersion: string): string {
  return `${CANONICAL_BASE}/PlanDefinition/${pathwayVersion}`;
}

/**
 * NHS number: the identifier system UK Core uses (HL7 UK, UK Core Access example Patient,
 * https://build.fhir.org/ig/HL7-UK/UK-Core-Access/Patient-57bae551-2c5d-4def-a541-4b156ec49497.html;
 * the preferred URI of the NHS Number NamingSystem, OID 2.16.840.1.113883.2.1.4.1,
 * https://build.fhir.org/ig/nw-gmsa/nw-gmsa.github.com/NamingSystem-nhs-number-namingsystem.html).
 */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** A hospital medical record number as recorded here (the issuer, when known, in `assigner`). */
export const MRN_SYSTEM = `${SERVICE_BASE}/Id/mrn`;

/** The service's user accounts (AuditEvent agents). */
export const USER_SYSTEM = `${SERVICE_BASE}/Id/user`;

/** A plan step of an episode (Task.identifier): `<episode id>/<step key>`. */
export const PLAN_STEP_SYSTEM = `${SERVICE_BASE}/Id/plan-step`;

/** Ids of the service's records that an AuditEvent names (entity type in the path). */
export const RECORD_SYSTEM = `${SERVICE_BASE}/Id/record`;

/** Local code systems. */
export const STEP_STATUS_SYSTEM = `${SERVICE_BASE}/CodeSystem/step-status`;
export const STEP_SYSTEM = `${SERVICE_BASE}/CodeSystem/pathway-step`;
export const AUDIT_ACTION_SYSTEM = `${SERVICE_BASE}/CodeSystem/audit-action`;
export const AUDIT_ENTITY_TYPE_SYSTEM = `${SERVICE_BASE}/CodeSystem/audit-entity-type`;

/** Local extensions. */
export const ONSET_ESTIMATED_EXTENSION = `${SERVICE_BASE}/fhir/StructureDefinition/onset-estimated`;

/** Standard systems used where a code is cited (see the comments where each is used). */
export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
