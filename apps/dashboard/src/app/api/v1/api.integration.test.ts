// Every /api/v1 operation against a real, migrated PostgreSQL database, through the exported
// route handlers. Each response is checked against the schema the OpenAPI document gives for its
// status, so the document describes what the service really answers.

import type { Database } from '@vfx/database';
import {
  type ApiKeyCreated,
  createApiKey,
  enrolPatient,
  optOutPatient,
  revokeApiKey,
  setContactPreferences,
} from '@vfx/database/commands';
import {
  createTestDatabase,
  createUsers,
  type TestDatabase,
  testEnrolment,
} from '@vfx/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES } from '@/server/api/route';
import { db } from '@/server/db';
import * as enrolments from './enrolments/route';
import * as events from './episodes/[episodeId]/events/route';
import * as plan from './episodes/[episodeId]/plan/route';
import * as timeline from './episodes/[episodeId]/timeline/route';
import * as followUps from './follow-ups/route';
import * as openapi from './openapi.json/route';
import * as contactPreferences from './patients/[patientId]/contact-preferences/route';
import * as patients from './patients/[patientId]/route';

let database: TestDatabase;
let client: Database;
let keys: Record<'nurse' | 'scheduler' | 'admin' | 'revoked', ApiKeyCreated>;
let document: {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content: { 'application/json': { schema: object } } }> }
    >
  >;
};

beforeAll(async () => {
  database = await createTestDatabase('api_v1');
  process.env.DATABASE_URL = database.url;
  client = db();
  await createUsers(client);
  keys = {
    nurse: await createApiKey(client, { name: 'Radiology alerts', role: 'nurse' }, 'admin-1'),
    scheduler: await createApiKey(client, { name: 'Scheduling', role: 'scheduler' }, 'admin-1'),
    admin: await createApiKey(client, { name: 'Data team', role: 'admin' }, 'admin-1'),
    revoked: await createApiKey(client, { name: 'Old EHR', role: 'nurse' }, 'admin-1'),
  };
  await revokeApiKey(client, keys.revoked.id, 'admin-1');
  const response = await openapi.GET(new Request('http://test/api/v1/openapi.json'), {
    params: Promise.resolve({}),
  });
  document = await response.json();
});
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

async function call(
  handler: Handler,
  url: string,
  options: {
    key?: keyof typeof keys | string;
    method?: string;
    body?: unknown;
    rawBody?: string;
    contentType?: string;
    params?: Record<string, string>;
  } = {},
) {
  const secret = options.key
    ? (keys[options.key as keyof typeof keys]?.secret ?? options.key)
    : undefined;
  const headers: Record<string, string> = {};
  if (secret) headers.authorization = `Bearer ${secret}`;
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await handler(
    new Request(`http://test/api/v1${url}`, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
    }),
    { params: Promise.resolve(options.params ?? {}) },
  );
  return { response, status: response.status, json: await response.json() };
}

/** Checks a body against the schema the document gives for this path, method and status. */
function expectDocumented(documentedPath: string, method: string, status: number, body: unknown) {
  const schema =
    document.paths[documentedPath]?.[method]?.responses[String(status)]?.content['application/json']
      .schema;
  expect(schema, `${method} ${documentedPath} documents ${status}`).toBeDefined();
  const result = z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema).safeParse(body);
  expect(result.error?.issues ?? [], JSON.stringify(body).slice(0, 500)).toEqual([]);
}

const NURSE_ONLY = 'nurse';

describe('authentication and roles', () => {
  it('refuses a request without a key, with an unknown key, and with a revoked key: 401 with WWW-Authenticate', async () => {
    for (const key of [undefined, 'vfx_not-a-real-key', 'revoked'] as const) {
      const { response, status, json } = await call(patients.GET, '/patients/pat-1', {
        ...(key ? { key } : {}),
        params: { patientId: 'pat-1' },
      });
      expect(status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="vfx-api"/);
      expect(json.error.code).toBe('unauthorized');
      expectDocumented('/patients/{patientId}', 'get', 401, json);
    }
  });

  it('refuses a key whose role may not call the operation (403), and lets an admin key call anything', async () => {
    const enrol = await call(enrolments.POST, '/enrolments', {
      key: 'scheduler',
      body: testEnrolment({ n: 99 }),
    });
    expect(enrol.status).toBe(403);
    expect(enrol.json.error.message).toBe(
      'Only nurses and administrators may enrol a patient; you are an API key with the role of a scheduler.',
    );
    // The refusal is audited under the key's integration user, with the table's reason.
    const refusal = await client.auditEntry.findFirstOrThrow({
      where: { action: 'access.refused', entityId: 'patient.enrol', actor: keys.scheduler.userId },
    });
    expect(refusal.after).toMatchObject({ status: 403, operation: 'enrolPatient' });
    expectDocumented('/enrolments', 'post', 403, enrol.json);
    const list = await call(followUps.GET, '/follow-ups?status=pending', { key: NURSE_ONLY });
    expect(list.status).toBe(403);
    expect((await call(followUps.GET, '/follow-ups?status=pending', { key: 'admin' })).status).toBe(
      200,
    );
    expect(await client.patient.count()).toBe(0);
  });

  it('serves the OpenAPI document without a key, and it matches its own schema', async () => {
    const { status, json } = await call(openapi.GET, '/openapi.json');
    expect(status).toBe(200);
    expect(json.openapi).toBe('3.1.0');
    expectDocumented('/openapi.json', 'get', 200, json);
  });

  it('answers a method a path does not support with 405 and Allow', async () => {
    const { response, status, json } = await call(enrolments.GET, '/enrolments', { key: 'nurse' });
    expect(status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(json.error.code).toBe('method-not-allowed');
  });
});

describe('POST /enrolments', () => {
  it('enrols a patient with an episode: 201 with the patient, episode and plan summary, attributed to the key', async () => {
    const { response, status, json } = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      body: testEnrolment({ n: 1 }),
    });
    expect(status, JSON.stringify(json)).toBe(201);
    expectDocumented('/enrolments', 'post', 201, json);
    expect(response.headers.get('location')).toBe('/api/v1/patients/pat-1');
    expect(json).toMatchObject({
      patient: { id: 'pat-1' },
      demographics: { givenName: 'Test', familyName: 'Patient 1' },
      episode: { id: 'ep-1', patientId: 'pat-1' },
      links: { plan: '/api/v1/episodes/ep-1/plan' },
    });
    expect(json.plan.steps.length).toBeGreaterThan(10);
    expect(json.followUpsScheduled).toBeGreaterThan(0);
    const audit = await client.auditEntry.findFirstOrThrow({
      where: { action: 'episode.enrolled', entityId: 'ep-1' },
    });
    expect(audit.actor).toBe(keys.nurse.userId);
  });

  it('refuses invalid input with 422 and an issue per field, storing nothing', async () => {
    const input = testEnrolment({ n: 2 });
    const { status, json } = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      body: {
        ...input,
        patient: { ...(input.patient as object), dateOfBirth: '1950-13-01' },
        episode: { ...(input.episode as object), vertebralLevels: ['X9'], patientId: 'pat-2' },
      },
    });
    expect(status).toBe(422);
    expectDocumented('/enrolments', 'post', 422, json);
    const paths = json.error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['patient.dateOfBirth', 'episode.vertebralLevels[0]', 'episode']),
    );
    expect(json.error.issues.find((i: { path: string }) => i.path === 'episode').message).toMatch(
      /patientId/,
    );
    expect(await client.patient.count({ where: { id: 'pat-2' } })).toBe(0);
  });

  it('refuses control and bidi characters in names with 422 naming each field, never a 500', async () => {
    const input = testEnrolment({ n: 31 });
    const { status, json } = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      body: { ...input, demographics: { givenName: 'Ja\u0000ne', familyName: 'Doe\u202Eevil' } },
    });
    expect(status).toBe(422);
    expect(json.error.code).toBe('invalid-input');
    expectDocumented('/enrolments', 'post', 422, json);
    expect(json.error.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'demographics.givenName',
          message: 'contains a control character (U+0000) — remove it',
        },
        {
          path: 'demographics.familyName',
          message: 'contains a bidirectional control character (U+202E) — remove it',
        },
      ]),
    );
    expect(await client.patient.count({ where: { id: 'pat-31' } })).toBe(0);
  });

  it("refuses what the domain refuses in context (a fracture after today) with the domain's message", async () => {
    const { status, json } = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      body: testEnrolment({ n: 3, fractureDate: '2099-01-01' }),
    });
    expect(status).toBe(422);
    expect(json.error.issues.some((i: { path: string }) => i.path.startsWith('episode.'))).toBe(
      true,
    );
  });

  it('answers 409 for a patient already registered, 400 for malformed JSON, 415 for another media type, 413 for a huge body', async () => {
    const again = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      body: testEnrolment({ n: 1 }),
    });
    expect(again.status).toBe(409);
    expectDocumented('/enrolments', 'post', 409, again.json);

    const malformed = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      rawBody: '{"patient": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.message).toMatch(/not valid JSON/);
    expectDocumented('/enrolments', 'post', 400, malformed.json);

    const form = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      rawBody: 'a=b',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expectDocumented('/enrolments', 'post', 415, form.json);

    const huge = await call(enrolments.POST, '/enrolments', {
      key: 'nurse',
      rawBody: JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(huge.status).toBe(413);
    expectDocumented('/enrolments', 'post', 413, huge.json);
  });
});

describe('POST /episodes/{episodeId}/events', () => {
  const pain = {
    type: 'pain-assessment',
    nrsAtRest: 7,
    nrsOnActivity: 9,
    functionalLimitation: 'severe',
  };

  it('records an event: 201 with the event, the plan changes and the plan summary', async () => {
    const { status, json } = await call(events.POST, '/episodes/ep-1/events', {
      key: 'nurse',
      params: { episodeId: 'ep-1' },
      body: { event: { ...pain, id: 'pain-1', occurredAt: new Date().toISOString() } },
    });
    expect(status, JSON.stringify(json)).toBe(201);
    expectDocumented('/episodes/{episodeId}/events', 'post', 201, json);
    expect(json.event).toMatchObject({ id: 'pain-1', recordedBy: keys.nurse.userId });
    expect(json.version).toBe(2);
    expect(Array.isArray(json.changes)).toBe(true);
  });

  it('links a correction to the event it replaces', async () => {
    const { status } = await call(events.POST, '/episodes/ep-1/events', {
      key: 'admin',
      params: { episodeId: 'ep-1' },
      body: {
        event: {
          ...pain,
          nrsAtRest: 6,
          id: 'pain-1-fix',
          supersedes: 'pain-1',
          occurredAt: new Date().toISOString(),
        },
      },
    });
    expect(status).toBe(201);
  });

  it('answers 404 for an unknown episode, 409 for an event id already recorded, 422 for invalid events', async () => {
    const occurredAt = new Date().toISOString();
    const missing = await call(events.POST, '/episodes/ep-404/events', {
      key: 'nurse',
      params: { episodeId: 'ep-404' },
      body: { event: { ...pain, occurredAt } },
    });
    expect(missing.status).toBe(404);
    expectDocumented('/episodes/{episodeId}/events', 'post', 404, missing.json);

    const twice = await call(events.POST, '/episodes/ep-1/events', {
      key: 'nurse',
      params: { episodeId: 'ep-1' },
      body: { event: { ...pain, id: 'pain-1', occurredAt } },
    });
    expect(twice.status).toBe(409);
    expectDocumented('/episodes/{episodeId}/events', 'post', 409, twice.json);

    const invalid = await call(events.POST, '/episodes/ep-1/events', {
      key: 'nurse',
      params: { episodeId: 'ep-1' },
      body: { event: { ...pain, nrsAtRest: 11, recordedBy: 'nurse-2', occurredAt } },
    });
    expect(invalid.status).toBe(422);
    expectDocumented('/episodes/{episodeId}/events', 'post', 422, invalid.json);
    expect(invalid.json.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'event.nrsAtRest', message: 'must be a whole number from 0 to 10' },
        { path: 'event', message: 'has unknown field "recordedBy"' },
      ]),
    );
    const unknownType = await call(events.POST, '/episodes/ep-1/events', {
      key: 'nurse',
      params: { episodeId: 'ep-1' },
      body: { event: { type: 'x-ray', occurredAt } },
    });
    expect(unknownType.status).toBe(422);
    expect(unknownType.json.error.issues[0].message).toMatch(
      /must have a type, one of: pain-assessment/,
    );
    expect(await client.clinicalEvent.count({ where: { episodeId: 'ep-1' } })).toBe(2);
  });
});

describe('reading', () => {
  it('GET /patients/{patientId}: the patient and their episodes; 404 unknown; 400 for an id that cannot exist', async () => {
    const { status, json } = await call(patients.GET, '/patients/pat-1', {
      key: 'nurse',
      params: { patientId: 'pat-1' },
    });
    expect(status).toBe(200);
    expectDocumented('/patients/{patientId}', 'get', 200, json);
    expect(json.patient).toMatchObject({
      id: 'pat-1',
      familyName: 'Patient 1',
      nurse: { id: 'nurse-1' },
    });
    expect(json.episodes.map((e: { id: string }) => e.id)).toEqual(['ep-1']);

    const missing = await call(patients.GET, '/patients/pat-404', {
      key: 'nurse',
      params: { patientId: 'pat-404' },
    });
    expect(missing.status).toBe(404);
    expectDocumented('/patients/{patientId}', 'get', 404, missing.json);
    const bad = await call(patients.GET, '/patients/a b', {
      key: 'nurse',
      params: { patientId: 'a b' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toBe('path.patientId');
    expectDocumented('/patients/{patientId}', 'get', 400, bad.json);
  });

  it('GET /patients/{patientId}/contact-preferences: as recorded on the page, and whether reminders can go; 404 unknown; 400 bad id; no write by key', async () => {
    const enrolled = new Date(Date.now() - 60 * 60_000);
    await enrolPatient(client, testEnrolment({ n: 90 }), { actorId: 'nurse-1', now: enrolled });
    const get = (patientId: string, key = 'scheduler') =>
      call(contactPreferences.GET, `/patients/${patientId}/contact-preferences`, {
        key,
        params: { patientId },
      });
    const path = '/patients/{patientId}/contact-preferences';

    // None recorded: nothing is sent, and the answer says so.
    const none = await get('pat-90');
    expect(none.status).toBe(200);
    expectDocumented(path, 'get', 200, none.json);
    expect(none.json).toMatchObject({
      patientId: 'pat-90',
      preferences: null,
      updatedBy: null,
      reminders: { reachable: false, why: 'No contact preferences recorded for the patient' },
    });

    // Recorded by a nurse through the page's write path.
    await setContactPreferences(
      client,
      'pat-90',
      { channel: 'sms', consentAt: enrolled.toISOString(), mobile: '07700 900123' },
      { actorId: 'nurse-1', now: enrolled },
    );
    const recorded = await get('pat-90', 'nurse');
    expectDocumented(path, 'get', 200, recorded.json);
    expect(recorded.json).toMatchObject({
      preferences: {
        channel: 'sms',
        consentAt: enrolled.toISOString(),
        optedOutAt: null,
        mobile: '+447700900123',
      },
      consentBy: { id: 'nurse-1', name: 'nurse-1' },
      updatedBy: { id: 'nurse-1' },
      optedOutBy: null,
      reminders: { reachable: true, channel: 'sms' },
    });
    const audit = await client.auditEntry.findFirstOrThrow({
      where: { action: 'patient.viewed', patientId: 'pat-90', actor: keys.nurse.userId },
      orderBy: { id: 'desc' },
    });
    expect(audit.after).toMatchObject({ operation: 'getContactPreferences' });

    // Opted out: kept with who and why, and reminders stop.
    await optOutPatient(
      client,
      'pat-90',
      { reason: 'Asked by phone not to be texted' },
      { actorId: 'nurse-1', now: new Date() },
    );
    const optedOut = await get('pat-90');
    expectDocumented(path, 'get', 200, optedOut.json);
    expect(optedOut.json).toMatchObject({
      optedOutBy: { id: 'nurse-1' },
      optOutReason: 'Asked by phone not to be texted',
      reminders: { reachable: false, why: 'The patient opted out of reminders' },
    });

    const missing = await get('pat-404');
    expect(missing.status).toBe(404);
    expectDocumented(path, 'get', 404, missing.json);
    const bad = await get('a b');
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toBe('path.patientId');
    // Setting them is the page's: the permission table gives no key 'contactPreferences.set'.
    const put = await call(contactPreferences.PUT, '/patients/pat-90/contact-preferences', {
      key: 'admin',
      method: 'PUT',
      body: { channel: 'none' },
      params: { patientId: 'pat-90' },
    });
    expect(put.status).toBe(405);
    expect(put.response.headers.get('allow')).toBe('GET');
  });

  it('GET /episodes/{episodeId}/plan: the plan now, with sources and recommendations; 404 unknown', async () => {
    const { status, json } = await call(plan.GET, '/episodes/ep-1/plan', {
      key: 'nurse',
      params: { episodeId: 'ep-1' },
    });
    expect(status).toBe(200);
    expectDocumented('/episodes/{episodeId}/plan', 'get', 200, json);
    expect(json.version).toBe(3);
    // The check has teeth: an undocumented field, or a missing one, fails it.
    expect(() =>
      expectDocumented('/episodes/{episodeId}/plan', 'get', 200, { ...json, extra: 1 }),
    ).toThrow();
    const { phase: _phase, ...withoutPhase } = json.plan;
    expect(() =>
      expectDocumented('/episodes/{episodeId}/plan', 'get', 200, { ...json, plan: withoutPhase }),
    ).toThrow();
    expect(json.plan.steps.every((s: { sources: unknown[] }) => s.sources.length > 0)).toBe(true);
    expect(json.plan.recommendations.length).toBeGreaterThan(0);
    const missing = await call(plan.GET, '/episodes/ep-404/plan', {
      key: 'nurse',
      params: { episodeId: 'ep-404' },
    });
    expect(missing.status).toBe(404);
  });

  it('GET /episodes/{episodeId}/timeline: events in order with recorder names and linked corrections, and the steps', async () => {
    const { status, json } = await call(timeline.GET, '/episodes/ep-1/timeline', {
      key: 'nurse',
      params: { episodeId: 'ep-1' },
    });
    expect(status).toBe(200);
    expectDocumented('/episodes/{episodeId}/timeline', 'get', 200, json);
    expect(
      json.events.map(
        (e: {
          event: { id: string };
          recordedBy: { name: string };
          status: string;
          supersededBy: string | null;
        }) => [e.event.id, e.recordedBy.name, e.status, e.supersededBy],
      ),
    ).toEqual([
      ['pain-1', 'API: Radiology alerts', 'corrected', 'pain-1-fix'],
      ['pain-1-fix', 'API: Data team', 'in-effect', null],
    ]);
    expect(json.steps.length).toBeGreaterThan(10);
    const missing = await call(timeline.GET, '/episodes/ep-404/timeline', {
      key: 'nurse',
      params: { episodeId: 'ep-404' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('GET /follow-ups', () => {
  it('pages through pending follow-ups in fire-time order with a cursor', async () => {
    const expected = await client.followUp.findMany({
      where: { state: 'pending' },
      orderBy: [{ fireAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    const seen: string[] = [];
    let url = '/follow-ups?status=pending&limit=3';
    for (let page = 0; page < 100; page++) {
      const { status, json } = await call(followUps.GET, url, { key: 'scheduler' });
      expect(status).toBe(200);
      expectDocumented('/follow-ups', 'get', 200, json);
      seen.push(...json.followUps.map((f: { id: string }) => f.id));
      if (!json.nextCursor) break;
      url = `/follow-ups?status=pending&limit=3&cursor=${encodeURIComponent(json.nextCursor)}`;
    }
    expect(seen).toEqual(expected.map((f) => f.id));
  });

  it('keeps to the fire-time range', async () => {
    const all = await client.followUp.findMany({
      where: { state: 'pending' },
      orderBy: [{ fireAt: 'asc' }, { id: 'asc' }],
    });
    const from = all[1]?.fireAt.toISOString() as string;
    const to = all[all.length - 1]?.fireAt.toISOString() as string;
    const { json } = await call(
      followUps.GET,
      `/follow-ups?status=pending&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=500`,
      { key: 'scheduler' },
    );
    expect(json.followUps.map((f: { id: string }) => f.id)).toEqual(
      all
        .filter((f) => f.fireAt.toISOString() >= from && f.fireAt.toISOString() < to)
        .map((f) => f.id),
    );
  });

  it('answers 400 naming each bad query parameter', async () => {
    const cases: [string, string][] = [
      ['/follow-ups', 'query.status'],
      ['/follow-ups?status=late', 'query.status'],
      ['/follow-ups?status=pending&limit=0', 'query.limit'],
      ['/follow-ups?status=pending&limit=ten', 'query.limit'],
      ['/follow-ups?status=pending&from=yesterday', 'query.from'],
      ['/follow-ups?status=pending&cursor=bogus', 'query.cursor'],
      ['/follow-ups?status=pending&cursor=%00', 'query.cursor'],
      ['/follow-ups?status=pending&status=fired', 'query.status'],
      ['/follow-ups?status=pending&from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z', 'query.to'],
      ['/follow-ups?status=pending&sort=desc', 'query'],
    ];
    for (const [url, path] of cases) {
      const { status, json } = await call(followUps.GET, url, { key: 'scheduler' });
      expect(status, url).toBe(400);
      expect(json.error.code).toBe('bad-request');
      expect(
        json.error.issues.map((i: { path: string }) => i.path),
        url,
      ).toContain(path);
      expectDocumented('/follow-ups', 'get', 400, json);
    }
  });
});

describe('key bookkeeping', () => {
  it('records when each key was last used', async () => {
    const row = await client.apiKey.findUniqueOrThrow({ where: { id: keys.nurse.id } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });
});
