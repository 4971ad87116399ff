// A patient and their fracture episodes, for the JSON API and anything else that shows one
// patient. Found by primary key; episodes by the episodes(patient_id) index.
import type { Episode, Patient } from '@vfx/domain';
import type { Queryable } from '../client.js';

export interface PatientEpisodeSummary {
  readonly id: string;
  readonly pathwayVersion: string;
  readonly fractureDate: string;
  readonly enrolledAt: Date;
  readonly closedAt: Date | null;
  readonly closureReason: string | null;
  readonly version: number;
  /** The episode exactly as packages/domain validated it. */
  readonly record: Episode;
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
    })),
  };
}
