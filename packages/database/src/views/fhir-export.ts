// What the status and file URLs of a FHIR Bulk Data export read (commands/fhir-export.ts writes
// exports): its state and progress, the files of a completed one, and a file's lines streamed part
// by part, so a file of any size is served holding one part (one batch of one type) in memory.
import type { Queryable } from '../client.js';
import {
  FHIR_EXPORT_MESSAGES_TYPE,
  FHIR_EXPORT_RESOURCE_TYPES,
  type FhirExportState,
} from '../commands/fhir-export.js';

export interface FhirExportFile {
  /** A resource type, or 'OperationOutcome' for the export's messages. */
  readonly resourceType: string;
  /** Lines (resources) in the file. */
  readonly count: number;
  readonly bytes: number;
}

export type FhirExportStatus =
  /** Unknown, someone else's, cancelled or deleted: the specification's 404. */
  | { readonly kind: 'not-found' }
  /** Its time has passed and it has not yet been deleted: 410 Gone. */
  | { readonly kind: 'expired'; readonly expiredAt: Date }
  | {
      readonly kind: 'in-progress';
      readonly state: Extract<FhirExportState, 'queued' | 'running'>;
      readonly patientsDone: number;
      /** null until the job has started and counted them. */
      readonly patientsTotal: number | null;
    }
  | { readonly kind: 'failed'; readonly error: string }
  | {
      readonly kind: 'completed';
      readonly transactionTime: Date;
      readonly requestUrl: string;
      readonly expiresAt: Date;
      /** The resource types' files, in FHIR_EXPORT_RESOURCE_TYPES order; empty ones left out. */
      readonly output: readonly FhirExportFile[];
      /** The export's messages (warnings of a lenient kick-off), if any. */
      readonly error: readonly FhirExportFile[];
    };

interface StatusRow {
  state: string;
  requested_by: string;
  request_url: string;
  transaction_time: Date;
  patients_done: number;
  patients_total: number | null;
  error: string | null;
  expires_at: Date;
}

/** An export as its requester's status URL sees it. */
export async function fhirExportStatus(
  db: Queryable,
  query: { readonly exportId: string; readonly requestedBy: string; readonly now: Date },
): Promise<FhirExportStatus> {
  const [row] = await db.$queryRaw<StatusRow[]>`
    SELECT state, requested_by, request_url, transaction_time, patients_done, patients_total,
           error, expires_at
      FROM fhir_exports WHERE id = ${query.exportId}`;
  if (!row || row.requested_by !== query.requestedBy || row.state === 'cancelled') {
    return { kind: 'not-found' };
  }
  if (row.expires_at <= query.now) return { kind: 'expired', expiredAt: row.expires_at };
  switch (row.state as FhirExportState) {
    case 'queued':
    case 'running':
      return {
        kind: 'in-progress',
        state: row.state as 'queued' | 'running',
        patientsDone: row.patients_done,
        patientsTotal: row.patients_total,
      };
    case 'failed':
      return { kind: 'failed', error: row.error ?? 'The export failed' };
    case 'completed': {
      const files = await db.$queryRaw<{ resource_type: string; count: number; bytes: bigint }[]>`
        SELECT resource_type, sum(line_count)::int AS count, sum(bytes)::bigint AS bytes
          FROM fhir_export_parts WHERE export_id = ${query.exportId}
         GROUP BY resource_type`;
      const file = (f: (typeof files)[number]): FhirExportFile => ({
        resourceType: f.resource_type,
        count: f.count,
        bytes: Number(f.bytes),
      });
      const order = FHIR_EXPORT_RESOURCE_TYPES as readonly string[];
      return {
        kind: 'completed',
        transactionTime: row.transaction_time,
        requestUrl: row.request_url,
        expiresAt: row.expires_at,
        output: files
          .filter((f) => order.includes(f.resource_type))
          .sort((a, b) => order.indexOf(a.resource_type) - order.indexOf(b.resource_type))
          .map(file),
        error: files.filter((f) => f.resource_type === FHIR_EXPORT_MESSAGES_TYPE).map(file),
      };
    }
    default:
      throw new Error(`Export ${query.exportId} has an unknown state "${row.state}"`);
  }
}

export interface FhirExportFileStream extends FhirExportFile {
  /** The file's lines, read one part at a time as the reader pulls. */
  readonly body: ReadableStream<Uint8Array>;
}

/**
 * One file of a completed, current export of `requestedBy`'s, or undefined (404) if there is no
 * such file. The stream reads the parts in sequence order, one query per part, when pulled.
 */
export async function fhirExportFile(
  db: Queryable,
  query: {
    readonly exportId: string;
    readonly requestedBy: string;
    readonly resourceType: string;
    readonly now: Date;
  },
): Promise<FhirExportFileStream | undefined> {
  const [file] = await db.$queryRaw<{ count: number; bytes: bigint; parts: number }[]>`
    SELECT sum(p.line_count)::int AS count, sum(p.bytes)::bigint AS bytes, count(*)::int AS parts
      FROM fhir_exports x
      JOIN fhir_export_parts p ON p.export_id = x.id
     WHERE x.id = ${query.exportId} AND x.requested_by = ${query.requestedBy}
       AND x.state = 'completed' AND x.expires_at > ${query.now}
       AND p.resource_type = ${query.resourceType}`;
  if (!file || file.parts === 0) return undefined;
  const encoder = new TextEncoder();
  let after = -1;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const [part] = await db.$queryRaw<{ sequence: number; body: string }[]>`
          SELECT sequence, body FROM fhir_export_parts
           WHERE export_id = ${query.exportId} AND resource_type = ${query.resourceType}
             AND sequence > ${after}
           ORDER BY sequence LIMIT 1`;
        if (!part) {
          controller.close();
          return;
        }
        after = part.sequence;
        controller.enqueue(encoder.encode(part.body));
      },
    },
    // One part at a time: the next is read only once the client has taken this one.
    { highWaterMark: 1 },
  );
  return {
    resourceType: query.resourceType,
    count: file.count,
    bytes: Number(file.bytes),
    body,
  };
}
