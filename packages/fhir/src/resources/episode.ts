// The fracture episode: the EpisodeOfCare of the fracture liaison service and the Condition it
// is for. Both read the episode as corrected (EpisodeRecord.episode is the domain's
// effectiveEpisode), so a corrected fracture date or level shows here.
import type { Condition, EpisodeOfCare } from '@medplum/fhirtypes';
import { fhirId } from '../ids.js';
import type { EpisodeRecord } from '../records.js';
import { ONSET_ESTIMATED_EXTENSION } from '../systems.js';
import { conditionReference, nurseDisplay, patientReference } from './common.js';

export const EPISODE_TYPE_TEXT = 'Fracture liaison service — vertebral fragility fracture';
export const CONDITION_TEXT = 'Vertebral fragility fracture';

export function episodeOfCareResource(record: EpisodeRecord): EpisodeOfCare {
  const careManager = nurseDisplay(record.nurse);
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
 * sources. The vertebral levels are body sites in words ("T12"). A fracture date the patient
 * could only estimate carries the local extension onset-estimated = true.
 */
export function conditionResource(record: EpisodeRecord): Condition {
  const { episode } = record;
  return {
    resourceType: 'Condition',
    id: fhirId(record.id),
    meta: { versionId: String(record.version), lastUpdated: record.updatedAt },
    ...(episode.fractureDateEstimated
      ? { extension: [{ url: ONSET_ESTIMATED_EXTENSION, valueBoolean: true }] }
      : {}),
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
    bodySite: episode.vertebralLevels.map((level) => ({ text: level })),
    subject: patientReference(record.patientId),
    onsetDateTime: episode.fractureDate,
    recordedDate: record.enrolledAt,
  };
}
