// FHIR Bulk Data exports ($export, system level; http://hl7.org/fhir/uv/bulkdata/export.html):
// asking for one and cancelling it. An export is a row of fhir_exports and its NDJSON is kept in
// fhir_export_parts, so the dashboard (which serves the files) and the worker (which writes them)
// share nothing but the database. The kick-off writes the export and the outbox message that
// becomes the worker's job in one transaction: an export is never asked for without its job, and
// a job never runs for an export that was not committed. The worker's side is fhir-export-run.ts.
import { randomUUID } from 'node:crypto';
import type { Database, Transaction } from '../client.js';
import { enqueue } from '../outbox/catalog.js';
import { RecordError } from '../records/errors.js';
import { type ActorId, runCommand } from './run-command.js';

const ACTION = 'fhir.export';

/** How long an export's files can be downloaded: counted from its kick-off, then from its end. */
export const FHIR_EXPORT_LIFETIME_MS = 24 * 60 * 60_000;

/**
 * queued: written at kick-off, its job not yet started; running: the job is writing its parts;
 * completed: every part written (the manifest is served); failed: the job gave up (its error is
 * served); cancelled: the client deleted it (its parts are gone, and it answers 404).
 */
export const FHIR_EXPORT_STATES = [
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
] as const;
export type FhirExportState = (typeof FHIR_EXPORT_STATES)[number];

/**
 * The resource types a patient's record becomes (@vfx/fhir's patientResource and
 * episodeResources, whose PatientCompartmentResource union they are), in the order the manifest
 * lists their files. `_type` may name only these.
 */
export const FHIR_EXPORT_RESOURCE_TYPES = [
  'Patient',
  'Condition',
  'EpisodeOfCare',
  'CarePlan',
  'Task',
  'Observation',
  'MedicationStatement',
  'ServiceRequest',
] as const;
export type FhirExportResourceType = (typeof FHIR_EXPORT_RESOURCE_TYPES)[number];

/** The part type that holds the export's messages (the manifest's `error` array). */
export const FHIR_EXPORT_MESSAGES_TYPE = 'OperationOutcome';

export function isFhirExportResourceType(value: string): value is FhirExportResourceType {
  return (FHIR_EXPORT_RESOURCE_TYPES as readonly string[]).includes(value);
}

export interface FhirExportRequest {
  /** The kick-off URL as the client sent it: the manifest's `request`. */
  readonly requestUrl: string;
  /** The types to write, at least one, each of FHIR_EXPORT_RESOURCE_TYPES. */
  readonly types: readonly string[];
  /** Only resources last updated after this instant. */
  readonly since: Date | null;
  /**
   * Warnings about the request that did not stop it (parameters ignored under
   * `Prefer: handling=lenient`): kept as the export's OperationOutcome file, listed in the
   * manifest's `error` array as the specification asks.
   */
  readonly warnings?: {
    readonly resourceType: 'OperationOutcome';
    readonly issue: readonly unknown[];
  };
}

export interface FhirExportStarted {
  readonly id: string;
  readonly transactionTime: Date;
  readonly expiresAt: Date;
}

/**
 * Asks for an export as `actorId` (permission `fhir.export`): writes the export (queued), its
 * warnings, its outbox message and its audit entry in one transaction, after deleting the exports
 * whose time has passed. `now` is the manifest's transactionTime.
 */
export async function requestFhirExport(
  db: Database,
  actorId: ActorId,
  request: FhirExportRequest,
  now: Date,
): Promise<FhirExportStarted> {
  const types = [...new Set(request.types)];
  if (types.length === 0) {
    throw new RecordError('invalid-input', 'An export needs at least one resource type');
  }
  const unknown = types.filter((type) => !isFhirExportResourceType(type));
  if (unknown.length > 0) {
    throw new RecordError(
      'invalid-input',
      `Not a resource type this service exports: ${unknown.join(', ')} (it exports ${FHIR_EXPORT_RESOURCE_TYPES.join(', ')})`,
    );
  }
  if (request.since && Number.isNaN(request.since.getTime())) {
    throw new RecordError('invalid-input', 'since is not a valid instant');
  }
  if (request.requestUrl.trim() === '') {
    throw new RecordError('invalid-input', 'requestUrl must not be empty');
  }
  return runCommand(db, actorId, ACTION, async ({ tx, actor, audit }) => {
    await deleteExpired(tx, now);
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + FHIR_EXPORT_LIFETIME_MS);
    await tx.fhirExport.create({
      data: {
        id,
        requestedBy: actor.id,
        requestUrl: request.requestUrl,
        types,
        since: request.since,
        state: 'queued' satisfies FhirExportState,
        transactionTime: now,
        createdAt: now,
        updatedAt: now,
        expiresAt,
      },
    });
    if (request.warnings && request.warnings.issue.length > 0) {
      const line = `${JSON.stringify(request.warnings)}\n`;
      await tx.fhirExportPart.create({
        data: {
          exportId: id,
          resourceType: FHIR_EXPORT_MESSAGES_TYPE,
          sequence: 0,
          lineCount: 1,
          bytes: Buffer.byteLength(line),
          body: line,
        },
      });
    }
    await enqueue(tx, 'fhir-export.run', { exportId: id });
    await audit({
      action: 'fhir-export.requested',
      entityType: 'fhir-export',
      entityId: id,
      after: {
        types,
        since: request.since?.toISOString() ?? null,
        request: request.requestUrl,
      },
      at: now,
    });
    return { id, transactionTime: now, expiresAt };
  });
}

/**
 * Cancels an export of `actorId`'s (the status URL's DELETE): a queued or running export stops
 * at its job's next batch, and a finished one's files are deleted at once. Answers 'not-found'
 * for an export that does not exist, is someone else's, has expired or was already cancelled
 * (the specification's 404), having changed nothing.
 */
export async function cancelFhirExport(
  db: Database,
  actorId: ActorId,
  exportId: string,
  now: Date,
): Promise<'cancelled' | 'not-found'> {
  return runCommand(db, actorId, ACTION, async ({ tx, actor, audit }) => {
    // Locked: the job saves each batch under the same lock, so it sees the cancellation at once.
    const [row] = await tx.$queryRaw<{ state: string; requested_by: string; expires_at: Date }[]>`
      SELECT state, requested_by, expires_at FROM fhir_exports WHERE id = ${exportId} FOR UPDATE`;
    const found =
      row && row.requested_by === actor.id && row.state !== 'cancelled' && row.expires_at > now;
    if (!found) {
      await audit({
        action: 'command.unchanged',
        entityType: 'fhir-export',
        entityId: exportId,
        after: { command: ACTION, why: 'no export of yours with this id is current' },
        at: now,
      });
      return 'not-found';
    }
    await tx.fhirExportPart.deleteMany({ where: { exportId } });
    await tx.fhirExport.update({
      where: { id: exportId },
      data: { state: 'cancelled' satisfies FhirExportState, cancelledAt: now, updatedAt: now },
    });
    await audit({
      action: 'fhir-export.cancelled',
      entityType: 'fhir-export',
      entityId: exportId,
      before: { state: row.state },
      after: { state: 'cancelled' },
      at: now,
    });
    return 'cancelled';
  });
}

/** Deletes the exports (and their parts) whose time has passed; returns how many. */
export async function deleteExpired(tx: Transaction | Database, now: Date): Promise<number> {
  const { count } = await tx.fhirExport.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
