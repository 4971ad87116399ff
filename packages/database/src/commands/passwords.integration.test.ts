import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticate, signIn } from '../auth/sessions.js';
import type { Database } from '../client.js';
import type { RecordError } from '../records/errors.js';
import { openTestDatabase } from '../testing/test-database.js';
import { changeOwnPassword } from './change-own-password.js';
import { createApiKey } from './create-api-key.js';
import { createUser } from './create-user.js';
import { resetUserPassword } from './reset-password.js';

let db: Database;
let close: () => Promise<void>;
const PASSWORD = 'copper kettle orbit meadow';
const T0 = new Date('2026-05-04T08:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let adminId: string;
let nurseId: string;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('password_commands'));
  const add = async (email: string, name: string, role: 'admin' | 'nurse') =>
    (await createUser(db, { email, name, role, password: PASSWORD }, 'system:test')).id;
  adminId = await add('ada@fls.test', 'Ada Admin', 'admin');
  nurseId = await add('nina@fls.test', 'Nina Nurse', 'nurse');
});
afterAll(() => close());

// Each sign-in and password change hashes with scrypt on purpose: slow on a shared machine.
vi.setConfig({ testTimeout: 180_000 });

const failure = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as RecordError,
  );

const session = async (email: string, password: string, at: Date) => {
  const result = await signIn(db, { email, password }, { now: at });
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return result;
};

describe('the password policy on new accounts', () => {
  it('refuses "aaaaaaaaaaaa" and "password1234" with the reason', async () => {
    for (const password of ['aaaaaaaaaaaa', 'password1234']) {
      const error = await failure(
        createUser(db, { email: 'x@fls.test', name: 'X', role: 'nurse', password }, 'system:test'),
      );
      expect(error.code).toBe('invalid-input');
      expect(error.issues).toEqual([
        { path: 'password', message: expect.stringMatching(/^is too easy to guess: /) },
      ]);
    }
    expect(await db.user.count({ where: { email: 'x@fls.test' } })).toBe(0);
  });
});

describe('changing your own password', () => {
  it('needs the current password and a new one that meets the policy, naming both problems', async () => {
    const error = await failure(
      changeOwnPassword(db, nurseId, { currentPassword: 'not it', newPassword: 'password1234' }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.issues).toEqual([
      { path: 'currentPassword', message: 'is not your current password' },
      { path: 'newPassword', message: expect.stringMatching(/^is too easy to guess: /) },
    ]);
    const same = await failure(
      changeOwnPassword(db, nurseId, { currentPassword: PASSWORD, newPassword: PASSWORD }),
    );
    expect(same.issues).toEqual([
      { path: 'newPassword', message: 'must be different from your current password' },
    ]);
  });

  it('changes it, keeps this session and ends the others, and audits it', async () => {
    const here = await session('nina@fls.test', PASSWORD, T0);
    const elsewhere = await session('nina@fls.test', PASSWORD, later(1));
    const NEW = 'lantern pebble saffron quay';
    const changed = await changeOwnPassword(
      db,
      nurseId,
      { currentPassword: PASSWORD, newPassword: NEW, keepSessionToken: here.token },
      later(2),
    );
    expect(changed).toEqual({ userId: nurseId, sessionsEnded: 1 });
    expect(await authenticate(db, here.token, { now: later(3) })).toBeDefined();
    expect(await authenticate(db, elsewhere.token, { now: later(3) })).toBeUndefined();
    expect(
      await signIn(db, { email: 'nina@fls.test', password: PASSWORD }, { now: later(4) }),
    ).toMatchObject({ ok: false });
    await session('nina@fls.test', NEW, later(5));
    const entry = await db.auditEntry.findFirstOrThrow({
      where: { action: 'user.password-changed', entityId: nurseId },
    });
    expect(entry).toMatchObject({ actor: nurseId, after: { sessionsEnded: 1 } });
    // Back to the shared password for the tests below.
    await changeOwnPassword(db, nurseId, { currentPassword: NEW, newPassword: PASSWORD });
  });
});

describe("an administrator's reset", () => {
  it('sets a temporary password, ends every session and forces a change at the next sign-in', async () => {
    const before = await session('nina@fls.test', PASSWORD, later(10));
    const TEMPORARY = 'walnut harbour cinder plume';
    const reset = await resetUserPassword(
      db,
      adminId,
      { userId: nurseId, temporaryPassword: TEMPORARY },
      later(11),
    );
    expect(reset).toEqual({ userId: nurseId, sessionsEnded: 1 });
    expect(await authenticate(db, before.token, { now: later(12) })).toBeUndefined();
    const signedIn = await session('nina@fls.test', TEMPORARY, later(13));
    expect(signedIn.user.mustChangePassword).toBe(true);
    expect(await db.auditEntry.count({ where: { action: 'user.password-reset' } })).toBe(1);

    await changeOwnPassword(db, nurseId, {
      currentPassword: TEMPORARY,
      newPassword: PASSWORD,
      keepSessionToken: signedIn.token,
    });
    expect(
      (await authenticate(db, signedIn.token, { now: later(14) }))?.user.mustChangePassword,
    ).toBe(false);
  });

  it('is refused to a non-administrator, for your own account, for an API key, and for a weak password', async () => {
    const byNurse = await failure(
      resetUserPassword(db, nurseId, {
        userId: adminId,
        temporaryPassword: 'walnut harbour cinder plume',
      }),
    );
    expect(byNurse).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('Only administrators'),
    });
    expect(
      await db.auditEntry.count({
        where: { actor: nurseId, action: 'access.refused', entityId: 'user.resetPassword' },
      }),
    ).toBe(1);

    const own = await failure(
      resetUserPassword(db, adminId, {
        userId: adminId,
        temporaryPassword: 'walnut harbour cinder plume',
      }),
    );
    expect(own.message).toMatch(/cannot reset your own password/);

    const key = await createApiKey(db, { name: 'Radiology feed', role: 'nurse' }, adminId);
    const integration = await failure(
      resetUserPassword(db, adminId, {
        userId: key.userId,
        temporaryPassword: 'walnut harbour cinder plume',
      }),
    );
    expect(integration).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining("API key's integration user"),
    });
    expect(
      (await db.user.findUniqueOrThrow({ where: { id: key.userId } })).passwordHash,
    ).toBeNull();

    const weak = await failure(
      resetUserPassword(db, adminId, { userId: nurseId, temporaryPassword: 'aaaaaaaaaaaa' }),
    );
    expect(weak.issues).toEqual([
      {
        path: 'temporaryPassword',
        message: expect.stringMatching(/^is too easy to guess: Repeated characters/),
      },
    ]);
    expect((await db.user.findUniqueOrThrow({ where: { id: nurseId } })).mustChangePassword).toBe(
      false,
    );
  });
});
