// A patient and their fracture episodes, for the JSON API and anything else that shows one
// patient. Found by primary key; episodes by the episodes(patient_id) index, and the entries that
// correct their details by the clinical_events(episode_id, sequence) index.
import {
  type ClinicalEvent,
  EPISODE_DETAILS_EVENT_TYPES,
  type Episode,
  effectiveEpisode,
  type Patient,
} from '@vfx/domain';
import type { Queryable } from '../client.js';

export interface PatientEpisodeSummary {
  readonly id: string;
  readonly pathwayVersion: string;
  /** As corrected (the stored copy follows every correction of the episode's details). */
  readonly fractureDate: string;
  readonly enrolledAt: Date;
  readonly closedAt: Date | null;
  readonly closureReason: string | null;
  readonly version: number;
  /** The episode exactly as packages/domain validated it at enrolment. */
  readonly record: Episode;
  /** The episode as it now stands: the enrolment with its details corrected (effectiveEpisode). */
  readonly episode: Episode;
}

export interface PatientWithEpisodes {
  readonly patient: Patient;
  readonly givenName: string;
  readonly familyName: string;
  /** The nurse whose caseload the patient is on. */
  readonly nurse: { readonly id: string; readonly name: string } | null;
  readonly createdAt: Date;
  /** Newest first. A patient has a handful; the bound only guards against the absurd. */
  readonly episodes: readonly PatientEpisodeSummary[];
}

const MAX_EPISODES = 100;

/** The patient with this id and their episodes, or undefined when there is no such patient. */
export async function patientWithEpisodes(
  db: Queryable,
  patientId: string,
): Promise<PatientWithEpisodes | undefined> {
  const row = await db.patient.findUnique({
    where: { id: patientId },
    include: {
      nurse: { select: { id: true, name: true } },
      episodes: { orderBy: [{ enrolledAt: 'desc' }, { id: 'asc' }], take: MAX_EPISODES },
    },
  });
  if (!row) return undefined;
  // Only the corrections of details and the withdrawals (which may withdraw one) are needed.
  const detailEvents = await db.clinicalEvent.findMany({
    where: {
      episodeId: { in: row.episodes.map((episode) => episode.id) },
      type: { in: [...EPISODE_DETAILS_EVENT_TYPES] },
    },
    select: { episodeId: true, data: true },
  });
  const eventsOf = (episodeId: string) =>
    detailEvents
      .filter((event) => event.episodeId === episodeId)
      .map((event) => event.data as unknown as ClinicalEvent);
  return {
    patient: row.record as unknown as Patient,
    givenName: row.givenName,
    familyName: row.familyName,
    nurse: row.nurse,
    createdAt: row.createdAt,
    episodes: row.episodes.map((episode) => ({
      id: episode.id,
      pathwayVersion: episode.pathwayVersion,
      fractureDate: episode.fractureDate.toISOString().slice(0, 10),
      enrolledAt: episode.enrolledAt,
      closedAt: episode.closedAt,
      closureReason: episode.closureReason,
      version: episode.version,
      record: episode.record as unknown as Episode,
      episode: effectiveEpisode(episode.record as unknown as Episode, eventsOf(episode.id)),
    })),
  };
}

export interface KnownPatient {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: Date;
  readonly sex: string;
}

/** The patient with this identifier, if the service knows them: a new episode joins their record. */
export async function patientByIdentifier(
  db: Queryable,
  kind: 'nhs-number' | 'mrn',
  value: string,
): Promise<KnownPatient | undefined> {
  const patient = await db.patient.findUnique({
    where: { identifierKind_identifierValue: { identifierKind: kind, identifierValue: value } },
    select: { id: true, givenName: true, familyName: true, dateOfBirth: true, sex: true },
  });
  return patient ?? undefined;
}
