import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { createUser } from '../commands/create-user.js';
import { RecordError } from '../records/errors.js';
import { openTestDatabase } from '../testing/test-database.js';
import { signIn } from './sessions.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('users'));
});
afterAll(() => close());

describe('creating a user', () => {
  it('stores an active account that can sign in, with its password only hashed, and audits it', async () => {
    const input = {
      email: ' Sam.Patel@FLS.test ',
      name: 'Sam Patel',
      role: 'admin',
      password: 'a long enough secret',
    };
    const user = await createUser(db, input, 'system:test');
    expect(user).toMatchObject({ email: 'sam.patel@fls.test', role: 'admin' });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain('a long enough secret');
    expect(
      await signIn(db, { email: 'sam.patel@fls.test', password: 'a long enough secret' }),
    ).toMatchObject({ ok: true });
    expect(
      await db.auditEntry.count({ where: { action: 'user.created', entityId: user.id } }),
    ).toBe(1);
  });

  it('names every problem with bad input, and refuses a second account for one address', async () => {
    const bad = (await createUser(
      db,
      { email: 'nope', name: '', role: 'doctor', password: 'short' },
      'system:test',
    ).catch((e) => e)) as RecordError;
    expect(bad).toBeInstanceOf(RecordError);
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['email', 'name', 'password', 'role']);
    const again = {
      email: 'sam.patel@fls.test',
      name: 'Sam',
      role: 'nurse',
      password: 'another long secret',
    };
    await expect(createUser(db, again, 'system:test')).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.user.count()).toBe(1);
  });
});
