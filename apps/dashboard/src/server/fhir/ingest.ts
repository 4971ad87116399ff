// FHIR in: a transaction Bundle that enrols a patient with a fracture episode, and a pain
// assessment Observation recorded on an episode. Both go through the write path exactly as
// /api/v1 does (enrolPatient, recordEvent): the parsing in @vfx/fhir only turns FHIR into the
// write path's inputs, and the write path validates, stores, plans and audits. A conditional
// create (ifNoneExist / If-None-Exist) finds what an earlier copy of the message stored, by the
// ids derived from the business identifiers, and answers 200 without storing anything.
import type { Bundle, BundleEntry, Observation, OperationOutcome } from '@medplum/fhirtypes';
import { isUniqueViolation, RecordError } from '@vfx/database';
import { enrolPatient, recordEvent } from '@vfx/database/commands';
import {
  fhirEpisodeRecords,
  fhirPatientRecords,
  loadEpisodeRecord,
  patientByIdentifier,
  patientWithEpisodes,
} from '@vfx/database/views';
import {
  conditionResource,
  type EnrolmentTransaction,
  episodeOfCareResource,
  FhirError,
  type FhirIssue,
  fhirId,
  observationResources,
  orThrow,
  type PainObservation,
  type PathMap,
  parseEnrolmentTransaction,
  parseEntryResourceId,
  parsePainObservation,
  patientResource,
  type TransactionEntry,
} from '@vfx/fhir';
import { db } from '../db';
import type { FhirInteraction, FhirRequestContext, FhirResult } from './interaction';

/**
 * What the client asked to get back (FHIR R4 http.html#ops, `Prefer: return=`): the resources as
 * read back (the default), an OperationOutcome, or nothing but the status and location.
 */
function returnPreference(request: Request): 'representation' | 'OperationOutcome' | 'minimal' {
  const asked = /return=(minimal|OperationOutcome|representation)/i.exec(
    request.headers.get('prefer') ?? '',
  )?.[1];
  if (asked?.toLowerCase() === 'minimal') return 'minimal';
  if (asked?.toLowerCase() === 'operationoutcome') return 'OperationOutcome';
  return 'representation';
}

/**
 * The Observations the read side serves for an entry (a pain assessment is one per score), as
 * read back: their ids derive from the entry's (entryResourceId).
 */
async function observationsOfEntry(episodeId: string, eventId: string): Promise<Observation[]> {
  const [record] = await fhirEpisodeRecords(db(), { episodeIds: [episodeId] });
  return record
    ? observationResources(record).filter(
        (observation) => parseEntryResourceId(observation.id ?? '')?.eventId === eventId,
      )
    : [];
}

const information = (diagnostics: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'information', code: 'informational', diagnostics }],
});

/** A refusal of the write path as a FHIR answer, its issues on the FHIR elements they came from. */
function refusal(error: unknown, paths: PathMap, conflictAt?: string): never {
  if (!(error instanceof RecordError)) throw error;
  const whole = (code: FhirIssue['code'], at?: string): FhirIssue[] => [
    { code, diagnostics: error.message, ...(at ? { expression: [at] } : {}) },
  ];
  switch (error.code) {
    case 'invalid-input':
      throw new FhirError(
        422,
        error.issues.length > 0 ? paths.issuesOf(error.issues) : whole('invalid'),
      );
    case 'conflict':
      throw new FhirError(409, whole('conflict', conflictAt));
    case 'not-found':
      throw new FhirError(404, whole('not-found'));
    case 'forbidden':
      throw new FhirError(403, whole('forbidden'));
  }
}

function duplicate(expression: string, diagnostics: string): FhirError {
  return new FhirError(409, [{ code: 'duplicate', diagnostics, expression: [expression] }]);
}

function responseEntry(
  entry: TransactionEntry,
  created: boolean,
  answer: { location?: string; resource?: BundleEntry['resource']; outcome?: OperationOutcome },
): BundleEntry {
  return {
    ...(entry.fullUrl ? { fullUrl: entry.fullUrl } : {}),
    ...(answer.resource ? { resource: answer.resource } : {}),
    response: {
      status: created ? '201 Created' : '200 OK',
      ...(answer.location ? { location: answer.location } : {}),
      ...(answer.outcome ? { outcome: answer.outcome } : {}),
    },
  };
}

/** POST /fhir/R4 with a transaction Bundle: one enrolment, all or nothing. */
export async function runEnrolmentTransaction(context: FhirRequestContext): Promise<FhirResult> {
  const parsed: EnrolmentTransaction = orThrow(
    parseEnrolmentTransaction(context.body, { now: context.now }),
  );
  const { entries, enrolment, patient } = parsed;
  const database = db();
  const episodeId = String(enrolment.episode.id);

  const known = await patientByIdentifier(
    database,
    patient.identifier.kind,
    patient.identifier.value,
  );
  if (known && !entries.patient.conditional) {
    throw duplicate(
      `Bundle.entry[${entries.patient.index}].request`,
      `A patient with this identifier is already registered (Patient/${fhirId(known.id)}): send request.ifNoneExist "identifier=system|value" to enrol the episode for them`,
    );
  }
  const stored = await loadEpisodeRecord(database, episodeId);
  if (stored) {
    if (stored.row.patientId !== known?.id) {
      throw new FhirError(409, [
        {
          code: 'conflict',
          diagnostics: `The Condition's identifier "${parsed.conditionIdentifier.system}|${parsed.conditionIdentifier.value}" already enrolled an episode of another patient: a Condition identifier names one fracture of one patient`,
          expression: [`Bundle.entry[${entries.condition.index}].resource.identifier`],
        },
      ]);
    }
    if (!entries.condition.conditional) {
      throw duplicate(
        `Bundle.entry[${entries.condition.index}].request`,
        `This Condition is already enrolled (Condition/${fhirId(episodeId)}): send request.ifNoneExist "identifier=system|value" to make a repeated message harmless`,
      );
    }
  }

  // Nothing stored yet: enrol through the write path. A known patient keeps their record.
  let patientId = known?.id ?? String(enrolment.patient.id);
  const created = !stored;
  if (!stored) {
    try {
      const result = await enrolPatient(
        database,
        {
          patient: { ...enrolment.patient, id: patientId },
          demographics: enrolment.demographics,
          episode: enrolment.episode,
          // The nurse named by the EpisodeOfCare's careManager, or nobody's caseload without one
          // (docs/interop/ingest.md, hazard HAZ-021). The write path checks the user can hold a
          // caseload; a known patient stays on their own nurse's caseload.
          nurseId: enrolment.nurseId,
        },
        { actorId: context.principal.user.id, now: context.now },
      );
      patientId = result.patient.id;
    } catch (error) {
      refusal(error, parsed.paths);
    }
  }

  // The resources as the read interactions serve them, unless the client asked for less.
  const minimal = returnPreference(context.request) !== 'representation';
  const [patientRecord] = minimal ? [] : await fhirPatientRecords(database, [patientId]);
  const [episodeRecord] = minimal
    ? []
    : await fhirEpisodeRecords(database, { episodeIds: [episodeId] });
  const episodeOfCare = `EpisodeOfCare/${fhirId(episodeId)}`;
  // Each request entry with its response entry, in the request's order.
  const response: { index: number; entry: BundleEntry }[] = [
    {
      index: entries.patient.index,
      entry: responseEntry(entries.patient, !known, {
        location: `Patient/${fhirId(patientId)}`,
        ...(patientRecord ? { resource: patientResource(patientRecord) } : {}),
      }),
    },
    {
      index: entries.condition.index,
      entry: responseEntry(entries.condition, created, {
        location: `Condition/${fhirId(episodeId)}`,
        ...(episodeRecord ? { resource: conditionResource(episodeRecord) } : {}),
        outcome: information(
          created
            ? `Enrolled: ${episodeOfCare} for Patient/${fhirId(patientId)}`
            : `Already enrolled as ${episodeOfCare} for Patient/${fhirId(patientId)}: nothing was stored`,
        ),
      }),
    },
  ];
  if (entries.encounter) {
    // The admission is kept as the episode's care setting, not as an Encounter of its own.
    response.push({
      index: entries.encounter.index,
      entry: responseEntry(entries.encounter, created, {
        outcome: information(
          `The admission is kept as the care setting of ${episodeOfCare}; no Encounter resource is stored`,
        ),
      }),
    });
  }
  if (entries.episodeOfCare) {
    // The episode the enrolment made (or found), with the care manager it has.
    response.push({
      index: entries.episodeOfCare.index,
      entry: responseEntry(entries.episodeOfCare, created, {
        location: episodeOfCare,
        ...(episodeRecord ? { resource: episodeOfCareResource(episodeRecord) } : {}),
      }),
    });
  }
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: response.sort((a, b) => a.index - b.index).map((item) => item.entry),
  };
  return {
    status: 200,
    resource: bundle,
    // A repeat tells the sender what is stored under the identifiers: recorded as a read.
    ...(known
      ? {
          access: {
            action: 'patient.viewed' as const,
            entityType: created ? 'patient' : 'episode',
            entityId: created ? patientId : episodeId,
            patientId,
            details: {
              operation: 'transaction',
              conditionalCreate: created ? 'patient' : 'episode',
            },
          },
        }
      : {}),
  };
}

/** Finds the patient and the open episode the Observation is recorded on. */
async function episodeOf(
  parsed: PainObservation,
): Promise<{ patientId: string; episodeId: string }> {
  const database = db();
  const patientId =
    parsed.subject.kind === 'id'
      ? parsed.subject.patientId
      : (await patientByIdentifier(database, 'nhs-number', parsed.subject.value))?.id;
  const found = patientId ? await patientWithEpisodes(database, patientId) : undefined;
  const unknownPatient = (diagnostics: string) =>
    new FhirError(422, [{ code: 'not-found', diagnostics, expression: ['Observation.subject'] }]);
  if (!found) {
    throw unknownPatient(
      parsed.subject.kind === 'id'
        ? `Observation.subject names Patient/${parsed.subject.patientId}, which does not exist`
        : 'Observation.subject names an NHS number no registered patient has',
    );
  }
  const episodeExpression = ['Observation.extension'];
  if (parsed.episodeId) {
    if (!found.episodes.some((episode) => episode.id === parsed.episodeId)) {
      throw new FhirError(422, [
        {
          code: 'not-found',
          diagnostics: `EpisodeOfCare/${parsed.episodeId} is not an episode of Patient/${found.patient.id}`,
          expression: episodeExpression,
        },
      ]);
    }
    return { patientId: found.patient.id, episodeId: parsed.episodeId };
  }
  const open = found.episodes.filter((episode) => episode.closedAt === null);
  if (open.length !== 1) {
    throw new FhirError(422, [
      {
        code: 'required',
        diagnostics:
          open.length === 0
            ? `Patient/${found.patient.id} has no open episode to record on`
            : `Patient/${found.patient.id} has ${open.length} open episodes: name one with the extension http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare (EpisodeOfCare/<id>)`,
        expression: episodeExpression,
      },
    ]);
  }
  return { patientId: found.patient.id, episodeId: (open[0] as { id: string }).id };
}

/** POST /fhir/R4/Observation: a pain assessment recorded on the patient's episode. */
export async function runCreateObservation(context: FhirRequestContext): Promise<FhirResult> {
  const parsed = orThrow(
    parsePainObservation(context.body, {
      ifNoneExist: context.request.headers.get('If-None-Exist'),
    }),
  );
  const { episodeId, patientId } = await episodeOf(parsed);
  const record = await loadEpisodeRecord(db(), episodeId);
  const exists = record?.events.some((event) => event.id === parsed.eventId) ?? false;
  if (exists && !parsed.conditional) {
    throw duplicate(
      'Observation.identifier',
      'This Observation is already recorded: send If-None-Exist "identifier=system|value" to make a repeated message harmless',
    );
  }
  if (!exists) {
    try {
      await recordEvent(
        db(),
        { episodeId, event: parsed.event },
        { actorId: context.principal.user.id, now: context.now },
      );
    } catch (error) {
      // The same identifier already recorded on another episode: the write path finds the
      // derived id taken (a conflict), or, sent at the same moment, the database's key does.
      if (isUniqueViolation(error)) {
        throw new FhirError(409, [
          {
            code: 'conflict',
            diagnostics: `The Observation's identifier "${parsed.identifier.system}|${parsed.identifier.value}" is already recorded on another episode`,
            expression: ['Observation.identifier'],
          },
        ]);
      }
      refusal(error, parsed.paths, 'Observation.identifier');
    }
  }
  // Read back: the first of the entry's Observations is the created resource; the others are
  // named in the answer's OperationOutcome (minimal) or found by search.
  const [first, ...others] = await observationsOfEntry(episodeId, parsed.eventId);
  const location = `Observation/${first?.id ?? fhirId(parsed.eventId)}`;
  const also = others.map((observation) => `Observation/${observation.id}`).join(' and ');
  const preference = returnPreference(context.request);
  const said = `${exists ? 'Already recorded' : 'Recorded'} on ${`EpisodeOfCare/${fhirId(episodeId)}`} of Patient/${fhirId(patientId)} as ${location}${also ? ` and ${also}` : ''}${exists ? ': nothing was stored' : ''}`;
  return {
    status: exists ? 200 : 201,
    headers: { Location: `${context.base}/${location}` },
    ...(preference === 'minimal'
      ? {}
      : { resource: preference === 'representation' && first ? first : information(said) }),
    ...(exists
      ? {
          // A repeat tells the sender what is stored under the identifier: recorded as a read.
          access: {
            action: 'patient.viewed' as const,
            entityType: 'clinical-event',
            entityId: parsed.eventId,
            patientId,
            details: { operation: 'fhir:Observation.create', conditionalCreate: 'entry' },
          },
        }
      : {}),
  };
}

export const transactionInteraction: FhirInteraction = {
  interaction: 'transaction',
  method: 'POST',
  path: [],
  action: 'patient.enrol',
  documentation:
    'A transaction Bundle of one Patient, one Condition (the vertebral fracture), an optional inpatient Encounter and an optional EpisodeOfCare naming the nurse (careManager.identifier) enrols the patient with a fracture episode; ifNoneExist on identifier makes a repeat harmless. All or nothing.',
  run: runEnrolmentTransaction,
};

export const createObservationInteraction: FhirInteraction = {
  resourceType: 'Observation',
  interaction: 'create',
  method: 'POST',
  path: ['Observation'],
  action: 'entry.record',
  permissionContext: { entryType: 'pain-assessment' },
  documentation:
    'A pain assessment (NRS at rest and on activity, functional limitation) recorded on the patient’s episode; If-None-Exist on identifier makes a repeat harmless.',
  run: runCreateObservation,
};
