import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { runCommand } from './run-command.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('run_command'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse' },
    { id: 'nurse-gone', role: 'nurse' },
    { id: 'admin-1', role: 'admin' },
  ]);
  await db.user.update({ where: { id: 'nurse-gone' }, data: { active: false } });
});
afterAll(() => close());

const settingAudit = { action: 'test.touched', entityType: 'test', entityId: 'x' };

describe('runCommand', () => {
  it('runs permitted work and writes its audit entries under the actor, in its transaction', async () => {
    const result = await runCommand(db, 'admin-1', 'settings.change', async (scope) => {
      await scope.audit(settingAudit);
      return scope.actor;
    });
    expect(result).toEqual({ id: 'admin-1', role: 'admin', kind: 'person' });
    const rows = await db.auditEntry.findMany({ where: { action: 'test.touched' } });
    expect(rows.map((row) => row.actor)).toEqual(['admin-1']);
  });

  it("refuses with the permission table's reason, stores nothing, and audits the refusal", async () => {
    const attempt = runCommand(db, 'nurse-1', 'settings.change', async (scope) => {
      await scope.audit({ ...settingAudit, entityId: 'refused' });
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('Only administrators'),
    });
    expect(await db.auditEntry.count({ where: { entityId: 'refused' } })).toBe(0);
    const refusal = await db.auditEntry.findFirstOrThrow({
      where: { actor: 'nurse-1', action: 'access.refused' },
    });
    expect(refusal.entityId).toBe('settings.change');
  });

  it('refuses an inactive or unknown user whatever the action', async () => {
    for (const actor of ['nurse-gone', 'nobody']) {
      await expect(
        runCommand(db, actor, 'password.changeOwn', async (scope) => scope.audit(settingAudit)),
      ).rejects.toBeInstanceOf(RecordError);
    }
  });

  it('rolls back work that writes no audit entry', async () => {
    await expect(
      runCommand(db, 'admin-1', 'settings.change', async (scope) => {
        await scope.tx.user.update({ where: { id: 'nurse-1' }, data: { name: 'Changed' } });
      }),
    ).rejects.toThrow(/wrote no audit entry/);
    expect((await db.user.findUniqueOrThrow({ where: { id: 'nurse-1' } })).name).not.toBe(
      'Changed',
    );
  });
});
