// Example messages as a sending system writes them: the documentation's worked example and the
// tests' starting point (each test changes one thing). Valid against the rules in transaction.ts
// and observation.ts for an enrolment made on or after 2026-11-16.
import {
  ACT_CODE_SYSTEM,
  CLINICAL_ENTRY_SYSTEM,
  CONDITION_EXTENSIONS,
  EPISODE_OF_CARE_EXTENSION,
  NHS_NUMBER_SYSTEM,
  PAIN_ASSESSMENT_COMPONENT_SYSTEM,
  PAIN_ASSESSMENT_VALUE_SYSTEM,
  USER_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
} from './systems.js';

export interface ExampleEnrolmentOptions {
  readonly nhsNumber?: string;
  /** The Condition's identifier value (the sender's fracture alert number). */
  readonly alertNumber?: string;
  /** Admitted at this instant (an Encounter entry); otherwise no Encounter. */
  readonly admittedAt?: string;
  readonly fractureDate?: string;
  readonly identifiedOn?: string;
  readonly conditional?: boolean;
  /**
   * The nurse's user id: an EpisodeOfCare entry naming them as care manager (the patient joins
   * their caseload); otherwise no EpisodeOfCare (nobody's caseload).
   */
  readonly nurseId?: string;
}

export const EXAMPLE_ALERT_SYSTEM = 'https://radiology.example.nhs.uk/Id/fracture-alert';
export const EXAMPLE_OBSERVATION_SYSTEM = 'https://ward.example.nhs.uk/Id/pain-score';
const PATIENT_URL = 'urn:uuid:6f1c2a52-8d0e-4c1b-9a43-1d5b1f0e7a01';
const CONDITION_URL = 'urn:uuid:0b7e5c9d-3f2a-4e61-8c1d-2a9f4b6e8c02';
const ENCOUNTER_URL = 'urn:uuid:c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e03';
const EPISODE_OF_CARE_URL = 'urn:uuid:5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c04';

export function exampleEnrolmentBundle(options: ExampleEnrolmentOptions = {}) {
  const nhsNumber = options.nhsNumber ?? '9434765919';
  const alert = options.alertNumber ?? 'VFA-2026-0412';
  const conditional = options.conditional ?? true;
  const entry: Record<string, unknown>[] = [
    {
      fullUrl: PATIENT_URL,
      resource: {
        resourceType: 'Patient',
        identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhsNumber }],
        name: [{ use: 'official', family: 'Example', given: ['Margaret', 'Ann'] }],
        gender: 'female',
        birthDate: '1948-03-02',
      },
      request: {
        method: 'POST',
        url: 'Patient',
        ...(conditional ? { ifNoneExist: `identifier=${NHS_NUMBER_SYSTEM}|${nhsNumber}` } : {}),
      },
    },
    {
      fullUrl: CONDITION_URL,
      resource: {
        resourceType: 'Condition',
        identifier: [{ system: EXAMPLE_ALERT_SYSTEM, value: alert }],
        extension: [
          { url: CONDITION_EXTENSIONS.fractureDateEstimated, valueBoolean: false },
          {
            url: CONDITION_EXTENSIONS.identifiedOn,
            valueDateTime: options.identifiedOn ?? '2026-11-16',
          },
          { url: CONDITION_EXTENSIONS.identification, valueCode: 'symptomatic-presentation' },
          { url: CONDITION_EXTENSIONS.columnInvolvement, valueCode: 'anterior-only' },
          { url: CONDITION_EXTENSIONS.neurologicalDeficit, valueBoolean: false },
          { url: CONDITION_EXTENSIONS.suspectedMalignancy, valueBoolean: false },
          { url: CONDITION_EXTENSIONS.mriOedema, valueCode: 'not-imaged' },
        ],
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
          ],
        },
        code: { text: 'Osteoporotic vertebral fragility fracture' },
        bodySite: [
          { coding: [{ system: VERTEBRAL_LEVEL_SYSTEM, code: 'T12' }], text: 'T12' },
          { coding: [{ system: VERTEBRAL_LEVEL_SYSTEM, code: 'L1' }], text: 'L1' },
        ],
        subject: { reference: PATIENT_URL },
        ...(options.admittedAt ? { encounter: { reference: ENCOUNTER_URL } } : {}),
        onsetDateTime: options.fractureDate ?? '2026-11-14',
      },
      request: {
        method: 'POST',
        url: 'Condition',
        ...(conditional ? { ifNoneExist: `identifier=${EXAMPLE_ALERT_SYSTEM}|${alert}` } : {}),
      },
    },
  ];
  if (options.admittedAt) {
    entry.push({
      fullUrl: ENCOUNTER_URL,
      resource: {
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: ACT_CODE_SYSTEM, code: 'IMP', display: 'inpatient encounter' },
        subject: { reference: PATIENT_URL },
        period: { start: options.admittedAt },
      },
      request: { method: 'POST', url: 'Encounter' },
    });
  }
  if (options.nurseId !== undefined) {
    entry.push({
      fullUrl: EPISODE_OF_CARE_URL,
      resource: {
        resourceType: 'EpisodeOfCare',
        status: 'active',
        diagnosis: [{ condition: { reference: CONDITION_URL }, rank: 1 }],
        patient: { reference: PATIENT_URL },
        careManager: { identifier: { system: USER_SYSTEM, value: options.nurseId } },
      },
      request: { method: 'POST', url: 'EpisodeOfCare' },
    });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

export interface ExamplePainOptions {
  readonly patientId: string;
  readonly episodeId?: string;
  readonly scoreNumber?: string;
  readonly at?: string;
  readonly atRest?: number;
  readonly onActivity?: number;
  readonly functionalLimitation?: string;
}

export function examplePainObservation(options: ExamplePainOptions) {
  const component = (code: string, value: Record<string, unknown>) => ({
    code: { coding: [{ system: PAIN_ASSESSMENT_COMPONENT_SYSTEM, code }] },
    ...value,
  });
  return {
    resourceType: 'Observation',
    identifier: [{ system: EXAMPLE_OBSERVATION_SYSTEM, value: options.scoreNumber ?? 'PS-0001' }],
    ...(options.episodeId
      ? {
          extension: [
            {
              url: EPISODE_OF_CARE_EXTENSION,
              valueReference: { reference: `EpisodeOfCare/${options.episodeId}` },
            },
          ],
        }
      : {}),
    status: 'final',
    code: {
      coding: [{ system: CLINICAL_ENTRY_SYSTEM, code: 'pain-assessment' }],
      text: 'Pain assessment',
    },
    subject: { reference: `Patient/${options.patientId}` },
    effectiveDateTime: options.at ?? '2026-11-16T10:00:00Z',
    component: [
      component('nrs-at-rest', { valueInteger: options.atRest ?? 7 }),
      component('nrs-on-activity', { valueInteger: options.onActivity ?? 9 }),
      component('functional-limitation', {
        valueCodeableConcept: {
          coding: [
            {
              system: PAIN_ASSESSMENT_VALUE_SYSTEM,
              code: options.functionalLimitation ?? 'severe',
            },
          ],
        },
      }),
      component('on-analgesia', { valueBoolean: true }),
    ],
    note: [{ text: 'Pain worse on standing despite regular paracetamol.' }],
  };
}
