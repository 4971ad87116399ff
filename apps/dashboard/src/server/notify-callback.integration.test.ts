// The delivery-receipt callback against a real PostgreSQL: the bearer token, the body checks, a
// receipt recorded on its message (and a permanent failure's task), an unknown message, and the
// route itself with the token read from the configuration.
import { createDatabase, type Database } from '@vfx/database';
import { enrolPatient } from '@vfx/database/commands';
import {
  createTestDatabase,
  createUsers,
  type TestDatabase,
  testEnrolment,
} from '@vfx/database/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearerTokenMatches, handleNotifyReceipt, MAX_RECEIPT_BYTES } from './notify-callback';

const TOKEN = 'test-callback-token-0123456789abcdef0123456789';
const NOW = new Date('2026-12-07T12:00:00Z');
const NOTIFY_ID = '740e5834-3a29-46b4-9a6f-16142fde533a';

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase('dashboard_notify_callback');
  db = createDatabase(database.url, { applicationName: 'notify-callback-test' });
  await createUsers(db);
  await enrolPatient(db, testEnrolment({ n: 1, fractureDate: '2026-11-30' }), {
    actorId: 'nurse-1',
    now: new Date('2026-12-01T10:00:00Z'),
  });
}, 60_000);
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

beforeEach(async () => {
  await db.patientMessage.deleteMany({});
  await db.patientMessage.create({
    data: {
      id: 'msg-1',
      episodeId: 'ep-1',
      patientId: 'pat-1',
      kind: 'fls-follow-up-16-weeks',
      stepKey: 'follow-up-16-weeks',
      channel: 'sms',
      sendAt: new Date('2026-12-07T09:00:00Z'),
      state: 'sent',
      notifyId: NOTIFY_ID,
      sentAt: new Date('2026-12-07T09:00:05Z'),
    },
  });
});

/** A receipt as Notify documents it. */
const receipt = (over: Record<string, unknown> = {}) => ({
  id: NOTIFY_ID,
  reference: 'msg-1',
  to: '+447700900123',
  status: 'delivered',
  created_at: '2026-12-07T09:00:01.000Z',
  completed_at: '2026-12-07T09:00:30.000Z',
  sent_at: '2026-12-07T09:00:05.000Z',
  notification_type: 'sms',
  template_id: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
  template_version: 1,
  ...over,
});

const post = (
  body: unknown,
  headers: Record<string, string> = {
    authorization: `Bearer ${TOKEN}`,
    'content-type': 'application/json',
  },
) =>
  new Request('http://localhost/api/notify/delivery-receipts', {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const handle = (request: Request) => handleNotifyReceipt(request, { db, token: TOKEN, now: NOW });

describe('bearerTokenMatches', () => {
  it('accepts only the configured token, as Bearer <token>', () => {
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerTokenMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerTokenMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerTokenMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerTokenMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(bearerTokenMatches('Bearer ', TOKEN)).toBe(false);
    expect(bearerTokenMatches(null, TOKEN)).toBe(false);
    expect(bearerTokenMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false);
  });
});

describe('the delivery-receipt callback', () => {
  it('records a delivered receipt on its message', async () => {
    const response = await handle(post(receipt()));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      messageId: 'msg-1',
      state: 'delivered',
      outcome: 'applied',
    });
    expect(await db.patientMessage.findUniqueOrThrow({ where: { id: 'msg-1' } })).toMatchObject({
      state: 'delivered',
      providerStatus: 'delivered',
      deliveredAt: new Date('2026-12-07T09:00:30.000Z'),
    });
  });

  it('records a permanent failure and raises the nurse a task', async () => {
    const response = await handle(post(receipt({ status: 'permanent-failure' })));
    expect(response.status).toBe(200);
    expect((await db.patientMessage.findUniqueOrThrow({ where: { id: 'msg-1' } })).state).toBe(
      'permanent-failure',
    );
    expect(
      await db.reminder.count({ where: { episodeId: 'ep-1', kind: 'patient-message-failed' } }),
    ).toBeGreaterThan(0);
  });

  it('refuses a missing or wrong token with 401, and changes nothing', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'content-type': 'application/json' },
      { authorization: 'Bearer not-the-token', 'content-type': 'application/json' },
      { authorization: `Basic ${TOKEN}`, 'content-type': 'application/json' },
    ]) {
      const response = await handle(post(receipt({ status: 'permanent-failure' }), headers));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await db.patientMessage.findUniqueOrThrow({ where: { id: 'msg-1' } })).state).toBe(
      'sent',
    );
  });

  it('answers 503 when no token is configured', async () => {
    const response = await handleNotifyReceipt(post(receipt()), { db, token: undefined, now: NOW });
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatch(/NOTIFY_CALLBACK_TOKEN/);
  });

  it('rejects bodies that are not receipts with a clear 400', async () => {
    const notJson = await handle(post('{"id": '));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'The body is not valid JSON.' });
    const bad = await handle(post(receipt({ id: 'not-a-uuid', status: 'lost' })));
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error).toBe('The body is not a Notify delivery receipt.');
    expect(body.issues.join('\n')).toMatch(/^id: /m);
    expect(body.issues.join('\n')).toMatch(/^status: must be one of Notify's statuses/m);
    const wrongType = await handle(
      post(receipt(), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }),
    );
    expect(wrongType.status).toBe(415);
    const huge = await handle(post(receipt({ padding: 'x'.repeat(MAX_RECEIPT_BYTES) })));
    expect(huge.status).toBe(413);
    expect((await db.patientMessage.findUniqueOrThrow({ where: { id: 'msg-1' } })).state).toBe(
      'sent',
    );
  });

  it('answers 404 for a message this service does not know', async () => {
    const response = await handle(
      post(receipt({ id: '11111111-2222-4333-8444-555555555555', reference: 'msg-unknown' })),
    );
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatch(/No patient message has Notify id/);
  });

  it("acknowledges a late receipt of an earlier attempt with 200 and changes nothing: only the current attempt's Notify id is applied", async () => {
    const earlier = '640e5834-3a29-46b4-9a6f-16142fde5330';
    const openTasks = () =>
      db.reminder.count({
        where: { episodeId: 'ep-1', kind: 'patient-message-failed', status: 'open' },
      });
    const tasksBefore = await openTasks();
    const response = await handle(post(receipt({ id: earlier, status: 'permanent-failure' })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ messageId: 'msg-1', state: 'sent', outcome: 'stale' });
    expect(await db.patientMessage.findUniqueOrThrow({ where: { id: 'msg-1' } })).toMatchObject({
      state: 'sent',
      notifyId: NOTIFY_ID,
      failedAt: null,
    });
    expect(await openTasks()).toBe(tasksBefore);
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: 'patient-message.receipt-stale', entityId: 'msg-1' },
      orderBy: { id: 'desc' },
    });
    expect(audit).toMatchObject({ actor: 'system:notify-callback', patientId: 'pat-1' });
    expect(audit.after).toMatchObject({ notifyId: earlier, currentNotifyId: NOTIFY_ID });
    // The current attempt's own receipt is still applied.
    expect((await (await handle(post(receipt()))).json()).state).toBe('delivered');
  });

  it("audits every refused callback with its status and why, never the token nor the body's personal data", async () => {
    const wrongToken = 'a-guessed-token-that-must-never-be-kept-0001';
    const cases: {
      readonly request: () => Request;
      readonly token?: string;
      readonly status: number;
      readonly actor: string;
      readonly reason: RegExp;
    }[] = [
      {
        request: () => post(receipt(), { 'content-type': 'application/json' }),
        status: 401,
        actor: 'anonymous',
        reason: /^no Authorization header$/,
      },
      {
        request: () =>
          post(receipt(), {
            authorization: `Bearer ${wrongToken}`,
            'content-type': 'application/json',
          }),
        status: 401,
        actor: 'anonymous',
        reason: /^wrong bearer token$/,
      },
      {
        request: () =>
          post(receipt(), { authorization: `Basic ${TOKEN}`, 'content-type': 'application/json' }),
        status: 401,
        actor: 'anonymous',
        reason: /not "Bearer <token>"/,
      },
      {
        request: () => post(receipt()),
        token: '',
        status: 503,
        actor: 'anonymous',
        reason: /NOTIFY_CALLBACK_TOKEN is not configured/,
      },
      {
        request: () =>
          post(receipt(), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }),
        status: 415,
        actor: 'system:notify-callback',
        reason: /not JSON/,
      },
      {
        request: () => post(receipt({ padding: 'x'.repeat(MAX_RECEIPT_BYTES) })),
        status: 413,
        actor: 'system:notify-callback',
        reason: /larger than/,
      },
      {
        request: () => post('{"to": "+447700900123", '),
        status: 400,
        actor: 'system:notify-callback',
        reason: /not valid JSON/,
      },
      {
        request: () => post(receipt({ id: 'not-a-uuid', status: 'lost' })),
        status: 400,
        actor: 'system:notify-callback',
        reason: /not a Notify delivery receipt/,
      },
      {
        request: () =>
          post(receipt({ id: '11111111-2222-4333-8444-555555555555', reference: 'msg-unknown' })),
        status: 404,
        actor: 'system:notify-callback',
        reason: /no patient message has this Notify id/,
      },
    ];
    for (const c of cases) {
      const before = (await db.auditEntry.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0n;
      const response = await handleNotifyReceipt(c.request(), {
        db,
        token: c.token ?? TOKEN,
        now: NOW,
      });
      expect(response.status, String(c.reason)).toBe(c.status);
      const rows = await db.auditEntry.findMany({ where: { id: { gt: before } } });
      expect(rows, String(c.reason)).toHaveLength(1);
      const [row] = rows;
      expect(row).toMatchObject({
        actor: c.actor,
        action: 'access.refused',
        entityType: 'callback',
        entityId: 'notify.delivery-receipt',
        patientId: null,
        at: NOW,
      });
      const after = row?.after as { status: number; reason: string; operation: string };
      expect(after.status).toBe(c.status);
      expect(after.operation).toBe('POST /api/notify/delivery-receipts');
      expect(after.reason).toMatch(c.reason);
      const kept = JSON.stringify({ ...row, id: String(row?.id) });
      for (const secret of [TOKEN, wrongToken, '+447700900123', 'msg-unknown', 'xxxxxxxx']) {
        expect(kept, String(c.reason)).not.toContain(secret);
      }
    }
    // What was wrong is named by field; the unknown message by Notify's id.
    const refusals = await db.auditEntry.findMany({
      where: { action: 'access.refused', entityType: 'callback' },
      orderBy: { id: 'desc' },
      take: 2,
    });
    expect(refusals[0]?.after).toMatchObject({ notifyId: '11111111-2222-4333-8444-555555555555' });
    const issues = (refusals[1]?.after as { issues?: string[] } | undefined)?.issues ?? [];
    expect(issues.join('\n')).toMatch(/^id: /m);
    expect((await db.patientMessage.findUniqueOrThrow({ where: { id: 'msg-1' } })).state).toBe(
      'sent',
    );
  });

  it('is served by POST /api/notify/delivery-receipts with the token from the configuration', async () => {
    process.env.DATABASE_URL = database.url;
    process.env.NOTIFY_CALLBACK_TOKEN = TOKEN;
    const route = await import('../app/api/notify/delivery-receipts/route');
    const ok = await route.POST(post(receipt()));
    expect(ok.status).toBe(200);
    const refused = await route.POST(
      post(receipt(), { authorization: 'Bearer wrong', 'content-type': 'application/json' }),
    );
    expect(refused.status).toBe(401);
  });
});
