// FHIR Bulk Data Access v2 (http://hl7.org/fhir/uv/bulkdata/export.html), system level:
//   GET    /$export                      kick-off: 202 + Content-Location (the status URL)
//   GET    /$export-status/:id           202 + X-Progress while running; 200 + manifest when done
//   DELETE /$export-status/:id           cancel: 202; the status URL then answers 404
//   GET    /$export-file/:id/:file       one NDJSON file, streamed (application/fhir+ndjson)
// The kick-off writes the export and its worker job in one transaction (requestFhirExport); the
// worker writes the files into the database (apps/worker/src/fhir-export); the status and file
// URLs read them back. Only the key that asked may poll, cancel or download, with the same key
// (requiresAccessToken: true). Administrators' keys only (permission fhir.export).
import {
  cancelFhirExport,
  FHIR_EXPORT_MESSAGES_TYPE,
  FHIR_EXPORT_RESOURCE_TYPES,
  isFhirExportResourceType,
  requestFhirExport,
} from '@vfx/database/commands';
import { fhirExportFile, fhirExportStatus } from '@vfx/database/views';
import { FhirError, type FhirIssue, operationOutcome } from '@vfx/fhir';
import { db } from '../db';
import type { FhirInteraction, FhirRequestContext, FhirResult } from './interaction';

/** How long a client is asked to wait between two polls of a running export (seconds). */
export const EXPORT_RETRY_AFTER_SECONDS = 5;

/** `_outputFormat` values meaning NDJSON, which the specification says a server SHALL accept. */
export const NDJSON_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'] as const;

/** The kick-off parameters this server supports. */
const SUPPORTED_PARAMETERS = ['_type', '_since', '_outputFormat'] as const;

/**
 * Parameters of the specification this server does not support: refused (400) unless the client
 * sent `Prefer: handling=lenient`, when they are ignored and the manifest's `error` file says so.
 */
export const UNSUPPORTED_PARAMETERS = [
  '_elements',
  'patient',
  'includeAssociatedData',
  '_typeFilter',
] as const;

/** A FHIR instant: a time to the second at least, with its zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface KickOff {
  readonly types: readonly string[];
  readonly since: Date | null;
  /** What a lenient kick-off ignored: the export's OperationOutcome file. */
  readonly ignored: readonly FhirIssue[];
}

function preferences(request: Request): { respondAsync: boolean; lenient: boolean } {
  const values = (request.headers.get('prefer') ?? '')
    .split(/[,;]/)
    .map((value) => value.trim().toLowerCase().replace(/\s+/g, ''));
  return {
    respondAsync: values.includes('respond-async'),
    lenient: values.includes('handling=lenient'),
  };
}

const invalid = (diagnostics: string): FhirIssue => ({ code: 'invalid', diagnostics });

/**
 * Reads and checks a kick-off request: every problem found is named in one 400 OperationOutcome.
 * Under `Prefer: handling=lenient` unsupported parameters and unknown `_type` values are dropped
 * (as the specification permits) and returned as warnings instead.
 */
export function parseKickOff(url: URL, request: Request): KickOff {
  const { respondAsync, lenient } = preferences(request);
  const errors: FhirIssue[] = [];
  const ignored: FhirIssue[] = [];
  const unsupported = (issue: FhirIssue) =>
    lenient ? ignored.push({ ...issue, severity: 'warning' }) : errors.push(issue);

  if (!respondAsync) {
    errors.push(
      invalid(
        'The Prefer header must include respond-async: a bulk export is only answered asynchronously',
      ),
    );
  }
  const params = url.searchParams;
  for (const name of new Set(params.keys())) {
    if ((SUPPORTED_PARAMETERS as readonly string[]).includes(name)) continue;
    const known = (UNSUPPORTED_PARAMETERS as readonly string[]).includes(name);
    unsupported({
      code: 'not-supported',
      diagnostics: known
        ? `The parameter ${name} is not supported by this server${lenient ? ' and was ignored' : ' (send Prefer: handling=lenient to have it ignored)'}`
        : `Unknown parameter ${name}${lenient ? ' (ignored)' : ''}: this server's $export takes ${SUPPORTED_PARAMETERS.join(', ')}`,
    });
  }

  // _type may repeat and may hold comma-separated types; repeated values mean "any of".
  const requested = params
    .getAll('_type')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim());
  let types: string[] = [...FHIR_EXPORT_RESOURCE_TYPES];
  if (params.has('_type')) {
    if (requested.some((type) => type === '')) {
      errors.push(invalid('_type has an empty value: give resource types separated by commas'));
    }
    const named = requested.filter((type) => type !== '');
    for (const type of named.filter((t) => !isFhirExportResourceType(t))) {
      unsupported({
        code: 'not-supported',
        diagnostics: `_type ${type} is not a resource type this server exports (it exports ${FHIR_EXPORT_RESOURCE_TYPES.join(', ')})${lenient ? '; it was ignored' : ''}`,
      });
    }
    types = [...new Set(named.filter(isFhirExportResourceType))];
    if (types.length === 0 && named.length > 0 && lenient) {
      errors.push(
        invalid(
          `_type names no resource type this server exports (it exports ${FHIR_EXPORT_RESOURCE_TYPES.join(', ')})`,
        ),
      );
    }
  }

  let since: Date | null = null;
  const sinces = params.getAll('_since');
  if (sinces.length > 1) errors.push(invalid('_since may be given once'));
  if (sinces[0] !== undefined) {
    // An unencoded "+" of a time zone arrives as a space: read it as the "+" it was.
    const value = sinces[0].replace(' ', '+');
    const parsed = Date.parse(value);
    if (!INSTANT.test(value) || Number.isNaN(parsed)) {
      errors.push(
        invalid(
          `_since "${sinces[0]}" is not a FHIR instant (e.g. 2026-11-01T00:00:00Z: a date, a time to the second and a zone)`,
        ),
      );
    } else {
      since = new Date(parsed);
    }
  }

  const formats = params.getAll('_outputFormat');
  if (formats.length > 1) errors.push(invalid('_outputFormat may be given once'));
  if (
    formats[0] !== undefined &&
    !(NDJSON_FORMATS as readonly string[]).includes(formats[0].trim().toLowerCase())
  ) {
    errors.push({
      code: 'not-supported',
      diagnostics: `_outputFormat "${formats[0]}" is not supported: this server writes NDJSON only (${NDJSON_FORMATS.join(', ')})`,
    });
  }

  if (errors.length > 0) throw new FhirError(400, errors);
  return { types, since, ignored };
}

function statusUrl(base: string, exportId: string): string {
  return `${base}/$export-status/${encodeURIComponent(exportId)}`;
}

function fileUrl(base: string, exportId: string, resourceType: string): string {
  return `${base}/$export-file/${encodeURIComponent(exportId)}/${resourceType}.ndjson`;
}

const notFound = (exportId: string) =>
  new FhirError(404, [
    {
      code: 'not-found',
      diagnostics: `No current export "${exportId}" of this key's: it does not exist, was cancelled, or was asked for with another key`,
    },
  ]);

/** The completion manifest (Bulk Data v2, "Response - Complete Status"), as JSON bytes. */
export interface ExportManifest {
  readonly transactionTime: string;
  readonly request: string;
  readonly requiresAccessToken: true;
  readonly output: readonly { type: string; url: string; count: number }[];
  readonly error: readonly { type: string; url: string; count: number }[];
}

function jsonStream(value: unknown): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(JSON.stringify(value, null, 2));
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

export const exportKickOffInteraction: FhirInteraction = {
  interaction: 'operation',
  operation: 'export',
  method: 'GET',
  path: ['$export'],
  action: 'fhir.export',
  documentation:
    'Bulk Data system-level export (Prefer: respond-async; _type, _since; NDJSON). Administrators’ keys only.',
  async run(context: FhirRequestContext): Promise<FhirResult> {
    const kickOff = parseKickOff(context.url, context.request);
    const started = await requestFhirExport(
      db(),
      context.actor.id,
      {
        requestUrl: context.url.toString(),
        types: kickOff.types,
        since: kickOff.since,
        ...(kickOff.ignored.length > 0 ? { warnings: operationOutcome(kickOff.ignored) } : {}),
      },
      context.now,
    );
    return {
      status: 202,
      headers: { 'Content-Location': statusUrl(context.base, started.id) },
      ...(kickOff.ignored.length > 0 ? { resource: operationOutcome(kickOff.ignored) } : {}),
      access: {
        action: 'fhir.exported',
        entityType: 'fhir-export',
        entityId: started.id,
        details: {
          step: 'kick-off',
          types: kickOff.types,
          since: kickOff.since?.toISOString() ?? null,
        },
      },
    };
  },
};

export const exportStatusInteraction: FhirInteraction = {
  interaction: 'operation',
  operation: 'export',
  method: 'GET',
  path: ['$export-status', ':id'],
  action: 'fhir.export',
  documentation:
    'Status of a bulk export: 202 with X-Progress while it runs, then 200 with the manifest.',
  async run(context: FhirRequestContext): Promise<FhirResult> {
    const exportId = context.params.id ?? '';
    const status = await fhirExportStatus(db(), {
      exportId,
      requestedBy: context.actor.id,
      now: context.now,
    });
    switch (status.kind) {
      case 'not-found':
        throw notFound(exportId);
      case 'expired':
        throw new FhirError(410, [
          {
            code: 'not-found',
            diagnostics: `Export "${exportId}" expired at ${status.expiredAt.toISOString()}; its files have been deleted. Ask for a new export`,
          },
        ]);
      case 'in-progress':
        return {
          status: 202,
          headers: {
            'X-Progress':
              status.patientsTotal === null
                ? 'queued'
                : `${status.patientsDone} of ${status.patientsTotal} patients`,
            'Retry-After': String(EXPORT_RETRY_AFTER_SECONDS),
          },
        };
      case 'failed':
        throw new FhirError(500, [{ code: 'exception', diagnostics: status.error }]);
      case 'completed': {
        const manifest: ExportManifest = {
          transactionTime: status.transactionTime.toISOString(),
          request: status.requestUrl,
          requiresAccessToken: true,
          output: status.output.map((file) => ({
            type: file.resourceType,
            url: fileUrl(context.base, exportId, file.resourceType),
            count: file.count,
          })),
          error: status.error.map((file) => ({
            type: file.resourceType,
            url: fileUrl(context.base, exportId, file.resourceType),
            count: file.count,
          })),
        };
        return {
          status: 200,
          headers: { Expires: status.expiresAt.toUTCString() },
          stream: { body: jsonStream(manifest), contentType: 'application/json' },
        };
      }
    }
  },
};

export const exportCancelInteraction: FhirInteraction = {
  interaction: 'operation',
  operation: 'export',
  method: 'DELETE',
  path: ['$export-status', ':id'],
  action: 'fhir.export',
  documentation: 'Cancels a bulk export (running or finished) and deletes its files: 202.',
  async run(context: FhirRequestContext): Promise<FhirResult> {
    const exportId = context.params.id ?? '';
    const outcome = await cancelFhirExport(db(), context.actor.id, exportId, context.now);
    if (outcome === 'not-found') throw notFound(exportId);
    return { status: 202 };
  },
};

/** "Patient.ndjson" → "Patient"; undefined for a name that is no file of an export. */
export function resourceTypeOfFile(file: string): string | undefined {
  const match = /^([A-Za-z]+)\.ndjson$/.exec(file);
  const type = match?.[1];
  if (type === undefined) return undefined;
  return isFhirExportResourceType(type) || type === FHIR_EXPORT_MESSAGES_TYPE ? type : undefined;
}

export const exportFileInteraction: FhirInteraction = {
  interaction: 'operation',
  operation: 'export',
  method: 'GET',
  path: ['$export-file', ':id', ':file'],
  action: 'fhir.export',
  documentation:
    'One file of a completed bulk export (application/fhir+ndjson), with the same key.',
  async run(context: FhirRequestContext): Promise<FhirResult> {
    const exportId = context.params.id ?? '';
    const fileName = context.params.file ?? '';
    const resourceType = resourceTypeOfFile(fileName);
    const file =
      resourceType === undefined
        ? undefined
        : await fhirExportFile(db(), {
            exportId,
            requestedBy: context.actor.id,
            resourceType,
            now: context.now,
          });
    if (!file) {
      throw new FhirError(404, [
        {
          code: 'not-found',
          diagnostics: `No file "${fileName}" in a completed, current export "${exportId}" of this key's`,
        },
      ]);
    }
    return {
      status: 200,
      stream: { body: file.body, contentType: 'application/fhir+ndjson' },
      access: {
        action: 'fhir.exported',
        entityType: 'fhir-export',
        entityId: exportId,
        details: { step: 'download', file: fileName, count: file.count },
      },
    };
  },
};

/** The four interactions of bulk export, for the router and the CapabilityStatement. */
export const BULK_EXPORT_INTERACTIONS: readonly FhirInteraction[] = [
  exportKickOffInteraction,
  exportStatusInteraction,
  exportCancelInteraction,
  exportFileInteraction,
];
