// The bulk export interactions on a real database: the kick-off's checks, the status URL through
// its states, the manifest, a streamed download, cancellation and another key's view. The
// worker's part (apps/worker/src/fhir-export) is stood in for by the same database functions it
// calls, writing the Patient resources @vfx/fhir maps; the worker's own tests run the real job.
import type { Database } from '@vfx/database';
import { type ApiKeyCreated, createApiKey, enrolPatients } from '@vfx/database/commands';
import { completeFhirExport, saveFhirExportBatch, startFhirExportRun } from '@vfx/database/jobs';
import {
  createTestDatabase,
  createUsers,
  type TestDatabase,
  testEnrolment,
} from '@vfx/database/testing';
import { fhirPatientRecords } from '@vfx/database/views';
import { FhirError, patientResource } from '@vfx/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import {
  exportCancelInteraction,
  exportFileInteraction,
  exportKickOffInteraction,
  exportStatusInteraction,
  parseKickOff,
} from './bulk-export';
import type { FhirInteraction, FhirRequestContext, FhirResult } from './interaction';

const BASE = 'https://fls.example/fhir/R4';
const NOW = new Date('2026-12-01T10:00:00Z');
let database: TestDatabase;
let client: Database;
let adminKey: ApiKeyCreated;
let otherKey: ApiKeyCreated;

beforeAll(async () => {
  database = await createTestDatabase('fhir_bulk_export');
  process.env.DATABASE_URL = database.url;
  client = db();
  await createUsers(client);
  adminKey = await createApiKey(client, { name: 'Registry', role: 'admin' }, 'admin-1', NOW);
  otherKey = await createApiKey(client, { name: 'Other', role: 'admin' }, 'admin-1', NOW);
  await enrolPatients(
    client,
    [1, 2, 3].map((n) => testEnrolment({ n })),
    { actorId: 'nurse-1', now: new Date('2026-11-20T09:00:00Z') },
  );
});
afterAll(async () => {
  await client.$disconnect();
  await database.drop();
});

function call(
  interaction: FhirInteraction,
  options: {
    readonly path?: string;
    readonly params?: Record<string, string>;
    readonly headers?: Record<string, string>;
    readonly key?: ApiKeyCreated;
    readonly now?: Date;
  } = {},
): Promise<FhirResult> {
  const key = options.key ?? adminKey;
  const url = new URL(`${BASE}/${options.path ?? '$export'}`);
  const context: FhirRequestContext = {
    url,
    base: BASE,
    params: options.params ?? {},
    body: undefined,
    principal: {
      keyId: key.id,
      keyName: key.name,
      user: {
        id: key.userId,
        email: `${key.userId}@fls.test`,
        name: key.name,
        role: key.role,
        mustChangePassword: false,
      },
    },
    actor: { id: key.userId, role: key.role, kind: 'integration' },
    now: options.now ?? NOW,
    request: new Request(url, {
      method: interaction.method,
      headers: options.headers ?? { Prefer: 'respond-async', Accept: 'application/fhir+json' },
    }),
  };
  return interaction.run(context);
}

/** The FhirError a call throws (its status and diagnostics). */
async function refusal(promise: Promise<unknown>): Promise<FhirError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error('expected a FhirError');
}

const kickOffRequest = (path: string, headers: Record<string, string> = {}) =>
  parseKickOff(
    new URL(`${BASE}/${path}`),
    new Request(`${BASE}/${path}`, { headers: { Prefer: 'respond-async', ...headers } }),
  );

const thrown = (work: () => unknown): FhirError => {
  try {
    work();
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error('expected a FhirError');
};

describe('the kick-off request', () => {
  it('reads _type (repeated or comma-separated), _since and the NDJSON _outputFormat spellings', () => {
    expect(
      kickOffRequest(
        '$export?_type=Patient,CarePlan&_type=Task&_since=2026-11-01T00:00:00%2B01:00&_outputFormat=application/fhir%2Bndjson',
      ),
    ).toEqual({
      types: ['Patient', 'CarePlan', 'Task'],
      since: new Date('2026-10-31T23:00:00Z'),
      ignored: [],
    });
    // An unencoded "+" arrives as a space.
    expect(kickOffRequest('$export?_since=2026-11-01T00:00:00+01:00').since).toEqual(
      new Date('2026-10-31T23:00:00Z'),
    );
    expect(kickOffRequest('$export?_outputFormat=ndjson').types).toContain('EpisodeOfCare');
  });

  it('names every problem in one 400: Prefer, unknown types, a bad _since, a format, unsupported parameters', () => {
    const error = thrown(() =>
      parseKickOff(
        new URL(
          `${BASE}/$export?_type=Patient,Encounter&_since=yesterday&_outputFormat=text/csv&_elements=id`,
        ),
        new Request(`${BASE}/$export`),
      ),
    );
    expect(error.status).toBe(400);
    const said = error.issues.map((issue) => issue.diagnostics).join('\n');
    expect(said).toMatch(/Prefer header must include respond-async/);
    expect(said).toMatch(/_type Encounter is not a resource type this server exports/);
    expect(said).toMatch(/_since "yesterday" is not a FHIR instant/);
    expect(said).toMatch(/_outputFormat "text\/csv" is not supported/);
    expect(said).toMatch(/The parameter _elements is not supported/);
    for (const name of ['patient', 'includeAssociatedData', '_typeFilter', '_whatever']) {
      expect(thrown(() => kickOffRequest(`$export?${name}=x`)).message).toContain(name);
    }
    expect(thrown(() => kickOffRequest('$export?_since=2026-11-01')).message).toMatch(/_since/);
  });

  it('under Prefer: handling=lenient ignores unsupported parameters and unknown types, saying so', () => {
    const lenient = { Prefer: 'respond-async, handling=lenient' };
    const read = kickOffRequest('$export?_type=Patient,Encounter&_typeFilter=x', lenient);
    expect(read.types).toEqual(['Patient']);
    expect(read.ignored.map((issue) => [issue.severity, issue.diagnostics])).toEqual([
      [
        'warning',
        expect.stringContaining('_typeFilter is not supported by this server and was ignored'),
      ],
      ['warning', expect.stringContaining('_type Encounter')],
    ]);
    // A bad format or instant is still refused, and so is a _type that leaves nothing.
    expect(() => kickOffRequest('$export?_outputFormat=csv', lenient)).toThrow(FhirError);
    expect(() => kickOffRequest('$export?_type=Encounter', lenient)).toThrow(
      /names no resource type/,
    );
  });
});

describe('an export through its URLs', () => {
  it('kicks off, reports progress, serves the manifest and the files, and cancels', async () => {
    const kickOff = await call(exportKickOffInteraction, {
      path: '$export?_type=Patient&_elements=id',
      headers: { Prefer: 'respond-async, handling=lenient' },
    });
    expect(kickOff.status).toBe(202);
    const location = kickOff.headers?.['Content-Location'] ?? '';
    expect(location).toMatch(
      new RegExp(`^${BASE.replaceAll('/', '\\/')}/\\$export-status/[\\w-]+$`),
    );
    const exportId = location.split('/').at(-1) ?? '';
    expect(kickOff.access).toMatchObject({ action: 'fhir.exported', entityId: exportId });
    expect(kickOff.resource).toMatchObject({ resourceType: 'OperationOutcome' });

    const queued = await call(exportStatusInteraction, { params: { id: exportId } });
    expect(queued).toMatchObject({
      status: 202,
      headers: { 'X-Progress': 'queued', 'Retry-After': '5' },
    });

    // The worker's part: one batch of the three patients, as the job writes it.
    const start = await startFhirExportRun(client, exportId, NOW);
    if (start.kind !== 'run') throw new Error(start.why);
    const running = await call(exportStatusInteraction, { params: { id: exportId } });
    expect(running.headers?.['X-Progress']).toBe('0 of 3 patients');
    const records = await fhirPatientRecords(client, ['pat-1', 'pat-2', 'pat-3']);
    const lines = records.map((record) => JSON.stringify(patientResource(record)));
    await saveFhirExportBatch(
      client,
      exportId,
      {
        after: null,
        last: 'pat-3',
        patients: 3,
        parts: [{ resourceType: 'Patient', lineCount: 3, body: `${lines.join('\n')}\n` }],
      },
      NOW,
    );
    const done = new Date(NOW.getTime() + 30_000);
    await completeFhirExport(client, exportId, done);

    const complete = await call(exportStatusInteraction, { params: { id: exportId }, now: done });
    expect(complete.status).toBe(200);
    expect(complete.stream?.contentType).toBe('application/json');
    expect(complete.headers?.Expires).toBe('Wed, 02 Dec 2026 10:00:30 GMT');
    const manifest = JSON.parse(await new Response(complete.stream?.body).text());
    expect(manifest).toEqual({
      transactionTime: NOW.toISOString(),
      request: `${BASE}/$export?_type=Patient&_elements=id`,
      requiresAccessToken: true,
      output: [
        { type: 'Patient', url: `${BASE}/$export-file/${exportId}/Patient.ndjson`, count: 3 },
      ],
      error: [
        {
          type: 'OperationOutcome',
          url: `${BASE}/$export-file/${exportId}/OperationOutcome.ndjson`,
          count: 1,
        },
      ],
    });

    const file = await call(exportFileInteraction, {
      params: { id: exportId, file: 'Patient.ndjson' },
      now: done,
    });
    expect(file.stream?.contentType).toBe('application/fhir+ndjson');
    expect(file.access).toMatchObject({
      action: 'fhir.exported',
      entityId: exportId,
      details: { step: 'download', file: 'Patient.ndjson', count: 3 },
    });
    const downloaded = (await new Response(file.stream?.body).text()).trimEnd().split('\n');
    expect(downloaded.map((line) => JSON.parse(line).resourceType)).toEqual([
      'Patient',
      'Patient',
      'Patient',
    ]);
    const messages = await call(exportFileInteraction, {
      params: { id: exportId, file: 'OperationOutcome.ndjson' },
      now: done,
    });
    expect(await new Response(messages.stream?.body).text()).toContain('_elements');

    // Another key sees nothing; a file name that is no file is a 404.
    for (const attempt of [
      () => call(exportStatusInteraction, { params: { id: exportId }, key: otherKey, now: done }),
      () =>
        call(exportFileInteraction, {
          params: { id: exportId, file: 'Patient.ndjson' },
          key: otherKey,
          now: done,
        }),
      () =>
        call(exportFileInteraction, { params: { id: exportId, file: '../Patient' }, now: done }),
      () => call(exportCancelInteraction, { params: { id: exportId }, key: otherKey, now: done }),
    ]) {
      expect((await refusal(attempt())).status).toBe(404);
    }

    // After its day, 410; cancelled, 404 everywhere.
    const nextDay = new Date(done.getTime() + 24 * 3_600_000);
    expect(
      (await refusal(call(exportStatusInteraction, { params: { id: exportId }, now: nextDay })))
        .status,
    ).toBe(410);
    expect(
      (await call(exportCancelInteraction, { params: { id: exportId }, now: done })).status,
    ).toBe(202);
    expect(
      (await refusal(call(exportStatusInteraction, { params: { id: exportId }, now: done })))
        .status,
    ).toBe(404);
    expect(
      (
        await refusal(
          call(exportFileInteraction, {
            params: { id: exportId, file: 'Patient.ndjson' },
            now: done,
          }),
        )
      ).status,
    ).toBe(404);
  });

  it('answers a failed export with a 500 OperationOutcome naming why', async () => {
    const kickOff = await call(exportKickOffInteraction);
    const exportId = kickOff.headers?.['Content-Location']?.split('/').at(-1) ?? '';
    await client.fhirExport.update({
      where: { id: exportId },
      data: { state: 'failed', error: 'The export failed after 5 attempts: disk full' },
    });
    const error = await refusal(call(exportStatusInteraction, { params: { id: exportId } }));
    expect(error.status).toBe(500);
    expect(error.message).toContain('disk full');
  });
});
