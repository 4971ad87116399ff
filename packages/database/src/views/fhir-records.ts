// The stored record as the FHIR mappings read it (packages/fhir/src/records.ts): patients,
// episodes with their entries and applied plan steps, audit rows. Batched by id so a page of a
// search, $everything or a slice of a bulk export costs a fixed number of queries: one for
// patients; three for episodes (the episodes with their patients' nurses, every entry, every plan
// step); one for audit rows. The number of ids changes the size of the `IN` lists, never the
// number of queries.
import {
  type ClinicalEvent,
  type Episode,
  effectiveEpisode,
  type Patient,
  type PlanCompletion,
  type PlanWindow,
  type StepStatus,
} from '@vfx/domain';
import type { AuditRecord, EpisodeRecord, PatientRecord, StepRecord } from '@vfx/fhir';
import type { Queryable } from '../client.js';

/** The patients with these ids (those that exist), in the order of `patientIds`. */
export async function fhirPatientRecords(
  db: Queryable,
  patientIds: readonly string[],
): Promise<PatientRecord[]> {
  if (patientIds.length === 0) return [];
  const rows = await db.patient.findMany({
    where: { id: { in: [...new Set(patientIds)] } },
    include: { nurse: { select: { id: true, name: true } } },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return patientIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        patient: row.record as unknown as Patient,
        givenName: row.givenName,
        familyName: row.familyName,
        nurse: row.nurse,
        registeredAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      },
    ];
  });
}

/**
 * The episodes of these patients, or these episodes (both given: the episodes in both lists);
 * each with its entries and plan steps. Ordered by patient (as listed in `patientIds`, else by
 * id), then by enrolment, oldest first.
 */
export async function fhirEpisodeRecords(
  db: Queryable,
  where: { readonly patientIds?: readonly string[]; readonly episodeIds?: readonly string[] },
): Promise<EpisodeRecord[]> {
  if (where.patientIds === undefined && where.episodeIds === undefined) {
    throw new RangeError('fhirEpisodeRecords needs patientIds or episodeIds (or both)');
  }
  if (where.patientIds?.length === 0 || where.episodeIds?.length === 0) return [];
  const episodes = await db.episode.findMany({
    where: {
      ...(where.patientIds ? { patientId: { in: [...new Set(where.patientIds)] } } : {}),
      ...(where.episodeIds ? { id: { in: [...new Set(where.episodeIds)] } } : {}),
    },
    include: { patient: { select: { nurse: { select: { id: true, name: true } } } } },
    orderBy: [{ patientId: 'asc' }, { enrolledAt: 'asc' }, { id: 'asc' }],
  });
  if (episodes.length === 0) return [];
  const episodeIds = episodes.map((episode) => episode.id);
  const [events, steps] = await Promise.all([
    db.clinicalEvent.findMany({
      where: { episodeId: { in: episodeIds } },
      orderBy: { sequence: 'asc' },
      select: { episodeId: true, data: true },
    }),
    db.planStep.findMany({
      where: { episodeId: { in: episodeIds } },
      // The plan's own order is not stored; opening order reads the same way (steps without a
      // window, which never open on a timer, last), the key making it total.
      orderBy: [{ opensAt: { sort: 'asc', nulls: 'last' } }, { key: 'asc' }],
    }),
  ]);
  const eventsOf = groupBy(events, (event) => event.episodeId);
  const stepsOf = groupBy(steps, (step) => step.episodeId);
  const records = episodes.map((row): EpisodeRecord => {
    const episodeEvents = (eventsOf.get(row.id) ?? []).map(
      (event) => event.data as unknown as ClinicalEvent,
    );
    return {
      id: row.id,
      patientId: row.patientId,
      pathwayVersion: row.pathwayVersion,
      episode: effectiveEpisode(row.record as unknown as Episode, episodeEvents),
      enrolledAt: row.enrolledAt.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      closureReason: row.closureReason,
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
      events: episodeEvents,
      steps: (stepsOf.get(row.id) ?? []).map(
        (step): StepRecord => ({
          key: step.key,
          stepId: step.stepId,
          title: step.title,
          category: step.category as StepRecord['category'],
          status: step.status as StepStatus,
          urgent: step.urgent,
          reason: step.reason,
          window: (step.window as unknown as PlanWindow | null) ?? undefined,
          completion: (step.completion as unknown as PlanCompletion | null) ?? undefined,
        }),
      ),
      nurse: row.patient.nurse,
    };
  });
  if (!where.patientIds) return records;
  const patientOrder = new Map(where.patientIds.map((id, index) => [id, index]));
  // Stable sort: within a patient the enrolment order from the query stays.
  return records.sort(
    (a, b) => (patientOrder.get(a.patientId) ?? 0) - (patientOrder.get(b.patientId) ?? 0),
  );
}

/** Audit rows in id order after `after` (exclusive), at most `limit`, optionally since an instant. */
export async function fhirAuditRecords(
  db: Queryable,
  query: { readonly after?: string; readonly limit: number; readonly since?: Date },
): Promise<AuditRecord[]> {
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new RangeError(`limit must be a whole number of at least 1 (got ${query.limit})`);
  }
  if (query.after !== undefined && !/^\d{1,19}$/.test(query.after)) {
    throw new RangeError(`after must be an audit entry id (digits), not "${query.after}"`);
  }
  const rows = await db.$queryRaw<
    {
      id: bigint;
      at: Date;
      actor: string;
      actorName: string | null;
      action: string;
      entityType: string;
      entityId: string;
      patientId: string | null;
    }[]
  >`
    SELECT a.id, a.at, a.actor, u.name AS "actorName", a.action,
           a.entity_type AS "entityType", a.entity_id AS "entityId", a.patient_id AS "patientId"
      FROM audit_log a
      LEFT JOIN users u ON u.id = a.actor
     WHERE a.id > ${query.after === undefined ? -1n : BigInt(query.after)}
       AND (${query.since ?? null}::timestamptz IS NULL OR a.at >= ${query.since ?? null}::timestamptz)
     ORDER BY a.id ASC
     LIMIT ${query.limit}`;
  return rows.map((row) => ({
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    actorName: row.actorName ?? undefined,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    patientId: row.patientId,
  }));
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
