// The fracture episode: the EpisodeOfCare of the fracture liaison service and the Condition it
// is for. Both read the episode as corrected (EpisodeRecord.episode is the domain's
// effectiveEpisode), so a corrected fracture date, level or identification shows here.
import type { Condition, EpisodeOfCare } from '@medplum/fhirtypes';
import { fhirId } from '../ids.js';
import type { EpisodeRecord } from '../records.js';
import {
  CONDITION_ASSERTED_DATE_EXTENSION,
  IDENTIFICATION_ROUTE_EXTENSION,
  ONSET_ESTIMATED_EXTENSION,
  USER_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
} from '../systems.js';
import { conditionReference, patientReference } from './common.js';

export const EPISODE_TYPE_TEXT = 'Fracture liaison service — vertebral fragility fracture';
export const CONDITION_TEXT = 'Vertebral fragility fracture';

/**
 * The responsible nurse by name and by user id (identifier USER_SYSTEM | id): the identifier the
 * transaction ingest reads to put a new patient on that nurse's caseload, so an EpisodeOfCare read
 * back can be sent again. No reference: the service exposes no Practitioner resources.
 */
export function episodeOfCareResource(record: EpisodeRecord): EpisodeOfCare {
  const careManager = record.nurse
    ? {
        identifier: { system: USER_SYSTEM, value: record.nurse.id },
        display: record.nurse.name,
      }
    : undefined;
  return {
    resourceType: 'EpisodeOfCare',
    id: fhirId(record.id),
    meta: { versionId: String(record.version), lastUpdated: record.updatedAt },
    status: record.closedAt ? 'finished' : 'active',
    type: [{ text: EPISODE_TYPE_TEXT }],
    diagnosis: [{ condition: conditionReference(record.id), rank: 1 }],
    patient: patientReference(record.patientId),
    period: { start: record.enrolledAt, ...(record.closedAt ? { end: record.closedAt } : {}) },
    ...(careManager ? { careManager } : {}),
  };
}

/**
 * The fracture. Coded as text only: no SNOMED CT concept for it is cited in the service's
 * sources. The vertebral levels are body sites coded in the service's vertebral-level system and
 * in words ("T12"). The elements are those the transaction ingest reads (ingest/transaction.ts),
 * so a Condition read back carries the enrolment fields both sides know, with the same URIs:
 * - onset-estimated = true for a fracture date the patient could only estimate (absent otherwise);
 * - the date the fracture was identified in the R4 core extension condition-assertedDate
 *   (http://hl7.org/fhir/R4/extension-condition-asserteddate.html), valueDateTime a date;
 *   recordedDate stays the enrolment instant, when the record was made;
 * - the identification route (local extension, valueCode), an enrolment detail corrections update.
 * The four clinical findings the ingest takes at enrolment (column involvement, neurological
 * deficit, suspected malignancy, MRI oedema) are NOT written: later clinical-findings entries
 * change them and only the domain's plan resolves them, so the enrolment values would show
 * outdated red flags (docs/interop.md).
 */
export function conditionResource(record: EpisodeRecord): Condition {
  const { episode } = record;
  return {
    resourceType: 'Condition',
    id: fhirId(record.id),
    meta: { versionId: String(record.version), lastUpdated: record.updatedAt },
    extension: [
      ...(episode.fractureDateEstimated
        ? [{ url: ONSET_ESTIMATED_EXTENSION, valueBoolean: true }]
        : []),
      { url: CONDITION_ASSERTED_DATE_EXTENSION, valueDateTime: episode.identifiedOn },
      { url: IDENTIFICATION_ROUTE_EXTENSION, valueCode: episode.identification },
    ],
    // The service does not record when a fracture resolves: the status is given only while the
    // episode is open.
    ...(record.closedAt
      ? {}
      : {
          clinicalStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                code: 'active',
              },
            ],
          },
        }),
    verificationStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
          code: 'confirmed',
        },
      ],
    },
    code: { text: CONDITION_TEXT },
    bodySite: episode.vertebralLevels.map((level) => ({
      coding: [{ system: VERTEBRAL_LEVEL_SYSTEM, code: level }],
      text: level,
    })),
    subject: patientReference(record.patientId),
    onsetDateTime: episode.fractureDate,
    recordedDate: record.enrolledAt,
  };
}
