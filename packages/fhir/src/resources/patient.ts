// Patient: who the records are about. Names and the identifier as the service holds them.
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { Patient as DomainPatient, SEXES } from '@vfx/domain';
import { fhirId } from '../ids.js';
import type { PatientRecord } from '../records.js';
import { MRN_SYSTEM, NHS_NUMBER_SYSTEM } from '../systems.js';

/**
 * Sex as recorded → FHIR R4 administrative-gender (required binding;
 * http://hl7.org/fhir/R4/valueset-administrative-gender.html). "indeterminate" (unable to be
 * classified as either male or female, NHS Data Dictionary "Person Stated Gender Code" 9) is
 * "other": the R4 ConceptMap cm-administrative-gender-v3 maps "other" to v3 "UN", Undifferentiated,
 * "could not be uniquely defined as male or female". "not-known" is "unknown".
 */
export const GENDER_OF_SEX = {
  female: 'female',
  male: 'male',
  indeterminate: 'other',
  'not-known': 'unknown',
} as const satisfies Record<(typeof SEXES)[number], NonNullable<Patient['gender']>>;

export function patientIdentifier(identifier: DomainPatient['identifier']): Identifier {
  if (identifier.kind === 'nhs-number') {
    return { use: 'official', system: NHS_NUMBER_SYSTEM, value: identifier.value };
  }
  return {
    use: 'usual',
    type: { text: 'Medical record number' },
    system: MRN_SYSTEM,
    value: identifier.value,
    ...(identifier.issuer ? { assigner: { identifier: { value: identifier.issuer } } } : {}),
  };
}

export function patientResource(record: PatientRecord): Patient {
  const { patient } = record;
  return {
    resourceType: 'Patient',
    id: fhirId(patient.id),
    meta: { lastUpdated: record.updatedAt },
    identifier: [patientIdentifier(patient.identifier)],
    name: [{ use: 'official', family: record.familyName, given: [record.givenName] }],
    gender: GENDER_OF_SEX[patient.sex],
    birthDate: patient.dateOfBirth,
  };
}
