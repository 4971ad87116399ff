// The JSON API's part of the permission matrix, generated from the permission table: every
// operation called with an API key of each role and with no key (and an unknown one), through
// the exported route handlers on a real database. Each answer must be what the table says
// (allowed: the documented success; refused: 403 with the table's reason; no key: 401), and
// each must leave its audit row: a read row for an allowed read of patient data, 'access.refused'
// for a refusal, under the key's integration user or 'anonymous'.
// The dashboard's pages and server actions are in e2e/permissions.e2e.ts.
import type { Database } from '@vfx/database';
import { type ApiKeyCreated, createApiKey, enrolPatient } from '@vfx/database/commands';
import {
  createTestDatabase,
  createUsers,
  type TestDatabase,
  testEnrolment,
} from '@vfx/database/testing';
import { type Actor, type PermissionContext, permission, ROLES, type Role } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_READS } from '@/server/access';
import { API_OPERATIONS } from '@/server/api/catalog';
import type { ApiOperation } from '@/server/api/operation';
import { type ApiRouteHandler, apiRoute } from '@/server/api/route';
import { db } from '@/server/db';

let database: TestDatabase;
let client: Database;
const keys = {} as Record<Role, ApiKeyCreated>;
const DAY_MS = 86_400_000;
/** Taken once: the handlers use the real clock, so every date here is relative to it. */
const now = new Date();
const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);
let enrolments = 0;

/** A fresh enrolment for each allowed call, so a write never collides with an earlier one. */
function enrolmentBody() {
  enrolments += 1;
  return testEnrolment({ n: 500 + enrolments, fractureDate: isoDay(now.getTime() - 20 * DAY_MS) });
}

interface Probe {
  readonly params: Record<string, string>;
  readonly query?: string;
  readonly body?: () => unknown;
  /** What the permission depends on in this request. */
  readonly context?: PermissionContext;
  /**
   * The answer when the table allows it, if not the documented success: a probe that passes the
   * gate and is then judged on its content by the write path.
   */
  readonly allowedStatus?: number;
  /** For a read of one patient: the patient its audit row must name. */
  readonly patientId?: string;
}

/**
 * How to call each operation. A test fails below when an operation has no probe, so a new
 * operation joins the matrix as soon as it is added to the catalogue.
 */
const PROBES: Record<string, readonly Probe[]> = {
  enrolPatient: [{ params: {}, body: enrolmentBody }],
  recordEvent: [
    {
      params: { episodeId: 'ep-1' },
      body: () => ({
        event: {
          type: 'pain-assessment',
          nrsAtRest: 2,
          nrsOnActivity: 4,
          functionalLimitation: 'mild',
          occurredAt: new Date(now.getTime() - 60 * 60_000).toISOString(),
        },
      }),
      context: { entryType: 'pain-assessment' },
    },
    {
      // A scheduler's entry: the gate lets scheduler (and admin) keys through, and the write
      // path then refuses a step that does not exist (422), so nothing is stored.
      params: { episodeId: 'ep-1' },
      body: () => ({
        event: {
          type: 'step-rescheduled',
          stepKey: 'no-such-step',
          remindOn: isoDay(now.getTime() + 3 * DAY_MS),
          reason: 'Clinic closed',
          occurredAt: new Date(now.getTime() - 60_000).toISOString(),
        },
      }),
      context: { entryType: 'step-rescheduled' },
      allowedStatus: 422,
    },
  ],
  getPatient: [{ params: { patientId: 'pat-1' }, patientId: 'pat-1' }],
  getContactPreferences: [{ params: { patientId: 'pat-1' }, patientId: 'pat-1' }],
  getPlan: [{ params: { episodeId: 'ep-1' }, patientId: 'pat-1' }],
  getTimeline: [{ params: { episodeId: 'ep-1' }, patientId: 'pat-1' }],
  listFollowUps: [{ params: {}, query: '?status=pending' }],
};

const guarded = API_OPERATIONS.filter(
  (operation): operation is ApiOperation & { action: Exclude<ApiOperation['action'], 'public'> } =>
    operation.action !== 'public',
);

function handlerOf(operation: ApiOperation): ApiRouteHandler {
  return apiRoute(operation.path)[operation.method];
}

function urlOf(operation: ApiOperation, probe: Probe): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_all, name: string) =>
    encodeURIComponent(probe.params[name] ?? ''),
  );
  return `http://test/api/v1${path}${probe.query ?? ''}`;
}

async function call(operation: ApiOperation, probe: Probe, authorization?: string) {
  const body = probe.body?.();
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await handlerOf(operation)(
    new Request(urlOf(operation, probe), {
      method: operation.method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve(probe.params) },
  );
  return { status: response.status, json: await response.json() };
}

/** The audit rows written since `after` (an id). */
async function rowsSince(after: bigint) {
  return client.auditEntry.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' } });
}
async function lastId(): Promise<bigint> {
  return (await client.auditEntry.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0n;
}

beforeAll(async () => {
  database = await createTestDatabase('api_permissions');
  process.env.DATABASE_URL = database.url;
  client = db();
  await createUsers(client);
  for (const role of ROLES) {
    keys[role] = await createApiKey(client, { name: `Matrix ${role}`, role }, 'admin-1');
  }
  await enrolPatient(
    client,
    testEnrolment({ n: 1, fractureDate: isoDay(now.getTime() - 30 * DAY_MS) }),
    { actorId: 'nurse-1', now },
  );
});
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

describe('the JSON API against the permission table', () => {
  it('has a probe for every guarded operation', () => {
    expect(guarded.map((operation) => operation.operationId).sort()).toEqual(
      Object.keys(PROBES).sort(),
    );
  });

  const cases = guarded.flatMap((operation) =>
    (PROBES[operation.operationId] ?? []).flatMap((probe, index) =>
      ROLES.map((role) => ({ operation, probe, role, label: `${operation.operationId}#${index}` })),
    ),
  );

  it.each(cases)('$label with a $role key', async ({ operation, probe, role }) => {
    const key = keys[role];
    const actor: Actor = { id: key.userId, role, kind: 'integration' };
    const expected = permission(actor, operation.action, probe.context);
    const before = await lastId();
    const { status, json } = await call(operation, probe, `Bearer ${key.secret}`);
    const rows = await rowsSince(before);
    if (expected.allowed) {
      expect(status, JSON.stringify(json).slice(0, 300)).toBe(
        probe.allowedStatus ?? operation.success.status,
      );
      expect(rows.filter((row) => row.action === 'access.refused')).toEqual([]);
      if (PATIENT_READS.has(operation.action)) {
        const read = rows.filter((row) => row.actor === key.userId);
        expect(read, 'one access row for the read').toHaveLength(1);
        expect(read[0]?.action).toMatch(/\.(viewed|listed)$/);
        expect(read[0]?.patientId ?? undefined).toBe(probe.patientId);
      }
    } else {
      expect(status).toBe(403);
      expect(json.error).toEqual({ code: 'forbidden', message: expected.reason });
      expect(
        rows.map((row) => [row.actor, row.action, row.entityId]),
        'the refusal, audited, and nothing else',
      ).toEqual([[key.userId, 'access.refused', operation.action]]);
      expect(row0After(rows)).toMatchObject({ status: 403, reason: expected.reason });
    }
  });

  const refusals = guarded.flatMap((operation) =>
    (PROBES[operation.operationId] ?? []).slice(0, 1).map((probe) => ({
      operation,
      probe,
      label: operation.operationId,
    })),
  );

  it.each(refusals)(
    '$label with no key or an unknown one: 401, audited as anonymous without the secret',
    async ({ operation, probe }) => {
      const unknown = `vfx_ZZZZZZZZ${'q'.repeat(35)}`;
      for (const [authorization, recorded] of [
        [undefined, { key: 'none' }],
        [`Bearer ${unknown}`, { keyPrefix: 'vfx_ZZZZZZZZ' }],
        ['Basic bm9ib2R5OnNlY3JldA==', { key: 'malformed' }],
      ] as const) {
        const before = await lastId();
        const { status, json } = await call(operation, probe, authorization);
        expect(status).toBe(401);
        expect(json.error.code).toBe('unauthorized');
        const rows = await rowsSince(before);
        expect(rows.map((row) => [row.actor, row.action, row.entityId])).toEqual([
          ['anonymous', 'access.refused', operation.action],
        ]);
        expect(row0After(rows)).toEqual({
          status: 401,
          operation: operation.operationId,
          ...recorded,
        });
        expect(JSON.stringify(rows[0]?.after)).not.toContain(unknown);
      }
    },
  );
});

function row0After(rows: readonly { after: unknown }[]) {
  return rows[0]?.after as Record<string, unknown> | undefined;
}
