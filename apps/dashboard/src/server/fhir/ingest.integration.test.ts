// The FHIR ingest interactions against a real, migrated PostgreSQL database, called as the
// router calls them (run with a request context): enrolment by transaction, its repeat, a refused
// Bundle, a pain score recorded and read by the plan, and the same enrolment made through the
// domain's input directly giving the same plan.

import { readFileSync } from 'node:fs';
import type {
  Bundle,
  Condition,
  Extension,
  Observation,
  OperationOutcome,
  Patient,
} from '@medplum/fhirtypes';
import type { Database } from '@vfx/database';
import { type ApiKeyPrincipal, authenticateApiKey } from '@vfx/database/auth';
import { createApiKey, enrolPatient } from '@vfx/database/commands';
import { createTestDatabase, createUsers, type TestDatabase } from '@vfx/database/testing';
import {
  currentPlan,
  episodeTimeline,
  loadEpisodeRecord,
  patientByIdentifier,
  patientWithEpisodes,
  worklist,
} from '@vfx/database/views';
import { CURRENT_PATHWAY_VERSION, isValidNhsNumber } from '@vfx/domain';
import {
  EXAMPLE_OBSERVATION_SYSTEM,
  exampleEnrolmentBundle,
  examplePainObservation,
  FhirError,
  ingestSystems,
  operationOutcome,
  parseEnrolmentTransaction,
  parseEntryResourceId,
} from '@vfx/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createObservationInteraction, transactionInteraction } from './ingest';
import type { FhirInteraction, FhirRequestContext } from './interaction';

let database: TestDatabase;
let client: Database;
let principal: ApiKeyPrincipal;

// A fixed instant: the enrolments and entries are made "now", whatever the wall clock says.
const now = new Date('2026-11-16T12:00:00Z');
const base = 'https://fls.example.nhs.uk/fhir/R4';

beforeAll(async () => {
  database = await createTestDatabase('fhir_ingest');
  process.env.DATABASE_URL = database.url;
  client = db();
  await createUsers(client);
  const key = await createApiKey(client, { name: 'Radiology alerts', role: 'nurse' }, 'admin-1');
  principal = (await authenticateApiKey(client, key.secret)) as ApiKeyPrincipal;
});
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

function context(
  body: unknown,
  headers: Record<string, string> = {},
  at = now,
): FhirRequestContext {
  const url = new URL(base);
  return {
    url,
    base,
    params: {},
    body,
    principal,
    actor: { id: principal.user.id, role: principal.user.role, kind: 'integration' },
    now: at,
    request: new Request(url, { method: 'POST', headers }),
  };
}

async function run(
  interaction: FhirInteraction,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return interaction.run(context(body, headers));
}

/** The FhirError a call is refused with. */
async function refusal(call: Promise<unknown>): Promise<FhirError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FhirError)) throw new Error(`expected a FhirError, got ${String(error)}`);
  return error;
}

/** A valid NHS number starting with these nine digits (the domain's check decides the tenth). */
function nhsNumber(first9: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    if (isValidNhsNumber(`${first9}${digit}`)) return `${first9}${digit}`;
  }
  throw new Error(`no check digit makes ${first9} an NHS number`);
}

/** A JSON block of docs/interop/ingest.md, marked `<!-- example: name -->`: it must be real output. */
function documented(name: string): unknown {
  const doc = readFileSync(
    new URL('../../../../../docs/interop/ingest.md', import.meta.url),
    'utf8',
  );
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(
    doc,
  );
  if (!block?.[1]) throw new Error(`docs/interop/ingest.md has no example "${name}"`);
  return JSON.parse(block[1]);
}

/** The value without `meta.lastUpdated` (the rows' update times are the database's clock). */
function withoutClock(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, item) =>
    key === 'lastUpdated' ? undefined : item,
  );
}

const idOf = (location: string | undefined) => String(location).split('/')[1] as string;

describe('POST /fhir/R4 transaction: enrolment', () => {
  let patientId: string;
  let episodeId: string;

  it('enrols the patient with an episode: 201 for each entry, with its location', async () => {
    const result = await run(transactionInteraction, exampleEnrolmentBundle());
    expect(exampleEnrolmentBundle()).toEqual(documented('transaction-request'));
    expect(withoutClock(result.resource)).toEqual(withoutClock(documented('transaction-response')));
    expect(result.status).toBe(200);
    const bundle = result.resource as Bundle;
    expect(bundle.type).toBe('transaction-response');
    expect(bundle.entry?.map((entry) => entry.response?.status)).toEqual([
      '201 Created',
      '201 Created',
    ]);
    patientId = idOf(bundle.entry?.[0]?.response?.location);
    episodeId = idOf(bundle.entry?.[1]?.response?.location);
    expect(bundle.entry?.[1]?.response?.location).toBe(`Condition/${episodeId}`);
    // Each entry carries its resource as the read interactions serve it.
    expect(bundle.entry?.[0]?.resource as Patient).toMatchObject({
      resourceType: 'Patient',
      id: patientId,
      identifier: [{ system: ingestSystems.NHS_NUMBER_SYSTEM, value: '9434765919' }],
      birthDate: '1948-03-02',
      gender: 'female',
    });
    expect(bundle.entry?.[1]?.resource as Condition).toMatchObject({
      resourceType: 'Condition',
      id: episodeId,
      bodySite: [
        { coding: [{ system: ingestSystems.VERTEBRAL_LEVEL_SYSTEM, code: 'T12' }], text: 'T12' },
        { coding: [{ system: ingestSystems.VERTEBRAL_LEVEL_SYSTEM, code: 'L1' }], text: 'L1' },
      ],
      onsetDateTime: '2026-11-14',
      subject: { reference: `Patient/${patientId}` },
      // The enrolment instant; the identified date is the assertedDate extension.
      recordedDate: now.toISOString(),
    });

    const stored = await patientWithEpisodes(client, patientId);
    expect(stored).toMatchObject({
      patient: {
        identifier: { kind: 'nhs-number', value: '9434765919' },
        dateOfBirth: '1948-03-02',
        sex: 'female',
      },
      givenName: 'Margaret Ann',
      familyName: 'Example',
      nurse: null,
    });
    expect(stored?.episodes).toHaveLength(1);
    expect(stored?.episodes[0]?.episode).toMatchObject({
      id: episodeId,
      pathwayVersion: CURRENT_PATHWAY_VERSION,
      vertebralLevels: ['T12', 'L1'],
      fractureDate: '2026-11-14',
      identifiedOn: '2026-11-16',
      careSetting: { kind: 'community' },
      enrolledAt: now.toISOString(),
    });
  });

  it('a repeated message (ifNoneExist) finds what is stored: 200 OK for each entry, nothing new', async () => {
    const before = await episodeTimeline(client, episodeId, now);
    const result = await run(transactionInteraction, exampleEnrolmentBundle());
    const bundle = result.resource as Bundle;
    expect(bundle.entry?.map((entry) => entry.response)).toEqual([
      { status: '200 OK', location: `Patient/${patientId}` },
      expect.objectContaining({ status: '200 OK', location: `Condition/${episodeId}` }),
    ]);
    expect(bundle.entry?.[1]?.resource).toMatchObject({ resourceType: 'Condition', id: episodeId });
    expect((await patientWithEpisodes(client, patientId))?.episodes).toHaveLength(1);
    expect(result.access).toMatchObject({
      action: 'patient.viewed',
      entityId: episodeId,
      patientId,
    });
    const after = await episodeTimeline(client, episodeId, now);
    expect(after?.version).toBe(before?.version);
    expect(after?.entries).toEqual(before?.entries);
  });

  it('the Patient as read back, sent again in a Bundle, is accepted and finds the same patient', async () => {
    const first = await run(transactionInteraction, exampleEnrolmentBundle());
    const served = (first.resource as Bundle).entry?.[0]?.resource as Patient | undefined;
    if (!served) throw new Error('the answer carries no Patient');
    const { id: _id, meta: _meta, ...readBack } = served;
    const body = exampleEnrolmentBundle() as unknown as { entry: { resource: unknown }[] };
    (body.entry[0] as { resource: unknown }).resource = readBack;
    const again = await run(transactionInteraction, body);
    expect((again.resource as Bundle).entry?.map((entry) => entry.response?.status)).toEqual([
      '200 OK',
      '200 OK',
    ]);
    expect((again.resource as Bundle).entry?.[0]?.response?.location).toBe(`Patient/${patientId}`);
  });

  it('the Condition as read back, given back with the four findings, parses to the same episode fields', async () => {
    // An enrolment unlike the example in every field both sides know, so a field lost or
    // misread on either side shows.
    const sent = exampleEnrolmentBundle({
      nhsNumber: nhsNumber('401023221'),
      alertNumber: 'VFA-2026-0450',
      fractureDate: '2026-11-10',
      identifiedOn: '2026-11-15',
    }) as unknown as { entry: { resource: Record<string, unknown> }[] };
    const sentCondition = sent.entry[1]?.resource as Record<string, unknown> & {
      extension: Extension[];
    };
    sentCondition.bodySite = [{ text: 'L1' }];
    const { CONDITION_EXTENSIONS } = ingestSystems;
    for (const item of sentCondition.extension) {
      if (item.url === CONDITION_EXTENSIONS.fractureDateEstimated) item.valueBoolean = true;
      if (item.url === CONDITION_EXTENSIONS.identification) item.valueCode = 'incidental-imaging';
    }
    const enrolled = await run(transactionInteraction, sent);
    const served = (enrolled.resource as Bundle).entry?.[1]?.resource as Condition | undefined;
    if (!served) throw new Error('the answer carries no Condition');
    const stored = (await loadEpisodeRecord(client, served.id as string))?.episode;
    expect(stored).toBeDefined();

    // The findings are the ingest's alone (the read side leaves them out: only the plan resolves
    // them); identifier and subject are the sender's, as in any Bundle.
    const findings = [
      CONDITION_EXTENSIONS.columnInvolvement,
      CONDITION_EXTENSIONS.neurologicalDeficit,
      CONDITION_EXTENSIONS.suspectedMalignancy,
      CONDITION_EXTENSIONS.mriOedema,
    ];
    expect(served.extension?.filter((item) => findings.includes(item.url as never))).toEqual([]);
    const { id: _id, meta: _meta, ...readBack } = served;
    const again = exampleEnrolmentBundle({
      nhsNumber: nhsNumber('401023221'),
      alertNumber: 'VFA-2026-0450',
    }) as unknown as {
      entry: { resource: Record<string, unknown> }[];
    };
    (again.entry[1] as { resource: unknown }).resource = {
      ...readBack,
      identifier: sentCondition.identifier,
      subject: sentCondition.subject,
      extension: [
        ...(readBack.extension ?? []),
        ...sentCondition.extension.filter((item) => findings.includes(item.url as never)),
      ],
    };
    const parsed = parseEnrolmentTransaction(again, { now });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const episode = parsed.value.enrolment.episode;
    expect({
      vertebralLevels: episode.vertebralLevels,
      fractureDate: episode.fractureDate,
      fractureDateEstimated: episode.fractureDateEstimated,
      identifiedOn: episode.identifiedOn,
      identification: episode.identification,
    }).toEqual({
      vertebralLevels: ['L1'],
      fractureDate: '2026-11-10',
      fractureDateEstimated: true,
      identifiedOn: '2026-11-15',
      identification: 'incidental-imaging',
    });
    expect(stored).toMatchObject({
      vertebralLevels: episode.vertebralLevels,
      fractureDate: episode.fractureDate,
      fractureDateEstimated: episode.fractureDateEstimated,
      identifiedOn: episode.identifiedOn,
      identification: episode.identification,
    });
    // The same episode: the read-back Condition keys on the same identifier.
    expect(parsed.value.enrolment.episode.id).toBe(served.id);
  });

  it('Prefer: return=minimal answers the statuses and locations only', async () => {
    const result = await run(transactionInteraction, exampleEnrolmentBundle(), {
      Prefer: 'return=minimal',
    });
    const bundle = result.resource as Bundle;
    expect(
      bundle.entry?.map((entry) => [
        entry.response?.status,
        entry.response?.location,
        entry.resource,
      ]),
    ).toEqual([
      ['200 OK', `Patient/${patientId}`, undefined],
      ['200 OK', `Condition/${episodeId}`, undefined],
    ]);
  });

  it('the same message without ifNoneExist is refused as a duplicate (409), nothing stored', async () => {
    const error = await refusal(
      run(transactionInteraction, exampleEnrolmentBundle({ conditional: false })),
    );
    expect(error.status).toBe(409);
    expect(error.issues[0]).toMatchObject({
      code: 'duplicate',
      expression: ['Bundle.entry[0].request'],
    });
    expect((await patientWithEpisodes(client, patientId))?.episodes).toHaveLength(1);
  });

  it('a second fracture of a known patient: Patient 200, Condition and Encounter 201 (admitted)', async () => {
    const result = await run(
      transactionInteraction,
      exampleEnrolmentBundle({ alertNumber: 'VFA-2026-0500', admittedAt: '2026-11-15T18:30:00Z' }),
    );
    const bundle = result.resource as Bundle;
    expect(bundle.entry?.map((entry) => entry.response?.status)).toEqual([
      '200 OK',
      '201 Created',
      '201 Created',
    ]);
    const second = idOf(bundle.entry?.[1]?.response?.location);
    // The admission is the episode's care setting: no Encounter of its own, so no location.
    expect(bundle.entry?.[2]?.response?.location).toBeUndefined();
    expect(bundle.entry?.[2]?.response?.outcome?.issue[0]?.diagnostics).toContain(
      `EpisodeOfCare/${second}`,
    );
    const stored = await patientWithEpisodes(client, patientId);
    expect(stored?.episodes).toHaveLength(2);
    expect(stored?.episodes.find((episode) => episode.id === second)?.episode.careSetting).toEqual({
      kind: 'admitted',
      admittedAt: '2026-11-15T18:30:00Z',
    });
  });

  it('a Bundle mixing valid and invalid entries stores nothing, and names each problem', async () => {
    const body = exampleEnrolmentBundle({
      nhsNumber: nhsNumber('401023213'),
      alertNumber: 'VFA-2026-0600',
    }) as unknown as {
      entry: { resource: Record<string, unknown> }[];
    };
    const condition = body.entry[1]?.resource as Record<string, unknown>;
    condition.bodySite = [{ text: 'T12' }, { text: 'T13' }];
    condition.onsetDateTime = '2026-12-01';
    const error = await refusal(run(transactionInteraction, body));
    expect(operationOutcome(error.issues)).toEqual(documented('refusal-outcome'));
    expect(error.status).toBe(422);
    expect(error.issues.map((issue) => issue.expression?.[0]).sort()).toEqual(
      [
        'Bundle.entry[1].resource.bodySite[1]',
        // After today, and after the date it was identified: both the domain's date checks.
        'Bundle.entry[1].resource.onsetDateTime',
        'Bundle.entry[1].resource.extension[1].valueDateTime',
      ].sort(),
    );
    expect(await patientByIdentifier(client, 'nhs-number', nhsNumber('401023213'))).toBeUndefined();
  });

  it("an NHS number with a bad check digit: the domain's message on the identifier's value", async () => {
    const error = await refusal(
      run(transactionInteraction, exampleEnrolmentBundle({ nhsNumber: '9434765918' })),
    );
    expect(error.status).toBe(422);
    expect(error.issues).toEqual([
      expect.objectContaining({
        expression: ['Bundle.entry[0].resource.identifier[0].value'],
        diagnostics: expect.stringMatching(/Modulus 11/),
      }),
    ]);
  });

  it("enrols onto the caseload of the nurse the EpisodeOfCare names: the patient's nurse is that user", async () => {
    const nhs = nhsNumber('401023215');
    const body = exampleEnrolmentBundle({
      nhsNumber: nhs,
      alertNumber: 'VFA-2026-0700',
      admittedAt: '2026-11-15T18:30:00Z',
      nurseId: 'nurse-2',
    });
    expect((body.entry as unknown[])[3]).toEqual(documented('episode-of-care-request-entry'));
    const result = await run(transactionInteraction, body);
    const bundle = result.resource as Bundle;
    expect(withoutClock(bundle.entry?.[3])).toEqual(
      withoutClock(documented('episode-of-care-response-entry')),
    );
    expect(bundle.entry?.map((entry) => entry.response?.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
      '201 Created',
    ]);
    const enrolledPatient = idOf(bundle.entry?.[0]?.response?.location);
    const enrolledEpisode = idOf(bundle.entry?.[1]?.response?.location);
    expect(bundle.entry?.[3]?.response?.location).toBe(`EpisodeOfCare/${enrolledEpisode}`);
    // The EpisodeOfCare read back names the nurse as it was sent, so it can be sent again.
    expect(bundle.entry?.[3]?.resource).toMatchObject({
      resourceType: 'EpisodeOfCare',
      id: enrolledEpisode,
      careManager: {
        identifier: { system: ingestSystems.USER_SYSTEM, value: 'nurse-2' },
        display: 'nurse-2',
      },
    });
    const stored = await patientWithEpisodes(client, enrolledPatient);
    expect(stored?.nurse).toMatchObject({ id: 'nurse-2' });
    // The plan's steps are the nurse's too: the episode is on their worklist (a week later, its
    // 48-hour review overdue).
    const list = await worklist(client, {
      nurseId: 'nurse-2',
      now: new Date('2026-11-23T12:00:00Z'),
      timeZone: 'Europe/London',
    });
    const listed = [list.overdue, list.dueEarlier, list.dueToday, list.coming].flatMap((section) =>
      section.items.map((item) => item.episodeId),
    );
    expect(listed).toContain(enrolledEpisode);
  });

  it("a scheduler or an unknown user as care manager: the write path's message on the identifier's value, nothing stored", async () => {
    const cases = {
      'scheduler-1': /is not a nurse \(scheduler-1 is a scheduler\): choose an active nurse/,
      'nobody-9': /is not a user \("nobody-9"\)/,
    };
    for (const [nurseId, message] of Object.entries(cases)) {
      const nhs = nhsNumber('401023216');
      const error = await refusal(
        run(
          transactionInteraction,
          exampleEnrolmentBundle({ nhsNumber: nhs, alertNumber: 'VFA-2026-0701', nurseId }),
        ),
      );
      expect(error.status, nurseId).toBe(422);
      expect(error.issues, nurseId).toEqual([
        expect.objectContaining({
          code: 'invalid',
          expression: ['Bundle.entry[2].resource.careManager.identifier.value'],
          diagnostics: expect.stringMatching(message),
        }),
      ]);
      expect(await patientByIdentifier(client, 'nhs-number', nhs), nurseId).toBeUndefined();
    }
  });

  it('a Condition identifier already used for another patient is a conflict (409)', async () => {
    const error = await refusal(
      run(transactionInteraction, exampleEnrolmentBundle({ nhsNumber: nhsNumber('401023214') })),
    );
    expect(error.status).toBe(409);
    expect(error.issues[0]?.expression).toEqual(['Bundle.entry[1].resource.identifier']);
    expect(await patientByIdentifier(client, 'nhs-number', nhsNumber('401023214'))).toBeUndefined();
  });
});

describe('POST /fhir/R4/Observation: a pain score', () => {
  let patientId: string;
  let episodeId: string;

  beforeAll(async () => {
    const result = await run(
      transactionInteraction,
      exampleEnrolmentBundle({ nhsNumber: nhsNumber('401023215'), alertNumber: 'VFA-2026-0700' }),
    );
    const bundle = result.resource as Bundle;
    patientId = idOf(bundle.entry?.[0]?.response?.location);
    episodeId = idOf(bundle.entry?.[1]?.response?.location);
  });

  const ifNoneExist = (value: string) => ({
    'If-None-Exist': `identifier=${EXAMPLE_OBSERVATION_SYSTEM}|${value}`,
  });

  it('records a pain-assessment entry on the only open episode, which the plan then reads', async () => {
    const before = await currentPlan(client, episodeId, now);
    const body = examplePainObservation({
      patientId,
      scoreNumber: 'PS-7001',
      at: '2026-11-16T11:00:00Z',
    });
    const result = await run(createObservationInteraction, body, ifNoneExist('PS-7001'));
    expect(body).toEqual(documented('observation-request'));
    expect(withoutClock(result)).toEqual(withoutClock(documented('observation-response')));
    expect(result.status).toBe(201);
    const after = await currentPlan(client, episodeId, now);
    const recorded = after?.events.at(-1);
    expect(recorded).toMatchObject({
      type: 'pain-assessment',
      nrsAtRest: 7,
      nrsOnActivity: 9,
      functionalLimitation: 'severe',
      onAnalgesia: true,
      occurredAt: '2026-11-16T11:00:00Z',
      recordedBy: principal.user.id,
    });
    const eventId = String(recorded?.id);
    // The answer is the entry's first Observation as read back, and Location names it.
    const observation = result.resource as Observation;
    expect(observation).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: '2026-11-16T11:00:00Z',
      valueQuantity: { value: 7 },
    });
    expect(parseEntryResourceId(String(observation.id))?.eventId).toBe(eventId);
    expect(result.headers?.Location).toBe(`${base}/Observation/${observation.id}`);
    expect(after?.version).toBeGreaterThan(before?.version ?? 0);
    // The plan reads the entry: it names it as the basis of what it says.
    expect(JSON.stringify(before?.plan)).not.toContain(eventId);
    expect(JSON.stringify(after?.plan)).toContain(eventId);
  });

  it('a repeat with If-None-Exist answers 200 and stores nothing; without it, 409', async () => {
    const events = (await loadEpisodeRecord(client, episodeId))?.events.length;
    const body = examplePainObservation({
      patientId,
      scoreNumber: 'PS-7001',
      at: '2026-11-16T11:00:00Z',
    });
    const repeat = await run(createObservationInteraction, body, ifNoneExist('PS-7001'));
    expect(repeat.status).toBe(200);
    expect(repeat.access).toMatchObject({ action: 'patient.viewed', patientId });
    expect(repeat.resource).toMatchObject({
      resourceType: 'Observation',
      valueQuantity: { value: 7 },
    });
    const told = await run(createObservationInteraction, body, {
      ...ifNoneExist('PS-7001'),
      Prefer: 'return=OperationOutcome',
    });
    expect((told.resource as OperationOutcome).issue[0]?.diagnostics).toMatch(/nothing was stored/);
    const error = await refusal(run(createObservationInteraction, body));
    expect(error.status).toBe(409);
    expect((await loadEpisodeRecord(client, episodeId))?.events.length).toBe(events);
  });

  it("refuses a value the domain refuses, with the domain's message on the component", async () => {
    const error = await refusal(
      run(
        createObservationInteraction,
        examplePainObservation({ patientId, scoreNumber: 'PS-7002', atRest: 11 }),
      ),
    );
    expect(error.status).toBe(422);
    expect(error.issues).toEqual([
      expect.objectContaining({
        expression: ['Observation.component[0].valueInteger'],
        diagnostics: 'Observation.component[0].valueInteger must be a whole number from 0 to 10',
      }),
    ]);
  });

  it('finds the patient by NHS number, and needs the EpisodeOfCare when two are open', async () => {
    const second = await run(
      transactionInteraction,
      exampleEnrolmentBundle({ nhsNumber: nhsNumber('401023215'), alertNumber: 'VFA-2026-0701' }),
    );
    const secondEpisode = idOf((second.resource as Bundle).entry?.[1]?.response?.location);
    const body = examplePainObservation({ patientId, scoreNumber: 'PS-7003' }) as Record<
      string,
      unknown
    >;
    body.subject = {
      identifier: { system: ingestSystems.NHS_NUMBER_SYSTEM, value: nhsNumber('401023215') },
    };
    const error = await refusal(run(createObservationInteraction, body));
    expect(error.status).toBe(422);
    expect(error.issues[0]?.diagnostics).toMatch(/2 open episodes/);

    const named = examplePainObservation({
      patientId,
      episodeId: secondEpisode,
      scoreNumber: 'PS-7003',
    });
    expect((await run(createObservationInteraction, named)).status).toBe(201);
    expect(
      (await loadEpisodeRecord(client, secondEpisode))?.events.map((event) => event.type),
    ).toEqual(['pain-assessment']);
  });

  it('an Observation identifier already recorded for another patient is a conflict (409)', async () => {
    const other = await run(
      transactionInteraction,
      exampleEnrolmentBundle({ nhsNumber: nhsNumber('401023219'), alertNumber: 'VFA-2026-0900' }),
    );
    const otherPatient = idOf((other.resource as Bundle).entry?.[0]?.response?.location);
    const error = await refusal(
      run(
        createObservationInteraction,
        examplePainObservation({ patientId: otherPatient, scoreNumber: 'PS-7001' }),
        ifNoneExist('PS-7001'),
      ),
    );
    expect(error.status).toBe(409);
    expect(error.issues, error.message).toEqual([
      expect.objectContaining({ expression: ['Observation.identifier'] }),
    ]);
  });

  it('refuses an unknown patient and an episode of another patient (422 on the reference)', async () => {
    const unknown = await refusal(
      run(
        createObservationInteraction,
        examplePainObservation({ patientId: 'nobody', scoreNumber: 'PS-7004' }),
      ),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.issues[0]?.expression).toEqual(['Observation.subject']);
    const other = await refusal(
      run(
        createObservationInteraction,
        examplePainObservation({ patientId, episodeId: 'ep-of-somebody', scoreNumber: 'PS-7004' }),
      ),
    );
    expect(other.issues[0]?.expression).toEqual(['Observation.extension']);
  });
});

describe('round trip: FHIR and the domain input give the same plan', () => {
  it('enrols the same fracture both ways; the plans have the same steps, statuses and windows', async () => {
    const admittedAt = '2026-11-14T18:30:00Z';
    const viaFhir = await run(
      transactionInteraction,
      exampleEnrolmentBundle({
        nhsNumber: nhsNumber('401023216'),
        alertNumber: 'VFA-2026-0800',
        admittedAt,
      }),
    );
    const fhirEpisode = idOf((viaFhir.resource as Bundle).entry?.[1]?.response?.location);
    const direct = await enrolPatient(
      client,
      {
        patient: {
          id: 'direct-1',
          identifier: { kind: 'nhs-number', value: nhsNumber('401023218') },
          dateOfBirth: '1948-03-02',
          sex: 'female',
        },
        demographics: { givenName: 'Margaret Ann', familyName: 'Example' },
        episode: {
          id: 'direct-ep-1',
          pathwayVersion: CURRENT_PATHWAY_VERSION,
          vertebralLevels: ['T12', 'L1'],
          fractureDate: '2026-11-14',
          fractureDateEstimated: false,
          identifiedOn: '2026-11-16',
          identification: 'symptomatic-presentation',
          careSetting: { kind: 'admitted', admittedAt },
          columnInvolvement: 'anterior-only',
          neurologicalDeficit: false,
          suspectedMalignancy: false,
          mriOedema: 'not-imaged',
        },
        nurseId: null,
      },
      { actorId: principal.user.id, now },
    );
    const steps = async (episodeId: string) =>
      (await currentPlan(client, episodeId, now))?.plan.steps.map((step) => ({
        key: step.key,
        status: step.status,
        window: step.window,
      }));
    const fromFhir = await steps(fhirEpisode);
    expect(fromFhir?.length).toBeGreaterThan(0);
    expect(fromFhir).toEqual(await steps(direct.episode.id));
  });
});
