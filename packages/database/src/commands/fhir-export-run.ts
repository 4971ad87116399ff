// The worker's side of a FHIR Bulk Data export (commands/fhir-export.ts asks for one): walk the
// patients by id (keyset), and save each batch's NDJSON with the export's cursor in one
// transaction. A job that dies between two batches is retried by BullMQ and resumes after the
// last saved batch: a batch is saved whole or not at all, and a batch saved twice is refused by
// the cursor check (and by the parts' primary key), so no line is ever written twice.
//
// These run as the worker ("system:worker"), not as the client who asked: the client's permission
// was checked and audited at kick-off, and each batch is not a change anyone made.

import type { Database, Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import {
  deleteExpired,
  FHIR_EXPORT_LIFETIME_MS,
  FHIR_EXPORT_MESSAGES_TYPE,
  type FhirExportState,
  isFhirExportResourceType,
} from './fhir-export.js';

/** What the job needs of an export to go on with it. */
export interface FhirExportRun {
  readonly id: string;
  readonly types: readonly string[];
  readonly since: Date | null;
  readonly transactionTime: Date;
  /** The last patient id saved; null before the first batch. */
  readonly cursor: string | null;
  readonly patientsTotal: number;
  readonly patientsDone: number;
}

export type FhirExportRunStart =
  | { readonly kind: 'run'; readonly run: FhirExportRun }
  /** Nothing to do: it does not exist (expired), was cancelled, or has already finished. */
  | { readonly kind: 'stop'; readonly why: string };

/**
 * The patients an export covers: every one, or those changed since `_since` (the patient's row or
 * one of their episodes: what meta.lastUpdated is made of). Patients registered after the
 * kick-off are not held back: without a history of each row the export cannot show a record as
 * it stood at transactionTime anyway, and leaving a patient out would hide their data for good.
 */
function coveredPatients(run: Pick<FhirExportRun, 'since'>) {
  if (!run.since) return Prisma.sql`TRUE`;
  return Prisma.sql`(p.updated_at > ${run.since} OR EXISTS (
    SELECT 1 FROM episodes e WHERE e.patient_id = p.id AND e.updated_at > ${run.since}))`;
}

interface ExportRow {
  id: string;
  state: string;
  types: string[];
  since: Date | null;
  transaction_time: Date;
  cursor: string | null;
  patients_total: number | null;
  patients_done: number;
  expires_at: Date;
}

function runOf(row: ExportRow, patientsTotal: number): FhirExportRun {
  return {
    id: row.id,
    types: row.types,
    since: row.since,
    transactionTime: row.transaction_time,
    cursor: row.cursor,
    patientsTotal,
    patientsDone: row.patients_done,
  };
}

/**
 * Starts (or, for a retried job, resumes) an export: marks it running and, the first time,
 * counts the patients it covers (the X-Progress total).
 */
export async function startFhirExportRun(
  db: Database,
  exportId: string,
  now: Date,
): Promise<FhirExportRunStart> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<ExportRow[]>`
      SELECT id, state, types, since, transaction_time, cursor, patients_total, patients_done,
             expires_at
        FROM fhir_exports WHERE id = ${exportId} FOR UPDATE`;
    if (!row) return { kind: 'stop', why: 'the export does not exist (expired and deleted)' };
    if (row.state !== 'queued' && row.state !== 'running') {
      return { kind: 'stop', why: `the export is ${row.state}` };
    }
    if (row.expires_at <= now) return { kind: 'stop', why: 'the export has expired' };
    const unknown = row.types.filter((type) => !isFhirExportResourceType(type));
    if (unknown.length > 0) {
      throw new Error(`Export ${exportId} asks for types this worker cannot write: ${unknown}`);
    }
    let total = row.patients_total;
    if (total === null) {
      const [counted] = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM patients p WHERE ${coveredPatients({ since: row.since })}`;
      total = counted?.n ?? 0;
    }
    await tx.fhirExport.update({
      where: { id: exportId },
      data: {
        state: 'running' satisfies FhirExportState,
        patientsTotal: total,
        updatedAt: now,
      },
    });
    return { kind: 'run', run: runOf(row, total) };
  });
}

/** The next `limit` patient ids of the export after `after` (exclusive), in id order. */
export async function fhirExportPatientIds(
  db: Queryable,
  run: Pick<FhirExportRun, 'since'>,
  after: string | null,
  limit: number,
): Promise<string[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a whole number of at least 1, not ${limit}`);
  }
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM patients p
     WHERE ${after === null ? Prisma.sql`TRUE` : Prisma.sql`p.id > ${after}`}
       AND ${coveredPatients(run)}
     ORDER BY p.id
     LIMIT ${limit}`;
  return rows.map((row) => row.id);
}

/** One resource type's lines of one batch: each line one resource's JSON and a newline. */
export interface FhirExportBatchPart {
  readonly resourceType: string;
  readonly lineCount: number;
  readonly body: string;
}

export interface FhirExportBatch {
  /** The cursor the batch was read after: the batch is refused if the export has moved on. */
  readonly after: string | null;
  /** The batch's last patient id: the export's new cursor. */
  readonly last: string;
  readonly patients: number;
  readonly parts: readonly FhirExportBatchPart[];
}

export type FhirExportBatchSaved =
  | { readonly kind: 'saved'; readonly run: FhirExportRun }
  /** The export was cancelled, expired or finished: the job stops. */
  | { readonly kind: 'stop'; readonly why: string }
  /**
   * Another attempt of the job saved this batch first (a stalled job taken over while it was
   * still alive): nothing was written; carry on from `run.cursor`.
   */
  | { readonly kind: 'moved-on'; readonly run: FhirExportRun };

/**
 * Saves one batch: its parts (empty types are not written) and the export's cursor and progress,
 * in one transaction under the export's row lock (which a cancellation takes too).
 */
export async function saveFhirExportBatch(
  db: Database,
  exportId: string,
  batch: FhirExportBatch,
  now: Date,
): Promise<FhirExportBatchSaved> {
  for (const part of batch.parts) {
    if (!isFhirExportResourceType(part.resourceType)) {
      throw new Error(`A batch part of type "${part.resourceType}" is not an exported type`);
    }
  }
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<(ExportRow & { next_sequence: number })[]>`
      SELECT id, state, types, since, transaction_time, cursor, patients_total, patients_done,
             expires_at, next_sequence
        FROM fhir_exports WHERE id = ${exportId} FOR UPDATE`;
    if (!row) return { kind: 'stop', why: 'the export does not exist (expired and deleted)' };
    if (row.state !== 'running') return { kind: 'stop', why: `the export is ${row.state}` };
    if (row.expires_at <= now) return { kind: 'stop', why: 'the export has expired' };
    if (row.cursor !== batch.after) {
      return { kind: 'moved-on', run: runOf(row, row.patients_total ?? 0) };
    }
    const parts = batch.parts.filter((part) => part.lineCount > 0);
    if (parts.length > 0) {
      const rows = parts.map((part) => ({
        resource_type: part.resourceType,
        line_count: part.lineCount,
        bytes: Buffer.byteLength(part.body),
        body: part.body,
      }));
      // ON CONFLICT: a part already there is this batch's (its sequence is the locked row's).
      await tx.$executeRaw`
        INSERT INTO fhir_export_parts (export_id, resource_type, sequence, line_count, bytes, body)
        SELECT ${exportId}, r.resource_type, ${row.next_sequence}, r.line_count, r.bytes, r.body
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS r(resource_type text, line_count int, bytes int, body text)
        ON CONFLICT (export_id, resource_type, sequence) DO NOTHING`;
    }
    const patientsDone = row.patients_done + batch.patients;
    await tx.fhirExport.update({
      where: { id: exportId },
      data: {
        cursor: batch.last,
        nextSequence: row.next_sequence + 1,
        patientsDone,
        updatedAt: now,
      },
    });
    return {
      kind: 'saved',
      run: { ...runOf(row, row.patients_total ?? 0), cursor: batch.last, patientsDone },
    };
  });
}

/**
 * Marks a running export completed; its files can be downloaded for FHIR_EXPORT_LIFETIME_MS from
 * now. Exports whose time has passed are deleted at the same time (the other clean-up is at each
 * kick-off). Returns false if it was no longer running (cancelled meanwhile).
 */
export async function completeFhirExport(
  db: Database,
  exportId: string,
  now: Date,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.fhirExport.updateMany({
      where: { id: exportId, state: 'running' },
      data: {
        state: 'completed' satisfies FhirExportState,
        completedAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + FHIR_EXPORT_LIFETIME_MS),
      },
    });
    await deleteExpired(tx, now);
    return count === 1;
  });
}

/**
 * Marks an export failed after its job's last attempt: its parts are deleted (a partial export
 * is not served) and `error` is what the status URL answers.
 */
export async function failFhirExport(
  db: Database,
  exportId: string,
  error: string,
  now: Date,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.fhirExport.updateMany({
      where: { id: exportId, state: { in: ['queued', 'running'] } },
      data: { state: 'failed' satisfies FhirExportState, error, updatedAt: now },
    });
    if (count === 1) {
      await tx.fhirExportPart.deleteMany({
        where: { exportId, resourceType: { not: FHIR_EXPORT_MESSAGES_TYPE } },
      });
    }
  });
}

/** Deletes the exports (and their files) whose time has passed; returns how many. */
export function deleteExpiredFhirExports(db: Database, now: Date): Promise<number> {
  return deleteExpired(db, now);
}

/**
 * Exports that should be running and show no sign of it: queued or running, unchanged since
 * `updatedBefore` (a running job saves a batch, and so touches its export, every few seconds).
 * Their job was lost (the queue store lost its data) or is stuck; the worker queues them again.
 */
export async function unattendedFhirExports(
  db: Queryable,
  query: { readonly updatedBefore: Date; readonly now: Date; readonly limit: number },
): Promise<string[]> {
  const rows = await db.fhirExport.findMany({
    where: {
      state: { in: ['queued', 'running'] },
      updatedAt: { lt: query.updatedBefore },
      expiresAt: { gt: query.now },
    },
    select: { id: true },
    orderBy: { updatedAt: 'asc' },
    take: query.limit,
  });
  return rows.map((row) => row.id);
}
