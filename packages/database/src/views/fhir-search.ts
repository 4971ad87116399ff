// The FHIR searches that span the service, as keyset pages: each page is one index range read
// from where the last one stopped, so the hundredth page costs what the first did at any
// caseload size. They return ids only; the records behind a page are read in one batch
// (fhir-records.ts) and mapped by packages/fhir, the same as any other read.

import type { Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';

/** Patients in id order after `after`: all of them, or those with one identifier. */
export async function fhirPatientIdPage(
  db: Queryable,
  query: {
    readonly identifier?: { readonly kind: string; readonly value: string };
    readonly after?: string;
    readonly limit: number;
  },
): Promise<string[]> {
  const rows = await db.patient.findMany({
    where: {
      ...(query.identifier
        ? { identifierKind: query.identifier.kind, identifierValue: query.identifier.value }
        : {}),
      ...(query.after !== undefined ? { id: { gt: query.after } } : {}),
    },
    orderBy: { id: 'asc' },
    take: query.limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** A patient's episodes in id order after `after`, or everyone's. */
export async function fhirEpisodeIdPage(
  db: Queryable,
  query: { readonly patientId?: string; readonly after?: string; readonly limit: number },
): Promise<string[]> {
  const rows = await db.episode.findMany({
    where: {
      ...(query.patientId !== undefined ? { patientId: query.patientId } : {}),
      ...(query.after !== undefined ? { id: { gt: query.after } } : {}),
    },
    orderBy: { id: 'asc' },
    take: query.limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

export interface TaskCursor {
  /** The last row's due instant (ISO), episode id and step key. */
  readonly dueAt: string;
  readonly episodeId: string;
  readonly key: string;
}

export interface TaskRow {
  readonly episodeId: string;
  readonly key: string;
  readonly dueAt: string;
}

/**
 * Plan steps with one of `statuses` (each a step status the worker has applied), in order of
 * their due instant, then episode and key, after `after`. `period` keeps the steps whose window
 * (opens to overdue-from) overlaps it, as a FHIR date search on Task.restriction.period does. A
 * patient narrows it to their episodes. Read from the partial index of active steps by due
 * instant (migration fhir_task_search).
 */
export async function fhirTaskPage(
  db: Queryable,
  query: {
    readonly statuses: readonly string[];
    readonly patientId?: string;
    readonly period?: { readonly from?: Date; readonly before?: Date };
    readonly after?: TaskCursor;
    readonly limit: number;
  },
): Promise<TaskRow[]> {
  if (query.statuses.length === 0) return [];
  const conditions = [
    Prisma.sql`s.status IN (${Prisma.join(query.statuses)})`,
    Prisma.sql`s.due_at IS NOT NULL`,
  ];
  if (query.patientId !== undefined) {
    conditions.push(
      Prisma.sql`s.episode_id IN (SELECT e.id FROM episodes e WHERE e.patient_id = ${query.patientId})`,
    );
  }
  // Overlap: the window ends after the period starts, and starts before the period ends.
  if (query.period?.from) conditions.push(Prisma.sql`s.overdue_at > ${query.period.from}`);
  if (query.period?.before) conditions.push(Prisma.sql`s.opens_at < ${query.period.before}`);
  if (query.after) {
    conditions.push(
      Prisma.sql`(s.due_at, s.episode_id, s.key) > (${new Date(query.after.dueAt)}, ${query.after.episodeId}, ${query.after.key})`,
    );
  }
  const rows = await db.$queryRaw<{ episode_id: string; key: string; due_at: Date }[]>`
    SELECT s.episode_id, s.key, s.due_at
      FROM plan_steps s
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY s.due_at, s.episode_id, s.key
     LIMIT ${query.limit}`;
  return rows.map((row) => ({
    episodeId: row.episode_id,
    key: row.key,
    dueAt: row.due_at.toISOString(),
  }));
}

/** The episode and patient an entry was recorded on, or undefined when there is no such entry. */
export async function episodeOfEntry(
  db: Queryable,
  eventId: string,
): Promise<{ readonly episodeId: string; readonly patientId: string } | undefined> {
  const row = await db.clinicalEvent.findUnique({
    where: { id: eventId },
    select: { episodeId: true, episode: { select: { patientId: true } } },
  });
  return row ? { episodeId: row.episodeId, patientId: row.episode.patientId } : undefined;
}
