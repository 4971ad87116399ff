// The clinical record as FHIR: reads, searches and Patient/$everything. Each reads the stored
// record through packages/database's views and maps it with packages/fhir, the same mapping the
// worker's bulk export uses; nothing here decides anything clinical. Every answer that shows a
// patient's data says what it read, and the router writes that to the audit log.
import type { Resource } from '@medplum/fhirtypes';
import {
  episodeOfEntry,
  fhirEpisodeIdPage,
  fhirEpisodeRecords,
  fhirPatientIdPage,
  fhirPatientRecords,
  fhirSignedGpLetters,
  fhirTaskPage,
  type TaskCursor,
} from '@vfx/database/views';
import {
  ACTIONABLE_STEP_STATUSES,
  carePlanResource,
  documentReferenceResource,
  type EpisodeRecord,
  episodeResources,
  FhirError,
  gpLetterBinary,
  MRN_SYSTEM,
  NHS_NUMBER_SYSTEM,
  ourIdOf,
  parseEntryResourceId,
  parseTaskId,
  patientResource,
  planDefinitionCanonical,
  taskId,
  taskResources,
} from '@vfx/fhir';
import { db } from '../db';
import { searchsetBundle } from './bundle';
import type { FhirInteraction, FhirRequestContext, FhirResult } from './interaction';
import {
  dateBound,
  decodeCursor,
  keysetPage,
  type ParsedSearch,
  parseSearch,
  periodWindow,
  referenceId,
  type SearchParamSpec,
  single,
  token,
  tokens,
} from './search-params';

function notFound(type: string, id: string): FhirError {
  return new FhirError(404, [
    { code: 'not-found', diagnostics: `${type}/${id} does not exist`, expression: [type] },
  ]);
}

async function episodesOf(where: { patientIds?: string[]; episodeIds?: string[] }) {
  return fhirEpisodeRecords(db(), where);
}

function resourcesOfEpisode(record: EpisodeRecord): Resource[] {
  return episodeResources(record, planDefinitionCanonical) as Resource[];
}

// ---------------------------------------------------------------------------------------------
// Reads

/** Which episode holds a resource of this type and id, or undefined when none can. */
async function episodeHolding(type: string, id: string): Promise<string | undefined> {
  switch (type) {
    case 'EpisodeOfCare':
    case 'Condition':
    case 'CarePlan':
      return ourIdOf(id);
    case 'Task':
      return parseTaskId(id)?.episodeId;
    default: {
      const entry = parseEntryResourceId(id);
      return entry ? (await episodeOfEntry(db(), entry.eventId))?.episodeId : undefined;
    }
  }
}

function episodeResourceRead(type: string): FhirInteraction {
  return {
    resourceType: type,
    interaction: 'read',
    method: 'GET',
    path: [type, ':id'],
    action: 'patient.view',
    documentation: `Read a ${type} by id.`,
    async run({ params }) {
      const id = params.id as string;
      const episodeId = await episodeHolding(type, id);
      const [record] = episodeId ? await episodesOf({ episodeIds: [episodeId] }) : [];
      const resource = record
        ? resourcesOfEpisode(record).find((r) => r.resourceType === type && r.id === id)
        : undefined;
      if (!record || !resource) throw notFound(type, id);
      return {
        status: 200,
        resource,
        headers: etagOf(resource),
        access: {
          action: 'patient.viewed',
          entityType: 'episode',
          entityId: record.id,
          patientId: record.patientId,
          details: { operation: `fhir:${type}.read`, id },
        },
      };
    },
  };
}

function etagOf(resource: Resource): Record<string, string> {
  return {
    ...(resource.meta?.versionId ? { ETag: `W/"${resource.meta.versionId}"` } : {}),
    ...(resource.meta?.lastUpdated
      ? { 'Last-Modified': new Date(resource.meta.lastUpdated).toUTCString() }
      : {}),
  };
}

const readPatient: FhirInteraction = {
  resourceType: 'Patient',
  interaction: 'read',
  method: 'GET',
  path: ['Patient', ':id'],
  action: 'patient.view',
  documentation: 'Read a Patient by id.',
  async run({ params }) {
    const id = params.id as string;
    const patientId = ourIdOf(id);
    const [record] = patientId ? await fhirPatientRecords(db(), [patientId]) : [];
    if (!record) throw notFound('Patient', id);
    const resource = patientResource(record);
    return {
      status: 200,
      resource,
      headers: etagOf(resource),
      access: {
        action: 'patient.viewed',
        entityType: 'patient',
        entityId: record.patient.id,
        patientId: record.patient.id,
        details: { operation: 'fhir:Patient.read' },
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Searches

const PATIENT_PARAMS: readonly SearchParamSpec[] = [
  {
    name: 'identifier',
    type: 'token',
    documentation: `The NHS number (${NHS_NUMBER_SYSTEM}|<10 digits>) or a medical record number (${MRN_SYSTEM}|<MRN>). Without it, every patient, in id order.`,
  },
];

const IdCursor = (value: unknown): value is { after: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { after?: unknown }).after === 'string';

function patientIdentifier(value: string): { kind: string; value: string } {
  const { system, code } = token(value);
  if (system === NHS_NUMBER_SYSTEM) return { kind: 'nhs-number', value: code.replace(/\s/g, '') };
  if (system === MRN_SYSTEM) return { kind: 'mrn', value: code };
  throw new FhirError(400, [
    {
      code: 'value',
      diagnostics: `identifier must name its system: "${NHS_NUMBER_SYSTEM}|<NHS number>" or "${MRN_SYSTEM}|<MRN>" (got "${value}")`,
      expression: ['identifier'],
    },
  ]);
}

const searchPatients: FhirInteraction = {
  resourceType: 'Patient',
  interaction: 'search-type',
  method: 'GET',
  path: ['Patient'],
  action: 'patient.search',
  searchParams: PATIENT_PARAMS,
  documentation: 'Patients by identifier (NHS number or MRN), or all of them, paged by id.',
  async run({ url, request, base, now }) {
    const search = parseSearch(url, request, PATIENT_PARAMS);
    const identifier = single(search, 'identifier');
    const after = search.cursor ? decodeCursor(search.cursor, IdCursor).after : undefined;
    const ids = await fhirPatientIdPage(db(), {
      ...(identifier ? { identifier: patientIdentifier(identifier) } : {}),
      ...(after !== undefined ? { after } : {}),
      limit: search.count + 1,
    });
    const { page, next } = keysetPage(ids, search.count, (last) => ({ after: last }));
    const records = await fhirPatientRecords(db(), page);
    return {
      status: 200,
      resource: searchsetBundle({
        base,
        url,
        search,
        now,
        matches: records.map(patientResource),
        next,
      }),
      access: searchAccess('Patient', search, records.length),
    };
  },
};

function searchAccess(type: string, search: ParsedSearch, matches: number, patientId?: string) {
  return {
    action: 'patient.searched' as const,
    entityType: 'search',
    entityId: `fhir:${type}`,
    ...(patientId ? { patientId } : {}),
    details: {
      operation: `fhir:${type}.search`,
      query: Object.fromEntries(
        [...search.values].map(([name, values]) => [name, values.join(' & ')]),
      ),
      matches,
    },
  };
}

/**
 * The patient a `patient` search parameter names: undefined when it is not given, null when it
 * names an id no patient of ours can have (the search then matches nothing).
 */
function patientOfSearch(search: ParsedSearch): string | null | undefined {
  const value = single(search, 'patient');
  if (value === undefined) return undefined;
  return ourIdOf(referenceId(value, 'Patient', 'patient')) ?? null;
}

function emptyPage(context: FhirRequestContext, search: ParsedSearch, type: string): FhirResult {
  return {
    status: 200,
    resource: searchsetBundle({ ...context, search, matches: [], next: undefined }),
    access: searchAccess(type, search, 0),
  };
}

const PATIENT_REFERENCE: SearchParamSpec = {
  name: 'patient',
  type: 'reference',
  documentation: 'The patient (Patient/<id> or <id>).',
};

const CAREPLAN_PARAMS: readonly SearchParamSpec[] = [PATIENT_REFERENCE];

const searchCarePlans: FhirInteraction = {
  resourceType: 'CarePlan',
  interaction: 'search-type',
  method: 'GET',
  path: ['CarePlan'],
  action: 'patient.search',
  searchParams: CAREPLAN_PARAMS,
  documentation: "A patient's care plans (one per episode), or all of them, paged by episode id.",
  async run(context) {
    const { url, request, base, now } = context;
    const search = parseSearch(url, request, CAREPLAN_PARAMS);
    const patientId = patientOfSearch(search);
    if (patientId === null) return emptyPage(context, search, 'CarePlan');
    const after = search.cursor ? decodeCursor(search.cursor, IdCursor).after : undefined;
    const ids = await fhirEpisodeIdPage(db(), {
      ...(patientId !== undefined ? { patientId } : {}),
      ...(after !== undefined ? { after } : {}),
      limit: search.count + 1,
    });
    const { page, next } = keysetPage(ids, search.count, (last) => ({ after: last }));
    const records = page.length > 0 ? await episodesOf({ episodeIds: page }) : [];
    return {
      status: 200,
      resource: searchsetBundle({
        base,
        url,
        search,
        now,
        matches: records.map((record) => carePlanResource(record, planDefinitionCanonical)),
        next,
      }),
      access: searchAccess('CarePlan', search, records.length, patientId),
    };
  },
};

/** Task.status values and the step statuses behind them (only actionable steps are Tasks). */
const TASK_PARAMS: readonly SearchParamSpec[] = [
  PATIENT_REFERENCE,
  {
    name: 'status',
    type: 'token',
    documentation:
      'Task status: "ready" (every actionable step is a ready Task); other statuses match nothing.',
  },
  {
    name: 'business-status',
    type: 'token',
    documentation:
      'The step\'s status: "open" (window open, not yet due), "due" or "overdue"; comma-separated for any of them.',
  },
  {
    name: 'period',
    type: 'date',
    documentation:
      'Task.restriction.period (opens to overdue-from) overlapping the date: prefixes eq, lt, le, gt, ge; repeat for a range (period=ge2026-12-01&period=lt2027-01-01).',
  },
];

/** A Task's business status is its step's status: the steps that are Tasks at all. */
const BUSINESS_STATUSES = ACTIONABLE_STEP_STATUSES;

const TaskCursorCheck = (value: unknown): value is TaskCursor =>
  typeof value === 'object' &&
  value !== null &&
  ['dueAt', 'episodeId', 'key'].every(
    (field) => typeof (value as Record<string, unknown>)[field] === 'string',
  ) &&
  !Number.isNaN(Date.parse((value as TaskCursor).dueAt));

function taskStatuses(search: ParsedSearch): string[] {
  let statuses: string[] = [...BUSINESS_STATUSES];
  for (const value of search.values.get('status') ?? []) {
    const asked = tokens(value).map((part) => token(part).code);
    if (!asked.includes('ready')) statuses = [];
  }
  for (const value of search.values.get('business-status') ?? []) {
    const asked = tokens(value).map((part) => token(part).code);
    const unknown = asked.filter(
      (code) => !(BUSINESS_STATUSES as readonly string[]).includes(code),
    );
    if (unknown.length > 0) {
      throw new FhirError(400, [
        {
          code: 'value',
          diagnostics: `business-status must be ${BUSINESS_STATUSES.join(', ')} (got "${unknown.join('", "')}")`,
          expression: ['business-status'],
        },
      ]);
    }
    statuses = statuses.filter((status) => asked.includes(status));
  }
  return statuses;
}

const searchTasks: FhirInteraction = {
  resourceType: 'Task',
  interaction: 'search-type',
  method: 'GET',
  path: ['Task'],
  action: 'patient.search',
  searchParams: TASK_PARAMS,
  documentation:
    'Actionable pathway steps as Tasks, across the service or for one patient, in order of their due instant, paged by keyset.',
  async run(context) {
    const { url, request, base, now } = context;
    const search = parseSearch(url, request, TASK_PARAMS);
    const patientId = patientOfSearch(search);
    if (patientId === null) return emptyPage(context, search, 'Task');
    const statuses = taskStatuses(search);
    const period = periodWindow(
      (search.values.get('period') ?? []).map((value) => dateBound(value, 'period')),
    );
    const after = search.cursor ? decodeCursor(search.cursor, TaskCursorCheck) : undefined;
    const rows = await fhirTaskPage(db(), {
      statuses,
      ...(patientId !== undefined ? { patientId } : {}),
      period,
      ...(after ? { after } : {}),
      limit: search.count + 1,
    });
    const { page, next } = keysetPage(rows, search.count, (last) => last);
    const records = page.length
      ? await episodesOf({ episodeIds: [...new Set(page.map((row) => row.episodeId))] })
      : [];
    const tasks = new Map(
      records.flatMap((record) => taskResources(record)).map((task) => [task.id, task]),
    );
    // A step whose status changed since the page was read is left out rather than shown twice.
    const matches = page.flatMap((row) => {
      const task = tasks.get(taskId(row.episodeId, row.key));
      return task ? [task] : [];
    });
    return {
      status: 200,
      resource: searchsetBundle({
        base,
        url,
        search,
        now,
        matches,
        next,
      }),
      access: searchAccess('Task', search, matches.length, patientId),
    };
  },
};

/**
 * A search of one patient's resources of a type (their compartment): `patient` is required, as a
 * service-wide list of these is what the bulk export is for. `code` narrows Observations.
 */
function patientCompartmentSearch(
  type: 'EpisodeOfCare' | 'Condition' | 'Observation' | 'MedicationStatement' | 'ServiceRequest',
): FhirInteraction {
  const params: SearchParamSpec[] = [
    { ...PATIENT_REFERENCE, documentation: 'The patient (Patient/<id> or <id>): required.' },
  ];
  if (type === 'Observation') {
    params.push({
      name: 'code',
      type: 'token',
      documentation:
        'The observation\'s code: "system|code" for a coded one (LOINC), or the text code of the service\'s own code system; comma-separated for any of them.',
    });
  }
  return {
    resourceType: type,
    interaction: 'search-type',
    method: 'GET',
    path: [type],
    action: 'patient.search',
    searchParams: params,
    documentation: `A patient's ${type} resources (patient is required).`,
    async run(context) {
      const { url, request, base, now } = context;
      const search = parseSearch(url, request, params);
      const patientId = patientOfSearch(search);
      if (patientId === undefined) {
        throw new FhirError(400, [
          {
            code: 'required',
            diagnostics: `A ${type} search needs the patient: ${type}?patient=Patient/<id> (every patient's data at once is the bulk export, $export)`,
            expression: ['patient'],
          },
        ]);
      }
      if (patientId === null) return emptyPage(context, search, type);
      const codes = (search.values.get('code') ?? []).map((value) => tokens(value).map(token));
      const records = await episodesOf({ patientIds: [patientId] });
      const matches = records
        .flatMap(resourcesOfEpisode)
        .filter((resource) => resource.resourceType === type)
        .filter((resource) =>
          codes.every((any) => any.some((wanted) => hasCode(resource, wanted))),
        );
      // A patient's own resources are few: one page holds them all, and the total is exact.
      return {
        status: 200,
        resource: searchsetBundle({
          base,
          url,
          search,
          now,
          matches,
          total: matches.length,
          next: undefined,
        }),
        access: searchAccess(type, search, matches.length, patientId),
      };
    },
  };
}

function hasCode(resource: Resource, wanted: { system?: string; code: string }): boolean {
  const concept = (resource as { code?: { coding?: { system?: string; code?: string }[] } }).code;
  return (concept?.coding ?? []).some(
    (coding) =>
      coding.code === wanted.code &&
      (wanted.system === undefined || (coding.system ?? '') === wanted.system),
  );
}

// ---------------------------------------------------------------------------------------------
// Signed letters to the GP: DocumentReference (read, search by patient) and the PDF as Binary

async function signedLetter(id: string) {
  const letterId = ourIdOf(id);
  const [record] = letterId ? await fhirSignedGpLetters(db(), { letterIds: [letterId] }) : [];
  return record;
}

/**
 * A read of a signed letter, audited on the letter and its patient. Its PDF (the Binary) is the
 * letter itself: audited as the download the patient page's link records ('gpLetter.downloaded'),
 * so an administrator sees who read which letter, however they read it.
 */
function letterAccess(
  record: { id: string; patientId: string },
  operation: string,
  action: 'patient.viewed' | 'gpLetter.downloaded' = 'patient.viewed',
) {
  return {
    action,
    entityType: 'gp-letter',
    entityId: record.id,
    patientId: record.patientId,
    details: { operation },
  };
}

const readDocumentReference: FhirInteraction = {
  resourceType: 'DocumentReference',
  interaction: 'read',
  method: 'GET',
  path: ['DocumentReference', ':id'],
  action: 'patient.view',
  documentation:
    'Read a signed letter to the GP by id: status current (superseded once a correction replaces it), docStatus final, its PDF in content.attachment (url of the Binary, size, SHA-1 hash).',
  async run({ params, base }) {
    const id = params.id as string;
    const record = await signedLetter(id);
    if (!record) throw notFound('DocumentReference', id);
    const resource = documentReferenceResource(record, base);
    return {
      status: 200,
      resource,
      headers: etagOf(resource),
      access: letterAccess(record, 'fhir:DocumentReference.read'),
    };
  },
};

const readBinary: FhirInteraction = {
  resourceType: 'Binary',
  interaction: 'read',
  method: 'GET',
  path: ['Binary', ':id'],
  action: 'patient.view',
  documentation:
    "A signed letter's PDF (the bytes signed off, unchanged), as a Binary resource with base64 data.",
  async run({ params }) {
    const id = params.id as string;
    const record = await signedLetter(id);
    if (!record) throw notFound('Binary', id);
    return {
      status: 200,
      resource: gpLetterBinary(record),
      access: letterAccess(record, 'fhir:Binary.read', 'gpLetter.downloaded'),
    };
  },
};

const DOCUMENT_REFERENCE_PARAMS: readonly SearchParamSpec[] = [
  { ...PATIENT_REFERENCE, documentation: 'The patient (Patient/<id> or <id>): required.' },
];

const searchDocumentReferences: FhirInteraction = {
  resourceType: 'DocumentReference',
  interaction: 'search-type',
  method: 'GET',
  path: ['DocumentReference'],
  action: 'patient.search',
  searchParams: DOCUMENT_REFERENCE_PARAMS,
  documentation: "A patient's signed letters to the GP, oldest first (patient is required).",
  async run(context) {
    const { url, request, base, now } = context;
    const search = parseSearch(url, request, DOCUMENT_REFERENCE_PARAMS);
    const patientId = patientOfSearch(search);
    if (patientId === undefined) {
      throw new FhirError(400, [
        {
          code: 'required',
          diagnostics:
            'A DocumentReference search needs the patient: DocumentReference?patient=Patient/<id>',
          expression: ['patient'],
        },
      ]);
    }
    if (patientId === null) return emptyPage(context, search, 'DocumentReference');
    const records = await fhirSignedGpLetters(db(), { patientIds: [patientId] });
    const matches = records.map((record) => documentReferenceResource(record, base));
    return {
      status: 200,
      resource: searchsetBundle({
        base,
        url,
        search,
        now,
        matches,
        total: matches.length,
        next: undefined,
      }),
      access: searchAccess('DocumentReference', search, matches.length, patientId),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Patient/$everything

const everything: FhirInteraction = {
  resourceType: 'Patient',
  interaction: 'operation',
  operation: 'everything',
  method: 'GET',
  path: ['Patient', ':id', '$everything'],
  action: 'patient.view',
  documentation:
    'The patient and everything recorded for them: episodes, conditions, care plans, tasks, observations, bone therapy, referrals and signed letters to the GP, in one Bundle.',
  async run({ params, url, request, base, now }) {
    // start, end, _since, _type and _count are not supported: ignored and said so, as for a search.
    const search = parseSearch(url, request, []);
    const id = params.id as string;
    const patientId = ourIdOf(id);
    const [patient] = patientId ? await fhirPatientRecords(db(), [patientId]) : [];
    if (!patient) throw notFound('Patient', id);
    const records = await episodesOf({ patientIds: [patient.patient.id] });
    const letters = await fhirSignedGpLetters(db(), { patientIds: [patient.patient.id] });
    const matches = [
      patientResource(patient),
      ...records.flatMap(resourcesOfEpisode),
      ...letters.map((letter) => documentReferenceResource(letter, base)),
    ];
    return {
      status: 200,
      resource: searchsetBundle({
        base,
        url,
        search,
        now,
        matches,
        total: matches.length,
        next: undefined,
      }),
      access: {
        action: 'patient.viewed',
        entityType: 'patient',
        entityId: patient.patient.id,
        patientId: patient.patient.id,
        details: { operation: 'fhir:Patient.$everything', resources: matches.length },
      },
    };
  },
};

export const CLINICAL_INTERACTIONS: readonly FhirInteraction[] = [
  readPatient,
  searchPatients,
  everything,
  ...(
    [
      'EpisodeOfCare',
      'Condition',
      'CarePlan',
      'Task',
      'Observation',
      'MedicationStatement',
      'ServiceRequest',
    ] as const
  ).map(episodeResourceRead),
  searchCarePlans,
  searchTasks,
  ...(
    ['EpisodeOfCare', 'Condition', 'Observation', 'MedicationStatement', 'ServiceRequest'] as const
  ).map(patientCompartmentSearch),
  readDocumentReference,
  searchDocumentReferences,
  readBinary,
];
