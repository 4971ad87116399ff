import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands.js';
import { fireFollowUp } from '../follow-ups/fire.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { staffList, unassignedPatientCount } from './users.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('staff_view'));
  await createUsers(db, [
    { id: 'nurse-b', role: 'nurse', name: 'Bea Nurse' },
    { id: 'nurse-a', role: 'nurse', name: 'Ann Nurse' },
    { id: 'nurse-z', role: 'nurse', name: 'Zed Gone' },
    { id: 'admin-1', role: 'admin', name: 'Ada Admin' },
  ]);
  await db.user.update({ where: { id: 'nurse-z' }, data: { active: false } });
});
afterAll(() => close());

describe('the staff list', () => {
  it('lists active staff by name, then inactive, each with caseload and open reminders', async () => {
    const now = new Date('2026-11-17T10:00:00Z');
    for (const [n, nurseId] of [
      [1, 'nurse-a'],
      [2, 'nurse-a'],
      [3, 'nurse-b'],
    ] as const) {
      await enrolPatient(
        db,
        testEnrolment({
          n,
          nurseId,
          fractureDate: '2026-11-16',
          admittedAt: '2026-11-16T12:00:00Z',
        }),
        { actorId: 'admin-1', now },
      );
    }
    const due = await db.followUp.findFirstOrThrow({
      where: { episodeId: 'ep-1', stepKey: 'pain-review-48h', transition: 'due' },
    });
    await fireFollowUp(db, due.id, { now: due.fireAt });

    const { staff, more } = await staffList(db);
    expect(more).toBe(false);
    expect(staff.map((s) => [s.name, s.active, s.caseload, s.openReminders])).toEqual([
      ['Ada Admin', true, 0, 0],
      ['Ann Nurse', true, 2, 1],
      ['Bea Nurse', true, 1, 0],
      ['Zed Gone', false, 0, 0],
    ]);
  });

  it('says when there are more than it shows', async () => {
    const { staff, more } = await staffList(db, 2);
    expect(staff).toHaveLength(2);
    expect(more).toBe(true);
  });
});

describe("nobody's caseload", () => {
  it('counts the patients enrolled without a nurse, and only them', async () => {
    const before = await unassignedPatientCount(db);
    for (const n of [20, 21]) {
      await enrolPatient(db, testEnrolment({ n, nurseId: null, fractureDate: '2026-11-16' }), {
        actorId: 'admin-1',
        now: new Date('2026-11-17T10:00:00Z'),
      });
    }
    expect(await unassignedPatientCount(db)).toBe(before + 2);
    // The staff list's caseloads are unchanged: these patients are no one's.
    const { staff } = await staffList(db);
    expect(staff.reduce((sum, member) => sum + member.caseload, 0)).toBe(3);
  });
});
