import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { openTestDatabase } from '../testing/test-database.js';
import { clientAddress } from './client-address.js';
import { hashPassword } from './password.js';
import { authenticate, revokeSessionsOf, signIn, signOut } from './sessions.js';

let db: Database;
let close: () => Promise<void>;
const PASSWORD = 'correct horse battery';
const T0 = new Date('2026-11-20T09:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('sessions'));
  const passwordHash = await hashPassword(PASSWORD);
  await db.user.createMany({
    data: [
      { id: 'n1', email: 'Nurse.One@fls.test', name: 'Nurse One', role: 'nurse', passwordHash },
      { id: 'n2', email: 'nurse.two@fls.test', name: 'Nurse Two', role: 'nurse', passwordHash },
      { id: 'n3', email: 'nurse.three@fls.test', name: 'N3', role: 'nurse', passwordHash },
      {
        id: 'gone',
        email: 'gone@fls.test',
        name: 'Gone',
        role: 'admin',
        passwordHash,
        active: false,
      },
    ],
  });
});
afterAll(() => close());

describe('signing in', () => {
  it('starts a session for the right password; only the token’s hash is stored', async () => {
    const result = await signIn(
      db,
      {
        email: '  nurse.one@FLS.test ',
        password: PASSWORD,
        clientIp: '10.0.0.1',
        userAgent: 'test',
      },
      { now: T0 },
    );
    if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
    expect(result.user).toEqual({
      id: 'n1',
      email: 'Nurse.One@fls.test',
      name: 'Nurse One',
      role: 'nurse',
      mustChangePassword: false,
    });
    expect(result.expiresAt).toEqual(at(12 * 60));
    const stored = await db.session.findMany({ where: { userId: 'n1' } });
    expect(stored.map((s) => s.id)).toEqual([
      createHash('sha256').update(result.token).digest('hex'),
    ]);
    expect(JSON.stringify(stored)).not.toContain(result.token);
    expect(await authenticate(db, result.token, { now: at(1) })).toMatchObject({
      user: { id: 'n1' },
    });
    expect(await db.auditEntry.count({ where: { action: 'user.signed-in', actor: 'n1' } })).toBe(1);
  });

  it('refuses a wrong password, an unknown address and a deactivated account alike', async () => {
    const refused = { ok: false, reason: 'invalid-credentials' };
    expect(
      await signIn(db, { email: 'nurse.two@fls.test', password: 'wrong' }, { now: T0 }),
    ).toEqual(refused);
    expect(await signIn(db, { email: 'nobody@fls.test', password: PASSWORD }, { now: T0 })).toEqual(
      refused,
    );
    expect(await signIn(db, { email: 'gone@fls.test', password: PASSWORD }, { now: T0 })).toEqual(
      refused,
    );
    expect(await signIn(db, { email: '', password: '' }, { now: T0 })).toEqual(refused);
    expect(await db.session.count({ where: { userId: { in: ['n2', 'gone'] } } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: 'user.sign-in-refused' } })).toBe(4);
  });

  it('locks an account after too many failures, even for the right password, until the window passes', async () => {
    const policy = { maxFailuresPerAccount: 3, failureWindowMs: 15 * MINUTE };
    for (const minute of [0, 1, 2]) {
      await signIn(
        db,
        { email: 'nurse.three@fls.test', password: 'nope' },
        { now: at(100 + minute), policy },
      );
    }
    const locked = await signIn(
      db,
      { email: 'nurse.three@fls.test', password: PASSWORD },
      { now: at(103), policy },
    );
    // The oldest of the last three failures was at minute 100, so the lock ends at minute 115.
    expect(locked).toEqual({ ok: false, reason: 'too-many-attempts', retryAfterSeconds: 12 * 60 });
    const later = await signIn(
      db,
      { email: 'nurse.three@fls.test', password: PASSWORD },
      { now: at(115), policy },
    );
    expect(later.ok).toBe(true);
  });

  it('limits one client address across accounts', async () => {
    const policy = { maxFailuresPerClient: 2 };
    const from = { clientIp: '192.0.2.7' };
    await signIn(db, { email: 'a@fls.test', password: 'x', ...from }, { now: at(200), policy });
    await signIn(db, { email: 'b@fls.test', password: 'x', ...from }, { now: at(201), policy });
    const blocked = await signIn(
      db,
      { email: 'nurse.two@fls.test', password: PASSWORD, ...from },
      { now: at(202), policy },
    );
    expect(blocked).toMatchObject({ ok: false, reason: 'too-many-attempts' });
    const elsewhere = await signIn(
      db,
      { email: 'nurse.two@fls.test', password: PASSWORD, clientIp: '192.0.2.8' },
      { now: at(202), policy },
    );
    expect(elsewhere.ok).toBe(true);
  });

  it('cannot be raced: parallel attempts after serial failures are checked only up to the limit', async () => {
    const policy = { maxFailuresPerAccount: 5 };
    await db.user.create({
      data: {
        id: 'racer',
        email: 'racer@fls.test',
        name: 'Racer',
        role: 'nurse',
        passwordHash: await hashPassword(PASSWORD),
      },
    });
    for (const second of [0, 1, 2, 3]) {
      await signIn(
        db,
        { email: 'racer@fls.test', password: 'guess' },
        { now: new Date(at(300).getTime() + second * 1000), policy },
      );
    }
    // Eight at once, the right password among them: one more attempt fits under the limit of 5.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        signIn(
          db,
          { email: 'racer@fls.test', password: i === 7 ? PASSWORD : 'guess' },
          { now: at(301), policy },
        ),
      ),
    );
    const checked = results.filter((r) => r.ok || r.reason === 'invalid-credentials');
    expect(checked).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'too-many-attempts')).toHaveLength(7);
    expect(await db.signInAttempt.count({ where: { email: 'racer@fls.test' } })).toBe(5);
  });

  it('behind one proxy, counts a client by the address the proxy saw, not the one it forged', async () => {
    const policy = { maxFailuresPerClient: 3 };
    // The client writes a different leftmost X-Forwarded-For each time; the proxy appends its
    // real address (203.0.113.50), which is the entry trusted with TRUSTED_PROXY_COUNT=1.
    for (const n of [1, 2, 3]) {
      const forwarded = `198.51.100.${n}, 203.0.113.50`;
      await signIn(
        db,
        { email: `guess-${n}@fls.test`, password: 'x', clientIp: clientAddress(forwarded, 1) },
        { now: at(400 + n), policy },
      );
    }
    const forged = await signIn(
      db,
      {
        email: 'nurse.two@fls.test',
        password: PASSWORD,
        clientIp: clientAddress('192.0.2.200, 203.0.113.50', 1),
      },
      { now: at(404), policy },
    );
    expect(forged).toMatchObject({ ok: false, reason: 'too-many-attempts' });
    expect(
      await db.signInAttempt.count({ where: { clientIp: { startsWith: '198.51.100.' } } }),
    ).toBe(0);
    // Another client behind the same proxy is not affected.
    const neighbour = await signIn(
      db,
      {
        email: 'nurse.two@fls.test',
        password: PASSWORD,
        clientIp: clientAddress('203.0.113.51', 1),
      },
      { now: at(404), policy },
    );
    expect(neighbour.ok).toBe(true);
  });
});

describe('sessions', () => {
  async function session(minute: number) {
    const result = await signIn(
      db,
      { email: 'nurse.two@fls.test', password: PASSWORD },
      { now: at(minute) },
    );
    if (!result.ok) throw new Error('sign-in refused');
    return result.token;
  }

  it('end after an hour without use, and twelve hours after sign-in however used', async () => {
    const idle = await session(300);
    expect(await authenticate(db, idle, { now: at(359) })).toBeDefined();
    // Used at 359, so idle from then on.
    expect(await authenticate(db, idle, { now: at(418) })).toBeDefined();
    expect(await authenticate(db, idle, { now: at(478) })).toBeUndefined();

    const busy = await session(500);
    for (let minute = 530; minute < 500 + 12 * 60; minute += 30) {
      expect(await authenticate(db, busy, { now: at(minute) })).toBeDefined();
    }
    expect(await authenticate(db, busy, { now: at(500 + 12 * 60) })).toBeUndefined();
  });

  it('end on sign-out, on revocation, and when the account is deactivated', async () => {
    const one = await session(1500);
    await signOut(db, one, at(1501));
    expect(await authenticate(db, one, { now: at(1502) })).toBeUndefined();

    const two = await session(1500);
    expect(await revokeSessionsOf(db, 'n2', at(1501))).toBeGreaterThanOrEqual(1);
    expect(await authenticate(db, two, { now: at(1502) })).toBeUndefined();

    const three = await session(1600);
    await db.user.update({ where: { id: 'n2' }, data: { active: false } });
    expect(await authenticate(db, three, { now: at(1601) })).toBeUndefined();
    await db.user.update({ where: { id: 'n2' }, data: { active: true } });

    expect(await authenticate(db, undefined)).toBeUndefined();
    expect(await authenticate(db, 'made-up-token')).toBeUndefined();
    await signOut(db, undefined);
  });
});
