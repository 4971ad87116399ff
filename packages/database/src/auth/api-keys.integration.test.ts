import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { createApiKey } from '../commands/create-api-key.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import { revokeApiKey } from '../commands/revoke-api-key.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { API_KEY_TOUCH_EVERY_MS, authenticateApiKey } from './api-keys.js';
import { signIn } from './sessions.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('api_keys'));
  await createUsers(db);
});
afterAll(() => close());

const NOW = new Date('2026-11-17T10:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe('creating an API key', () => {
  it('returns the secret once, stores only its hash and prefix, makes a password-less integration user, and audits it', async () => {
    const key = await createApiKey(
      db,
      { name: ' Radiology alerts ', role: 'nurse' },
      'admin-1',
      NOW,
    );
    expect(key.secret).toMatch(/^vfx_[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(key.secret.slice(0, 12));
    expect(key.name).toBe('Radiology alerts');

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key.secret);
    expect(row).toMatchObject({ role: 'nurse', createdById: 'admin-1', revokedAt: null });

    const user = await db.user.findUniqueOrThrow({ where: { id: key.userId } });
    expect(user).toMatchObject({ name: 'API: Radiology alerts', role: 'nurse', active: true });
    expect(user.passwordHash).toBeNull();
    // No password: nobody can sign in as the integration user, whatever they type.
    expect(await signIn(db, { email: user.email, password: '' }, { now: NOW })).toMatchObject({
      ok: false,
    });

    const entries = await db.auditEntry.findMany({ where: { entityId: key.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'admin-1', action: 'api-key.created' });
    const logged = JSON.stringify(entries.map(({ before, after }) => ({ before, after })));
    expect(logged).not.toContain(key.secret);
    expect(logged).not.toContain(row.secretHash);
  });

  it('names every problem with the input and stores nothing', async () => {
    const before = await db.apiKey.count();
    const error = (await createApiKey(db, { name: '', role: 'doctor' }, 'admin-1').catch(
      (e) => e,
    )) as RecordError;
    expect(error).toBeInstanceOf(RecordError);
    expect(error.code).toBe('invalid-input');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['name', 'role']);
    expect(await db.apiKey.count()).toBe(before);
  });

  it("refuses a second working key with the same name, but allows reusing a revoked key's name", async () => {
    const first = await createApiKey(db, { name: 'Audit export', role: 'nurse' }, 'admin-1');
    await expect(
      createApiKey(db, { name: 'audit EXPORT', role: 'scheduler' }, 'admin-1'),
    ).rejects.toMatchObject({ code: 'conflict', issues: [{ path: 'name' }] });
    await revokeApiKey(db, first.id, 'admin-1');
    await expect(
      createApiKey(db, { name: 'Audit export', role: 'nurse' }, 'admin-1'),
    ).resolves.toMatchObject({ name: 'Audit export' });
  });

  it('is refused to anyone but an active administrator', async () => {
    await expect(createApiKey(db, { name: 'EHR', role: 'nurse' }, 'nurse-1')).rejects.toMatchObject(
      { code: 'forbidden' },
    );
    await expect(createApiKey(db, { name: 'EHR', role: 'nurse' }, 'nobody')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('authenticating with a key', () => {
  it('knows a valid secret and acts as its integration user; refuses unknown and malformed ones', async () => {
    const key = await createApiKey(db, { name: 'EHR', role: 'scheduler' }, 'admin-1', NOW);
    const principal = await authenticateApiKey(db, key.secret, NOW);
    expect(principal).toMatchObject({
      keyId: key.id,
      keyName: 'EHR',
      user: { id: key.userId, role: 'scheduler', name: 'API: EHR' },
    });
    expect(await authenticateApiKey(db, undefined, NOW)).toBeUndefined();
    expect(await authenticateApiKey(db, 'not a key', NOW)).toBeUndefined();
    const forged = `${key.secret.slice(0, -1)}${key.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await authenticateApiKey(db, forged, NOW)).toBeUndefined();
  });

  it('records the last use at most once a minute', async () => {
    const key = await createApiKey(db, { name: 'Busy feed', role: 'nurse' }, 'admin-1', NOW);
    const lastUsed = async () =>
      (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt?.toISOString();
    expect(await lastUsed()).toBeUndefined();
    await authenticateApiKey(db, key.secret, at(0));
    expect(await lastUsed()).toBe(at(0).toISOString());
    await authenticateApiKey(db, key.secret, at(API_KEY_TOUCH_EVERY_MS - 1));
    expect(await lastUsed()).toBe(at(0).toISOString());
    await authenticateApiKey(db, key.secret, at(API_KEY_TOUCH_EVERY_MS));
    expect(await lastUsed()).toBe(at(API_KEY_TOUCH_EVERY_MS).toISOString());
  });

  it('attributes what the key records to its integration user', async () => {
    const key = await createApiKey(db, { name: 'Fracture feed', role: 'nurse' }, 'admin-1', NOW);
    await enrolPatient(db, testEnrolment({ n: 1 }), { actorId: key.userId, now: NOW });
    const { event } = await recordEvent(
      db,
      {
        episodeId: 'ep-1',
        event: { type: 'closure', reason: 'transferred', occurredAt: NOW.toISOString() },
      },
      { actorId: key.userId, now: at(60_000) },
    );
    expect(event.recordedBy).toBe(key.userId);
    const row = await db.clinicalEvent.findUniqueOrThrow({
      where: { id: event.id },
      include: { recordedBy: true },
    });
    expect(row.recordedBy.name).toBe('API: Fracture feed');
  });
});

describe('revoking a key', () => {
  it('stops the key at once, deactivates its user so it can write nothing, audits once, and is idempotent', async () => {
    const key = await createApiKey(db, { name: 'Old EHR link', role: 'nurse' }, 'admin-1', NOW);
    const revoked = await revokeApiKey(db, key.id, 'admin-1', at(1000));
    expect(revoked.revokedAt.toISOString()).toBe(at(1000).toISOString());
    expect(await authenticateApiKey(db, key.secret, at(2000))).toBeUndefined();
    expect((await db.user.findUniqueOrThrow({ where: { id: key.userId } })).active).toBe(false);
    await expect(
      enrolPatient(db, testEnrolment({ n: 2 }), { actorId: key.userId, now: at(3000) }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    const again = await revokeApiKey(db, key.id, 'admin-1', at(5000));
    expect(again.revokedAt.toISOString()).toBe(at(1000).toISOString());
    const entries = await db.auditEntry.findMany({
      where: { entityId: key.id, action: 'api-key.revoked' },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actor).toBe('admin-1');
  });

  it('refuses an unknown key and a non-administrator', async () => {
    await expect(revokeApiKey(db, 'no-such-key', 'admin-1')).rejects.toMatchObject({
      code: 'not-found',
    });
    const key = await createApiKey(db, { name: 'Kept', role: 'nurse' }, 'admin-1', NOW);
    await expect(revokeApiKey(db, key.id, 'scheduler-1')).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await authenticateApiKey(db, key.secret, NOW)).toBeDefined();
  });
});
