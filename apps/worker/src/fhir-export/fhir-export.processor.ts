// One FHIR Bulk Data export (http://hl7.org/fhir/uv/bulkdata/export.html), as the worker's job
// runs it: patients walked by id in batches; each batch's records read with the FHIR record views,
// made into resources by @vfx/fhir's mappers (the same ones Patient/$everything uses), filtered by
// `_type` and `_since`, and saved as NDJSON parts with the export's cursor in one transaction.
// Memory holds one batch. Between batches the export's row is checked (under its lock, by the
// save itself), so a cancellation stops the job at the next batch; a job that died is retried by
// BullMQ and resumes after the last saved batch (packages/database commands/fhir-export-run.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '@vfx/database';
import type { FhirExportResourceType } from '@vfx/database/commands';
import {
  completeFhirExport,
  type FhirExportBatchPart,
  type FhirExportRun,
  fhirExportPatientIds,
  saveFhirExportBatch,
  startFhirExportRun,
} from '@vfx/database/jobs';
import { fhirEpisodeRecords, fhirPatientRecords } from '@vfx/database/views';
import {
  episodeResources,
  type PatientCompartmentResource,
  patientResource,
  planDefinitionCanonical,
} from '@vfx/fhir';
import type { Clock } from '../tokens.js';

// The exported types (what `_type` may name and the manifest lists) must be exactly the types the
// mappers make: a type added to @vfx/fhir without being added there fails this typecheck.
type MappedType = PatientCompartmentResource['resourceType'];
const exportedTypesAreTheMappers: [MappedType] extends [FhirExportResourceType]
  ? [FhirExportResourceType] extends [MappedType]
    ? true
    : never
  : never = true;
void exportedTypesAreTheMappers;

export interface FhirExportOptions {
  /** Patients per batch: what one batch's memory and one transaction hold. */
  readonly batchSize: number;
  /** A pause after each batch, so a long export leaves the database room for the pathway's work. */
  readonly pauseMs?: number;
  readonly clock: Clock;
  /** Told after each saved batch (progress logs, metrics, tests). */
  readonly onBatch?: (progress: FhirExportProgress) => void | Promise<void>;
}

export interface FhirExportProgress {
  readonly exportId: string;
  readonly patientsDone: number;
  readonly patientsTotal: number;
  /** What this run (this attempt of the job) has written so far. */
  readonly resources: number;
  readonly bytes: number;
}

export type FhirExportOutcome =
  | {
      readonly kind: 'completed';
      readonly patients: number;
      /** Written by this attempt (a resumed export's earlier batches are not counted again). */
      readonly resources: number;
      readonly bytes: number;
    }
  /** Cancelled, expired, already finished, or gone: nothing more to write. */
  | { readonly kind: 'stopped'; readonly why: string };

/** meta.lastUpdated after `since` (a resource without one is kept: its age is unknown). */
function changedSince(resource: { meta?: { lastUpdated?: string } }, since: Date | null): boolean {
  if (!since) return true;
  const updated = resource.meta?.lastUpdated;
  return updated === undefined || Date.parse(updated) > since.getTime();
}

/** The resources of one batch of patients, as NDJSON parts by type. */
async function batchParts(
  db: Database,
  run: FhirExportRun,
  patientIds: readonly string[],
): Promise<FhirExportBatchPart[]> {
  const wanted = new Set(run.types);
  const lines = new Map<string, string[]>();
  const add = (resource: { resourceType: string; meta?: { lastUpdated?: string } }) => {
    if (!wanted.has(resource.resourceType) || !changedSince(resource, run.since)) return;
    const list = lines.get(resource.resourceType) ?? [];
    list.push(JSON.stringify(resource));
    lines.set(resource.resourceType, list);
  };
  if (wanted.has('Patient')) {
    for (const record of await fhirPatientRecords(db, patientIds)) add(patientResource(record));
  }
  if ([...wanted].some((type) => type !== 'Patient')) {
    for (const record of await fhirEpisodeRecords(db, { patientIds })) {
      for (const resource of episodeResources(record, planDefinitionCanonical)) add(resource);
    }
  }
  return [...lines].map(([resourceType, list]) => ({
    resourceType,
    lineCount: list.length,
    body: `${list.join('\n')}\n`,
  }));
}

/** Runs (or resumes) one export to its end, or until it is cancelled. */
export async function runFhirExport(
  db: Database,
  exportId: string,
  options: FhirExportOptions,
): Promise<FhirExportOutcome> {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new RangeError(
      `batchSize must be a whole number of at least 1, not ${options.batchSize}`,
    );
  }
  const start = await startFhirExportRun(db, exportId, options.clock());
  if (start.kind === 'stop') return { kind: 'stopped', why: start.why };
  let run = start.run;
  let resources = 0;
  let bytes = 0;
  for (;;) {
    const after = run.cursor;
    const patientIds = await fhirExportPatientIds(db, run, after, options.batchSize);
    const last = patientIds.at(-1);
    if (last === undefined) break;
    const parts = await batchParts(db, run, patientIds);
    const saved = await saveFhirExportBatch(
      db,
      exportId,
      { after, last, patients: patientIds.length, parts },
      options.clock(),
    );
    if (saved.kind === 'stop') return { kind: 'stopped', why: saved.why };
    run = saved.run;
    if (saved.kind === 'saved') {
      for (const part of parts) {
        resources += part.lineCount;
        bytes += Buffer.byteLength(part.body);
      }
    }
    await options.onBatch?.({
      exportId,
      patientsDone: run.patientsDone,
      patientsTotal: run.patientsTotal,
      resources,
      bytes,
    });
    if (options.pauseMs) await sleep(options.pauseMs);
  }
  const completed = await completeFhirExport(db, exportId, options.clock());
  if (!completed) return { kind: 'stopped', why: 'the export was cancelled as it finished' };
  return { kind: 'completed', patients: run.patientsDone, resources, bytes };
}
