import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { changeUserRole } from '../commands/change-user-role.js';
import { createUser } from '../commands/create-user.js';
import { deactivateUser } from '../commands/deactivate-user.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { reactivateUser } from '../commands/reactivate-user.js';
import { reassignCaseload } from '../commands/reassign-caseload.js';
import type { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { authenticate, signIn } from './sessions.js';

let db: Database;
let close: () => Promise<void>;
const PASSWORD = 'a long enough secret';
let adminId: string;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('account_admin'));
  adminId = (
    await createUser(
      db,
      { email: 'admin@fls.test', name: 'Ada Admin', role: 'admin', password: PASSWORD },
      'system:test',
    )
  ).id;
});
afterAll(() => close());

let n = 0;
async function staff(role: 'nurse' | 'scheduler' | 'admin', name = `Staff ${n + 1}`) {
  n += 1;
  return (
    await createUser(
      db,
      { email: `staff-${n}@fls.test`, name, role, password: PASSWORD },
      'system:test',
    )
  ).id;
}

const refusal = (work: Promise<unknown>) =>
  work.then(() => undefined).catch((e) => e as RecordError);

describe('deactivating and reactivating a user', () => {
  it('ends their sessions and stops sign-in; reactivating lets them in again; both audited', async () => {
    const id = await staff('scheduler');
    const email = `staff-${n}@fls.test`;
    const session = await signIn(db, { email, password: PASSWORD });
    if (!session.ok) throw new Error('sign-in failed');

    expect(await deactivateUser(db, id, adminId)).toEqual({
      id,
      changed: true,
      sessionsEnded: 1,
    });
    expect(await authenticate(db, session.token)).toBeUndefined();
    expect(await signIn(db, { email, password: PASSWORD })).toMatchObject({ ok: false });
    // Again: nothing to do, nothing audited twice.
    expect(await deactivateUser(db, id, adminId)).toMatchObject({ changed: false });

    expect(await reactivateUser(db, id, adminId)).toEqual({ id, changed: true });
    expect(await signIn(db, { email, password: PASSWORD })).toMatchObject({ ok: true });

    const entries = await db.auditEntry.findMany({
      where: { entityId: id, action: { in: ['user.deactivated', 'user.reactivated'] } },
      orderBy: { id: 'asc' },
    });
    expect(entries.map((e) => [e.action, e.actor, e.before, e.after])).toEqual([
      ['user.deactivated', adminId, { active: true }, { active: false, sessionsEnded: 1 }],
      ['user.reactivated', adminId, { active: false }, { active: true }],
    ]);
  });

  it('refuses a nurse who still has a caseload, saying so, until it is reassigned', async () => {
    const leaving = await staff('nurse', 'Nia Leaving');
    const staying = await staff('nurse', 'Sam Staying');
    await enrolPatient(db, testEnrolment({ n: 1, nurseId: leaving }), { actorId: adminId });

    const error = await refusal(deactivateUser(db, leaving, adminId));
    expect(error?.code).toBe('conflict');
    expect(error?.message).toBe(
      'Nia Leaving still has 1 patient on their caseload. Reassign the caseload to another nurse first, then deactivate the account.',
    );
    expect((await db.user.findUniqueOrThrow({ where: { id: leaving } })).active).toBe(true);

    await reassignCaseload(db, { fromNurseId: leaving, toNurseId: staying }, adminId);
    expect(await deactivateUser(db, leaving, adminId)).toMatchObject({ changed: true });
  });

  it('refuses an administrator deactivating themself, a non-administrator, and an unknown user', async () => {
    const self = await refusal(deactivateUser(db, adminId, adminId));
    expect(self?.code).toBe('forbidden');
    expect(self?.message).toMatch(/cannot deactivate your own account/);
    expect((await db.user.findUniqueOrThrow({ where: { id: adminId } })).active).toBe(true);

    const nurse = await staff('nurse');
    const scheduler = await staff('scheduler');
    expect((await refusal(deactivateUser(db, scheduler, nurse)))?.code).toBe('forbidden');
    expect((await db.user.findUniqueOrThrow({ where: { id: scheduler } })).active).toBe(true);
    expect((await refusal(deactivateUser(db, 'nobody', adminId)))?.code).toBe('not-found');
  });
});

describe("changing a user's role", () => {
  it('changes and audits it; the same role again changes nothing', async () => {
    const id = await staff('scheduler');
    expect(await changeUserRole(db, { userId: id, role: 'nurse' }, adminId)).toEqual({
      id,
      changed: true,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).role).toBe('nurse');
    expect(await changeUserRole(db, { userId: id, role: 'nurse' }, adminId)).toEqual({
      id,
      changed: false,
    });
    const entries = await db.auditEntry.findMany({
      where: { entityId: id, action: 'user.role-changed' },
    });
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [{ role: 'scheduler' }, { role: 'nurse' }],
    ]);
  });

  it('refuses an unknown role, their own role, and a scheduler role while a caseload remains', async () => {
    const nurse = await staff('nurse', 'Kim Caseload');
    await enrolPatient(db, testEnrolment({ n: 2, nurseId: nurse }), { actorId: adminId });
    const bad = await refusal(changeUserRole(db, { userId: nurse, role: 'doctor' }, adminId));
    expect(bad?.issues).toEqual([{ path: 'role', message: 'must be nurse, scheduler or admin' }]);
    const own = await refusal(changeUserRole(db, { userId: adminId, role: 'nurse' }, adminId));
    expect(own?.code).toBe('forbidden');
    const withCaseload = await refusal(
      changeUserRole(db, { userId: nurse, role: 'scheduler' }, adminId),
    );
    expect(withCaseload?.code).toBe('conflict');
    expect(withCaseload?.message).toMatch(/^Kim Caseload still has 1 patient on their caseload/);
    // An administrator may hold a caseload (enrolment accepts one as the responsible nurse).
    expect(await changeUserRole(db, { userId: nurse, role: 'admin' }, adminId)).toMatchObject({
      changed: true,
    });
  });
});
