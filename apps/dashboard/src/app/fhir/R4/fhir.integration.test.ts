// /fhir/R4's part of the permission matrix, and its behaviour at the edges, through the exported
// route handlers on a real database. Every interaction of the catalogue is called with an API key
// of each role and with no key (and an unknown one): the answer must be what the permission table
// says (allowed: success; refused: 403 OperationOutcome with the table's reason; no key: 401), and
// each must leave its audit row: one access row for an allowed read of patient data, naming the
// patient where there is one, and 'access.refused' for each refusal. A new interaction without a
// probe fails the first test, so it joins the matrix as soon as it is routed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, DocumentReference, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Database } from '@vfx/database';
import {
  type ApiKeyCreated,
  createApiKey,
  enrolPatient,
  recordEvent,
  saveGpLetterDraft,
  signOffGpLetter,
} from '@vfx/database/commands';
import {
  createTestDatabase,
  createUsers,
  type TestDatabase,
  testEnrolment,
} from '@vfx/database/testing';
import { fhirEpisodeRecords, gpLettersOfEpisode } from '@vfx/database/views';
import { type Actor, isValidNhsNumber, permission, ROLES, type Role } from '@vfx/domain';
import {
  episodeResources,
  exampleEnrolmentBundle,
  examplePainObservation,
  planDefinitionCanonical,
} from '@vfx/fhir';
import { describeFindings, validateR4 } from '@vfx/fhir/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_READS } from '@/server/access';
import { db } from '@/server/db';
import { FHIR_INTERACTIONS } from '@/server/fhir/catalog';
import type { FhirInteraction } from '@/server/fhir/interaction';
import { fhirRoute, operationName } from '@/server/fhir/router';
import { GET, POST } from './[[...path]]/route';

let database: TestDatabase;
let client: Database;
const keys = {} as Record<Role, ApiKeyCreated>;
const DAY_MS = 86_400_000;
/** Taken once: the handlers use the real clock, so every date here is relative to it. */
const now = new Date();
const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);
/** A resource id of each type in the first patient's record, read from the mapping itself. */
const idOf: Record<string, string> = {};

interface Probe {
  /** The path under /fhir/R4 and the query, e.g. "Patient/pat-1" or "Task?status=ready". */
  readonly path: () => string;
  readonly body?: () => unknown;
  /** The answer when the table allows it. */
  readonly status?: number;
  /** For a read of one patient: the patient its audit row must name. */
  readonly patientId?: string;
  /** The audit action of that read, when it is not a view or search ('gpLetter.downloaded'). */
  readonly reads?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const PROBES: Record<string, Probe> = {
  'fhir:Patient.read': { path: () => 'Patient/pat-1', patientId: 'pat-1' },
  'fhir:Patient.search-type': {
    path: () => 'Patient?identifier=https://fls.example.nhs.uk/Id/mrn|TEST-1',
  },
  'fhir:Patient.$everything': { path: () => 'Patient/pat-1/$everything', patientId: 'pat-1' },
  'fhir:EpisodeOfCare.read': {
    path: () => `EpisodeOfCare/${idOf.EpisodeOfCare}`,
    patientId: 'pat-1',
  },
  'fhir:Condition.read': { path: () => `Condition/${idOf.Condition}`, patientId: 'pat-1' },
  'fhir:CarePlan.read': { path: () => `CarePlan/${idOf.CarePlan}`, patientId: 'pat-1' },
  'fhir:Task.read': { path: () => `Task/${idOf.Task}`, patientId: 'pat-1' },
  'fhir:Observation.read': { path: () => `Observation/${idOf.Observation}`, patientId: 'pat-1' },
  'fhir:MedicationStatement.read': {
    path: () => `MedicationStatement/${idOf.MedicationStatement}`,
    patientId: 'pat-1',
  },
  'fhir:ServiceRequest.read': {
    path: () => `ServiceRequest/${idOf.ServiceRequest}`,
    patientId: 'pat-1',
  },
  'fhir:CarePlan.search-type': { path: () => 'CarePlan?patient=Patient/pat-1', patientId: 'pat-1' },
  'fhir:Task.search-type': { path: () => 'Task?status=ready' },
  'fhir:EpisodeOfCare.search-type': {
    path: () => 'EpisodeOfCare?patient=pat-1',
    patientId: 'pat-1',
  },
  'fhir:Condition.search-type': { path: () => 'Condition?patient=pat-1', patientId: 'pat-1' },
  'fhir:Observation.search-type': { path: () => 'Observation?patient=pat-1', patientId: 'pat-1' },
  'fhir:MedicationStatement.search-type': {
    path: () => 'MedicationStatement?patient=pat-1',
    patientId: 'pat-1',
  },
  'fhir:ServiceRequest.search-type': {
    path: () => 'ServiceRequest?patient=pat-1',
    patientId: 'pat-1',
  },
  'fhir:DocumentReference.read': {
    path: () => `DocumentReference/${idOf.DocumentReference}`,
    patientId: 'pat-1',
  },
  'fhir:DocumentReference.search-type': {
    path: () => 'DocumentReference?patient=Patient/pat-1',
    patientId: 'pat-1',
  },
  'fhir:Binary.read': {
    path: () => `Binary/${idOf.DocumentReference}`,
    patientId: 'pat-1',
    reads: 'gpLetter.downloaded',
  },
  'fhir:PlanDefinition.read': { path: () => 'PlanDefinition/ros-2022.2' },
  'fhir:AuditEvent.search-type': { path: () => 'AuditEvent?_count=5' },
  // A fresh patient and fracture for each allowed call, so no write meets an earlier one.
  'fhir:transaction': {
    path: () => '',
    body: () => {
      writes += 1;
      return exampleEnrolmentBundle({
        nhsNumber: validNhsNumber(writes),
        alertNumber: `MATRIX-${writes}`,
        fractureDate: isoDay(now.getTime() - 10 * DAY_MS),
        identifiedOn: isoDay(now.getTime() - 9 * DAY_MS),
      });
    },
  },
  // Bulk export: the kick-off is accepted (202); the status, file and cancel paths of an export
  // that does not exist are 404 to a key the table lets through, as to any key but its owner's.
  'fhir:$export': {
    path: () => '$export?_type=Patient',
    headers: { prefer: 'respond-async' },
    status: 202,
  },
  'fhir:$export-status': { path: () => '$export-status/no-such-export', status: 404 },
  'fhir:$export-status.cancel': { path: () => '$export-status/no-such-export', status: 404 },
  'fhir:$export-file': { path: () => '$export-file/no-such-export/Patient.ndjson', status: 404 },
  'fhir:Observation.create': {
    path: () => 'Observation',
    body: () => {
      writes += 1;
      return examplePainObservation({
        patientId: 'pat-2',
        episodeId: 'ep-2',
        scoreNumber: `MATRIX-${writes}`,
        at: new Date(now.getTime() - 60 * 60_000).toISOString(),
      });
    },
    status: 201,
  },
};

let writes = 0;
/** A valid NHS number (Modulus 11) for each n: the first check digit that the domain accepts. */
function validNhsNumber(n: number): string {
  for (let base = 943_000_000 + n * 13; ; base += 1) {
    for (let check = 0; check <= 9; check++) {
      const candidate = `${base}${check}`;
      if (isValidNhsNumber(candidate)) return candidate;
    }
  }
}

const guarded = FHIR_INTERACTIONS.filter(
  (
    interaction,
  ): interaction is FhirInteraction & { action: Exclude<FhirInteraction['action'], 'public'> } =>
    interaction.action !== 'public',
);

/** Calls the route as Next.js does: the catch-all's segments as decoded path parameters. */
async function call(
  method: 'GET' | 'POST' | 'DELETE',
  pathAndQuery: string,
  options: { authorization?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const url = new URL(`http://test/fhir/R4/${pathAndQuery}`);
  const segments = url.pathname
    .slice('/fhir/R4/'.length)
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  const headers: Record<string, string> = { ...options.headers };
  if (options.authorization) headers.authorization = options.authorization;
  if (options.body !== undefined) headers['content-type'] = 'application/fhir+json';
  const handler = fhirRoute()[method];
  const response = await handler(
    new Request(url, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    }),
    { params: Promise.resolve({ path: segments }) },
  );
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text ? JSON.parse(text) : undefined) as (Resource & Record<string, unknown>) | undefined,
  };
}

async function rowsSince(after: bigint) {
  return client.auditEntry.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' } });
}
async function lastId(): Promise<bigint> {
  return (await client.auditEntry.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0n;
}

beforeAll(async () => {
  database = await createTestDatabase('fhir_api');
  process.env.DATABASE_URL = database.url;
  client = db();
  await createUsers(client);
  for (const role of ROLES) {
    keys[role] = await createApiKey(client, { name: `FHIR ${role}`, role }, 'admin-1');
  }
  const fractureDate = isoDay(now.getTime() - 30 * DAY_MS);
  for (const n of [1, 2, 3]) {
    await enrolPatient(client, testEnrolment({ n, fractureDate }), { actorId: 'nurse-1', now });
  }
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString();
  for (const event of [
    {
      type: 'pain-assessment',
      nrsAtRest: 3,
      nrsOnActivity: 6,
      functionalLimitation: 'moderate',
      occurredAt: at(2),
    },
    { type: 'bone-therapy-started', drug: 'alendronic-acid', occurredAt: at(1) },
    { type: 'referral', referralType: 'physiotherapy', occurredAt: at(1) },
  ]) {
    await recordEvent(client, { episodeId: 'ep-1', event }, { actorId: 'nurse-1', now });
  }
  // A signed letter to the GP for the first patient: a DocumentReference and its Binary.
  const sender = { serviceName: 'Test FLS', addressLines: ['Test Hospital'] };
  const draft = await saveGpLetterDraft(
    client,
    { episodeId: 'ep-1', version: 0, edits: { recipient: 'The Surgery' } },
    { actorId: 'nurse-1', now, sender },
  );
  const letters = await gpLettersOfEpisode(client, 'ep-1', { now, sender });
  await signOffGpLetter(
    client,
    { letterId: draft.id, version: draft.version, episodeVersion: letters?.episodeVersion ?? 0 },
    { actorId: 'nurse-1', now, sender },
  );
  idOf.DocumentReference = draft.id;
  const [record] = await fhirEpisodeRecords(client, { episodeIds: ['ep-1'] });
  for (const resource of episodeResources(record as never, planDefinitionCanonical)) {
    idOf[resource.resourceType] ??= resource.id as string;
  }
});
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

describe('/fhir/R4 against the permission table', () => {
  it('has a probe for every guarded interaction, and each probe names a resource that exists', () => {
    expect(guarded.map(operationName).sort()).toEqual(Object.keys(PROBES).sort());
    for (const type of [
      'EpisodeOfCare',
      'Condition',
      'CarePlan',
      'Task',
      'Observation',
      'MedicationStatement',
      'ServiceRequest',
    ]) {
      expect(idOf[type], type).toBeDefined();
    }
  });

  const cases = guarded.flatMap((interaction) =>
    ROLES.map((role) => ({ interaction, role, label: operationName(interaction) })),
  );

  it.each(cases)('$label with a $role key', async ({ interaction, role }) => {
    const probe = PROBES[operationName(interaction)] as Probe;
    const key = keys[role];
    const actor: Actor = { id: key.userId, role, kind: 'integration' };
    const expected = permission(actor, interaction.action, interaction.permissionContext);
    const before = await lastId();
    const { status, json, headers } = await call(interaction.method, probe.path(), {
      authorization: `Bearer ${key.secret}`,
      ...(probe.body ? { body: probe.body() } : {}),
      ...(probe.headers ? { headers: { ...probe.headers } } : {}),
    });
    const rows = await rowsSince(before);
    if (expected.allowed) {
      expect(status, String(JSON.stringify(json)).slice(0, 400)).toBe(probe.status ?? 200);
      if (json) expect(headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
      expect(rows.filter((row) => row.action === 'access.refused')).toEqual([]);
      if (PATIENT_READS.has(interaction.action)) {
        const read = rows.filter((row) => row.actor === key.userId);
        expect(read, 'one access row for the read').toHaveLength(1);
        if (probe.reads) expect(read[0]?.action).toBe(probe.reads);
        else expect(read[0]?.action).toMatch(/\.(viewed|searched)$/);
        expect(read[0]?.patientId ?? undefined).toBe(probe.patientId);
      }
    } else {
      expect(status).toBe(403);
      const outcome = json as unknown as OperationOutcome;
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue?.[0]).toMatchObject({ code: 'forbidden', diagnostics: expected.reason });
      expect(rows.map((row) => [row.actor, row.action, row.entityId])).toEqual([
        [key.userId, 'access.refused', interaction.action],
      ]);
    }
  });

  it.each(guarded.map((interaction) => ({ interaction, label: operationName(interaction) })))(
    '$label with no key or an unknown one: 401 OperationOutcome, audited as anonymous',
    async ({ interaction }) => {
      const probe = PROBES[operationName(interaction)] as Probe;
      const unknown = `vfx_ZZZZZZZZ${'q'.repeat(35)}`;
      for (const authorization of [undefined, `Bearer ${unknown}`]) {
        const before = await lastId();
        const { status, json, headers } = await call(interaction.method, probe.path(), {
          ...(authorization ? { authorization } : {}),
        });
        expect(status).toBe(401);
        expect(headers.get('www-authenticate')).toMatch(/^Bearer realm="vfx-fhir"/);
        expect((json as unknown as OperationOutcome).issue?.[0]?.code).toBe('login');
        const rows = await rowsSince(before);
        expect(rows.map((row) => [row.actor, row.action, row.entityId])).toEqual([
          ['anonymous', 'access.refused', interaction.action],
        ]);
        expect(JSON.stringify(rows[0]?.after)).not.toContain(unknown);
      }
    },
  );
});

describe('/fhir/R4 at the edges', () => {
  const nurse = () => `Bearer ${keys.nurse.secret}`;

  it('serves a signed letter to the GP as a valid DocumentReference, its PDF as a Binary, and in $everything', async () => {
    const { status, json } = await call('GET', `DocumentReference/${idOf.DocumentReference}`, {
      authorization: nurse(),
    });
    expect(status).toBe(200);
    const reference = json as unknown as DocumentReference;
    expect(reference).toMatchObject({ status: 'current', docStatus: 'final' });
    const validation = validateR4(reference);
    expect(validation.errors, describeFindings(validation.errors)).toEqual([]);
    const attachment = reference.content[0]?.attachment;
    expect(attachment?.url).toBe(`http://test/fhir/R4/Binary/${idOf.DocumentReference}`);
    const before = await lastId();
    const binary = await call('GET', `Binary/${idOf.DocumentReference}`, {
      authorization: nurse(),
    });
    // Reading the PDF is downloading the letter: audited as the patient page's download is, on
    // the letter and its patient, by the key's user.
    expect(
      (await rowsSince(before)).map((row) => [
        row.actor,
        row.action,
        row.entityType,
        row.entityId,
        row.patientId,
      ]),
    ).toEqual([
      [keys.nurse.userId, 'gpLetter.downloaded', 'gp-letter', idOf.DocumentReference, 'pat-1'],
    ]);
    const bytes = Buffer.from(String(binary.json?.data), 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBe(attachment?.size);
    expect(createHash('sha1').update(bytes).digest('base64')).toBe(attachment?.hash);
    expect(validateR4(binary.json as Resource).errors).toEqual([]);
    const search = await call('GET', 'DocumentReference?patient=pat-1', { authorization: nurse() });
    expect((search.json as unknown as Bundle).total).toBe(1);
    const none = await call('GET', 'DocumentReference?patient=pat-2', { authorization: nurse() });
    expect((none.json as unknown as Bundle).total).toBe(0);
    const everything = await call('GET', 'Patient/pat-1/$everything', { authorization: nurse() });
    const types = (everything.json as unknown as Bundle).entry?.map(
      (e) => e.resource?.resourceType,
    );
    expect(types).toContain('DocumentReference');
  });

  it('serves the CapabilityStatement without a key, listing exactly the routed interactions', async () => {
    const { status, json } = await call('GET', 'metadata');
    expect(status).toBe(200);
    expect(json?.resourceType).toBe('CapabilityStatement');
    const rest = (
      json as {
        rest: {
          resource: {
            type: string;
            interaction: { code: string }[];
            operation?: { name: string }[];
          }[];
        }[];
      }
    ).rest[0];
    const listed = (rest?.resource ?? []).flatMap((resource) => [
      ...resource.interaction.map((i) => `fhir:${resource.type}.${i.code}`),
      ...(resource.operation ?? []).map((o) => `fhir:${resource.type}.$${o.name}`),
    ]);
    const routed = FHIR_INTERACTIONS.filter((i) => i.resourceType).map(operationName);
    expect(listed.sort()).toEqual(routed.sort());
  });

  it('answers an unknown resource type, a wrong method and an unknown id with OperationOutcomes', async () => {
    const unknownType = await call('GET', 'Medication/1', { authorization: nurse() });
    expect(unknownType.status).toBe(404);
    expect((unknownType.json as unknown as OperationOutcome).issue?.[0]?.code).toBe(
      'not-supported',
    );
    const wrongMethod = await call('DELETE', 'Patient/pat-1', { authorization: nurse() });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    const missing = await call('GET', 'Patient/no-such-patient', { authorization: nurse() });
    expect(missing.status).toBe(404);
    expect((missing.json as unknown as OperationOutcome).issue?.[0]).toMatchObject({
      code: 'not-found',
      diagnostics: 'Patient/no-such-patient does not exist',
    });
  });

  it('ignores an unknown search parameter, saying so, unless handling is strict', async () => {
    const lenient = await call(
      'GET',
      'Patient?identifier=https://fls.example.nhs.uk/Id/mrn|TEST-2&colour=blue',
      {
        authorization: nurse(),
      },
    );
    expect(lenient.status).toBe(200);
    const bundle = lenient.json as unknown as Bundle;
    expect(bundle.entry?.filter((e) => e.search?.mode === 'match')).toHaveLength(1);
    const outcome = bundle.entry?.find((e) => e.search?.mode === 'outcome')
      ?.resource as OperationOutcome;
    expect(outcome.issue?.[0]?.expression).toEqual(['colour']);
    expect(bundle.link?.find((l) => l.relation === 'self')?.url).not.toContain('colour');
    const strict = await call('GET', 'Patient?colour=blue', {
      authorization: nurse(),
      headers: { prefer: 'handling=strict' },
    });
    expect(strict.status).toBe(400);
    expect((strict.json as unknown as OperationOutcome).issue?.[0]?.expression).toEqual(['colour']);
  });

  it('pages patients by keyset: every patient once, in id order, following next links', async () => {
    const seen: string[] = [];
    let path: string | undefined = 'Patient?_count=2';
    while (path) {
      const page = await call('GET', path, { authorization: nurse() });
      expect(page.status).toBe(200);
      const bundle = page.json as unknown as Bundle;
      seen.push(...(bundle.entry ?? []).map((e) => e.resource?.id as string));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      path = next ? next.slice(next.indexOf('/fhir/R4/') + '/fhir/R4/'.length) : undefined;
    }
    const stored = await client.patient.findMany({ orderBy: { id: 'asc' }, select: { id: true } });
    expect(seen).toEqual(stored.map((patient) => patient.id));
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a bad _count, a forged cursor, a bad date and a Task status it does not know', async () => {
    for (const [path, expression] of [
      ['Patient?_count=zero', '_count'],
      ['Patient?_cursor=bm90LWEtY3Vyc29y', '_cursor'],
      ['Task?period=ge2026-13-01', 'period'],
      ['Task?business-status=late', 'business-status'],
      ['Observation?code=x', 'patient'],
      ['Patient?identifier=TEST-1', 'identifier'],
    ] as const) {
      const { status, json } = await call('GET', path, { authorization: nurse() });
      expect(status, path).toBe(400);
      expect((json as unknown as OperationOutcome).issue?.[0]?.expression, path).toEqual([
        expression,
      ]);
    }
  });

  it('finds Tasks by business status and period, matching the plan steps the worker applied', async () => {
    const all = await call('GET', 'Task?status=ready&_count=200', { authorization: nurse() });
    const tasks = ((all.json as unknown as Bundle).entry ?? []).map(
      (e) =>
        e.resource as Resource & {
          businessStatus?: { coding?: { code?: string }[] };
          restriction?: { period?: { start?: string; end?: string } };
        },
    );
    expect(tasks.length).toBeGreaterThan(0);
    const overdue = await call('GET', 'Task?business-status=overdue&_count=200', {
      authorization: nurse(),
    });
    const overdueIds = ((overdue.json as unknown as Bundle).entry ?? []).map((e) => e.resource?.id);
    expect(overdueIds.sort()).toEqual(
      tasks
        .filter((t) => t.businessStatus?.coding?.[0]?.code === 'overdue')
        .map((t) => t.id)
        .sort(),
    );
    const from = isoDay(now.getTime() + 7 * DAY_MS);
    const later = await call('GET', `Task?period=ge${from}&_count=200`, { authorization: nurse() });
    for (const entry of (later.json as unknown as Bundle).entry ?? []) {
      const period = (entry.resource as { restriction?: { period?: { end?: string } } }).restriction
        ?.period;
      expect(Date.parse(period?.end as string)).toBeGreaterThan(Date.parse(from));
    }
  });

  it('refuses a body that is not FHIR JSON, with nothing stored', async () => {
    const post = FHIR_INTERACTIONS.find((i) => i.method === 'POST');
    if (!post) return;
    const response = await POST(
      new Request('http://test/fhir/R4/', {
        method: 'POST',
        headers: { authorization: nurse(), 'content-type': 'application/fhir+json' },
        body: '{"resourceType": "Bundle",',
      }),
      { params: Promise.resolve({ path: post.path.map((p) => p) as string[] }) },
    );
    expect(response.status).toBe(400);
    const outcome = (await response.json()) as OperationOutcome;
    expect(outcome.issue?.[0]?.diagnostics).toMatch(/^The body is not valid JSON/);
  });

  it('answers JSON only: _format=xml is refused with 406', async () => {
    const response = await GET(new Request('http://test/fhir/R4/metadata?_format=xml'), {
      params: Promise.resolve({ path: ['metadata'] }),
    });
    expect(response.status).toBe(406);
  });
});

describe('docs/interop.md', () => {
  const doc = readFileSync(
    fileURLToPath(new URL('../../../../../../docs/interop.md', import.meta.url)),
    'utf8',
  );

  /** The JSON block after `<!-- example: name -->`. */
  function example(name: string): unknown {
    const at = doc.indexOf(`<!-- example: ${name} -->`);
    expect(at, `docs/interop.md has the example ${name}`).toBeGreaterThan(0);
    const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(at));
    return JSON.parse(block?.[1] ?? 'null');
  }

  it('shows the refusals as the server answers them', async () => {
    const nurse = `Bearer ${keys.nurse.secret}`;
    const cases = [
      ['bad-identifier', 'Patient?identifier=TEST-1', {}],
      ['strict-unknown-parameter', 'Patient?colour=blue', { prefer: 'handling=strict' }],
      ['audit-refused', 'AuditEvent', {}],
    ] as const;
    for (const [name, path, headers] of cases) {
      const { json } = await call('GET', path, { authorization: nurse, headers });
      expect(json, name).toEqual(example(name));
    }
  });

  it('lists every routed request in its table of the endpoint', () => {
    const table = doc.slice(
      doc.indexOf('<!-- interactions:start -->'),
      doc.indexOf('<!-- interactions:end -->'),
    );
    for (const interaction of FHIR_INTERACTIONS) {
      const where = interaction.path[0] ?? '';
      const named =
        where === '' ? 'POST /fhir/R4`' : where.startsWith('$') ? `/fhir/R4/${where}` : where;
      expect(table, operationName(interaction)).toContain(named);
      if (interaction.action !== 'public') expect(table).toContain(`\`${interaction.action}\``);
    }
  });
});
