// Every resource of an episode, and of a patient: the content of Patient/$everything and of a
// patient's share of a bulk export. Order: the patient, then per episode the Condition, the
// EpisodeOfCare, the CarePlan, its Tasks, the Observations, MedicationStatements and
// ServiceRequests.
import type {
  CarePlan,
  Condition,
  EpisodeOfCare,
  MedicationStatement,
  Observation,
  Patient,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import type { EpisodeRecord, PatientRecord } from '../records.js';
import { carePlanResource, taskResources } from './care-plan.js';
import { conditionResource, episodeOfCareResource } from './episode.js';
import { medicationStatementResources, serviceRequestResources } from './medications.js';
import { observationResources } from './observations.js';
import { patientResource } from './patient.js';

export type EpisodeResource =
  | Condition
  | EpisodeOfCare
  | CarePlan
  | Task
  | Observation
  | MedicationStatement
  | ServiceRequest;

export type PatientCompartmentResource = Patient | EpisodeResource;

export function episodeResources(
  record: EpisodeRecord,
  planDefinitionCanonical: (version: string) => string,
): EpisodeResource[] {
  return [
    conditionResource(record),
    episodeOfCareResource(record),
    carePlanResource(record, planDefinitionCanonical),
    ...taskResources(record),
    ...observationResources(record),
    ...medicationStatementResources(record),
    ...serviceRequestResources(record),
  ];
}

/** The patient and every resource of the given episodes (those of another patient are refused). */
export function patientResources(
  patient: PatientRecord,
  episodes: readonly EpisodeRecord[],
  planDefinitionCanonical: (version: string) => string,
): PatientCompartmentResource[] {
  const stranger = episodes.find((episode) => episode.patientId !== patient.patient.id);
  if (stranger) {
    throw new Error(`episode ${stranger.id} belongs to another patient than ${patient.patient.id}`);
  }
  return [
    patientResource(patient),
    ...episodes.flatMap((episode) => episodeResources(episode, planDefinitionCanonical)),
  ];
}
