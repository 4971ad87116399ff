// The stored record as the FHIR mappings read it (packages/fhir/src/records.ts): patients,
// episodes with their entries and applied plan steps, audit rows. Batched by id so a page of a
// search, $everything or a slice of a bulk export costs a fixed number of queries.
import type { AuditRecord, EpisodeRecord, PatientRecord } from '@vfx/fhir';
import type { Queryable } from '../client.js';

/** The patients with these ids (those that exist), in the order of `patientIds`. */
export async function fhirPatientRecords(
  _db: Queryable,
  _patientIds: readonly string[],
): Promise<PatientRecord[]> {
  throw new Error('fhirPatientRecords: being written (helper fhir-resources)');
}

/** The episodes of these patients, or these episodes; each with its entries and plan steps. */
export async function fhirEpisodeRecords(
  _db: Queryable,
  _where: { readonly patientIds?: readonly string[]; readonly episodeIds?: readonly string[] },
): Promise<EpisodeRecord[]> {
  throw new Error('fhirEpisodeRecords: being written (helper fhir-resources)');
}

/** Audit rows in id order after `after` (exclusive), at most `limit`, optionally since an instant. */
export async function fhirAuditRecords(
  _db: Queryable,
  _query: { readonly after?: string; readonly limit: number; readonly since?: Date },
): Promise<AuditRecord[]> {
  throw new Error('fhirAuditRecords: being written (helper fhir-resources)');
}
