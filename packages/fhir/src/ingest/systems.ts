// The system URIs and extension URLs the ingest accepts. Standard ones are cited; the local ones
// (under SERVICE_BASE) carry the enrolment fields no standard R4 element fits, and are documented
// in docs/interop/ingest.md. The read mappings (resources/) must write the same URIs, so a
// resource read back carries exactly the elements accepted here.

import {
  CONDITION_ASSERTED_DATE_EXTENSION,
  IDENTIFICATION_ROUTE_EXTENSION,
  MRN_SYSTEM,
  NHS_NUMBER_SYSTEM,
  ONSET_ESTIMATED_EXTENSION,
  SERVICE_BASE,
  USER_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
} from '../systems.js';

/** The service's systems the ingest shares with the read side (../systems.ts). */
export {
  CONDITION_ASSERTED_DATE_EXTENSION,
  MRN_SYSTEM,
  NHS_NUMBER_SYSTEM,
  SERVICE_BASE,
  USER_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
};
/** ODS organisation code, for the organisation that issued an MRN (UK Core). */
export const ODS_ORGANISATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** HL7 v2 table 0203 (identifier type), code MR = medical record number (FHIR R4 terminology). */
export const IDENTIFIER_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const MRN_TYPE_CODE = 'MR';
/**
 * HL7 v3 ActCode, the value set of Encounter.class in R4 (http://hl7.org/fhir/R4/v3/ActEncounterCode):
 * IMP inpatient encounter, and its specialisations ACUTE and NONAC.
 */
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const INPATIENT_CLASS_CODES = ['IMP', 'ACUTE', 'NONAC'] as const;
/**
 * The R4 core extension naming the EpisodeOfCare an Observation belongs to
 * (http://hl7.org/fhir/R4/extension-workflow-episodeofcare.html; its context includes Observation).
 */
export const EPISODE_OF_CARE_EXTENSION =
  'http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare';

/**
 * The ingest's own definitions, under the read side's placeholder host (a deployment replaces
 * it): extensions under `${SERVICE_BASE}/fhir/StructureDefinition/`, code systems under
 * `${SERVICE_BASE}/CodeSystem/`, as ../systems.ts names its own.
 */
const EXTENSION_BASE = `${SERVICE_BASE}/fhir/StructureDefinition`;
const CODE_SYSTEM_BASE = `${SERVICE_BASE}/CodeSystem`;

/**
 * Condition extensions, keyed by the episode field each carries: the R4 core assertedDate, and
 * local ones for the enrolment fields no standard Condition element carries. The read side writes
 * the first three (shared, ../systems.ts); the four clinical findings are read here only
 * (docs/interop/ingest.md says why they are not written back).
 */
export const CONDITION_EXTENSIONS = {
  /** valueBoolean: the onset date is estimated (the fracture date is not known exactly). */
  fractureDateEstimated: ONSET_ESTIMATED_EXTENSION,
  /** valueDateTime (a date): when the fracture was identified (R4 condition-assertedDate). */
  identifiedOn: CONDITION_ASSERTED_DATE_EXTENSION,
  /** valueCode: symptomatic-presentation | incidental-imaging | bone-densitometry. */
  identification: IDENTIFICATION_ROUTE_EXTENSION,
  /** valueCode: anterior-only | multiple. */
  columnInvolvement: `${EXTENSION_BASE}/column-involvement`,
  /** valueBoolean. */
  neurologicalDeficit: `${EXTENSION_BASE}/neurological-deficit`,
  /** valueBoolean. */
  suspectedMalignancy: `${EXTENSION_BASE}/suspected-malignancy`,
  /** valueCode: present | absent | not-imaged. */
  mriOedema: `${EXTENSION_BASE}/mri-oedema`,
} as const;

/** Observation.code coding system: the domain's entry types ("pain-assessment"). */
export const CLINICAL_ENTRY_SYSTEM = `${CODE_SYSTEM_BASE}/clinical-entry`;
/** Observation.component.code coding system: the fields of a pain assessment. */
export const PAIN_ASSESSMENT_COMPONENT_SYSTEM = `${CODE_SYSTEM_BASE}/pain-assessment-component`;
/** Coded component values (functional limitation, mobility): the domain's own words as codes. */
export const PAIN_ASSESSMENT_VALUE_SYSTEM = `${CODE_SYSTEM_BASE}/pain-assessment-value`;
