import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { fireFollowUp } from '../follow-ups/fire.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { enrolPatient } from './enrol-patient.js';
import { previewCaseloadReassignment, reassignCaseload } from './reassign-caseload.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('caseload'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse' },
    { id: 'nurse-2', role: 'nurse' },
    { id: 'nurse-3', role: 'nurse' },
    { id: 'nurse-gone', role: 'nurse' },
    { id: 'scheduler-1', role: 'scheduler' },
    { id: 'admin-1', role: 'admin' },
  ]);
  await db.user.update({ where: { id: 'nurse-gone' }, data: { active: false } });
});
afterAll(() => close());

const ENROLLED = new Date('2026-11-17T10:00:00Z');
let n = 0;

/**
 * An admitted patient on `nurseId`'s caseload (null: nobody's) whose 48-hour review has fired
 * (a reminder).
 */
async function patientWithReminder(nurseId: string | null) {
  n += 1;
  const input = testEnrolment({
    n,
    nurseId,
    fractureDate: '2026-11-16',
    admittedAt: '2026-11-16T12:00:00Z',
  });
  await enrolPatient(db, input, { actorId: 'admin-1', now: ENROLLED });
  const due = await db.followUp.findFirstOrThrow({
    where: { episodeId: `ep-${n}`, stepKey: 'pain-review-48h', transition: 'due' },
  });
  await fireFollowUp(db, due.id, { now: due.fireAt, emailReminders: true });
  return { patientId: `pat-${n}`, episodeId: `ep-${n}` };
}

const refusal = (work: Promise<unknown>) =>
  work.then(() => undefined).catch((e) => e as RecordError);

describe('reassigning a whole caseload', () => {
  it('moves patients, plan steps, open reminders and unsent e-mails to the new nurse, and audits', async () => {
    const first = await patientWithReminder('nurse-1');
    const second = await patientWithReminder('nurse-1');
    const other = await patientWithReminder('nurse-3');
    // A reminder already resolved and an e-mail already sent are history: they stay as they were.
    const sentDelivery = await db.reminderDelivery.findFirstOrThrow({
      where: { channel: 'email', reminder: { episodeId: second.episodeId } },
    });
    await db.reminderDelivery.update({ where: { id: sentDelivery.id }, data: { state: 'sent' } });

    const preview = await previewCaseloadReassignment(db, { fromNurseId: 'nurse-1' }, 'admin-1');
    const stepsOfFirstTwo = await db.planStep.count({
      where: { episodeId: { in: [first.episodeId, second.episodeId] } },
    });
    expect(preview).toEqual({
      patients: 2,
      planSteps: stepsOfFirstTwo,
      openReminders: 2,
      pendingEmails: 1,
    });

    const result = await reassignCaseload(
      db,
      { fromNurseId: 'nurse-1', toNurseId: 'nurse-2' },
      'admin-1',
    );
    expect(result).toMatchObject({
      ...preview,
      before: { from: 2, to: 0 },
      after: { from: 0, to: 2 },
    });

    const patients = await db.patient.findMany({ where: { nurseId: 'nurse-2' } });
    expect(patients.map((p) => p.id).sort()).toEqual([first.patientId, second.patientId]);
    expect(
      await db.planStep.count({
        where: { episodeId: { in: [first.episodeId, second.episodeId] }, nurseId: 'nurse-1' },
      }),
    ).toBe(0);
    const reminders = await db.reminder.findMany({
      where: { episodeId: { in: [first.episodeId, second.episodeId] } },
      include: { deliveries: true },
    });
    expect(reminders.map((r) => r.nurseId)).toEqual(['nurse-2', 'nurse-2']);
    const emails = reminders.flatMap((r) => r.deliveries.filter((d) => d.channel === 'email'));
    expect(emails.map((d) => [d.state, d.recipient]).sort()).toEqual([
      ['pending', 'nurse-2@fls.test'],
      ['sent', 'nurse-1@fls.test'],
    ]);

    // Another nurse's patient is untouched.
    const untouched = await db.reminder.findFirstOrThrow({
      where: { episodeId: other.episodeId },
    });
    expect(untouched.nurseId).toBe('nurse-3');

    const summary = await db.auditEntry.findFirstOrThrow({
      where: { action: 'caseload.reassigned', entityId: 'nurse-1' },
    });
    expect(summary).toMatchObject({
      actor: 'admin-1',
      before: { fromNurseId: 'nurse-1', toNurseId: 'nurse-2', caseloads: { from: 2, to: 0 } },
      after: {
        caseloads: { from: 0, to: 2 },
        moved: { patients: 2, openReminders: 2, pendingEmails: 1 },
      },
    });
    const perPatient = await db.auditEntry.findMany({
      where: { action: 'patient.nurse-changed' },
      orderBy: { patientId: 'asc' },
    });
    expect(perPatient.map((e) => [e.patientId, e.before, e.after])).toEqual([
      [
        first.patientId,
        { nurseId: 'nurse-1', nurseName: 'nurse-1' },
        { nurseId: 'nurse-2', nurseName: 'nurse-2' },
      ],
      [
        second.patientId,
        { nurseId: 'nurse-1', nurseName: 'nurse-1' },
        { nurseId: 'nurse-2', nurseName: 'nurse-2' },
      ],
    ]);

    // A reminder that fires after the move goes to the new nurse.
    const overdue = await db.followUp.findFirstOrThrow({
      where: { episodeId: first.episodeId, stepKey: 'pain-review-48h', transition: 'overdue' },
    });
    await fireFollowUp(db, overdue.id, { now: overdue.fireAt, emailReminders: true });
    const escalation = await db.reminder.findUniqueOrThrow({
      where: { followUpId: overdue.id },
      include: { deliveries: { where: { channel: 'email' } } },
    });
    expect(escalation.nurseId).toBe('nurse-2');
    expect(escalation.deliveries[0]?.recipient).toBe('nurse-2@fls.test');
  });
});

describe('reassigning selected patients', () => {
  it('moves only the patients named', async () => {
    const stays = await patientWithReminder('nurse-3');
    const moves = await patientWithReminder('nurse-3');
    const result = await reassignCaseload(
      db,
      { fromNurseId: 'nurse-3', toNurseId: 'nurse-2', patientIds: [moves.patientId] },
      'admin-1',
    );
    expect(result).toMatchObject({ patients: 1, openReminders: 1 });
    const nurses = await db.patient.findMany({
      where: { id: { in: [stays.patientId, moves.patientId] } },
      select: { id: true, nurseId: true },
      orderBy: { id: 'asc' },
    });
    expect(Object.fromEntries(nurses.map((p) => [p.id, p.nurseId]))).toEqual({
      [stays.patientId]: 'nurse-3',
      [moves.patientId]: 'nurse-2',
    });
    const reminderOfStaying = await db.reminder.findFirstOrThrow({
      where: { episodeId: stays.episodeId },
    });
    expect(reminderOfStaying.nurseId).toBe('nurse-3');
  });

  it('refuses unknown patients and patients on another caseload, naming them, and moves nothing', async () => {
    const mine = await patientWithReminder('nurse-3');
    const theirs = await patientWithReminder('nurse-2');
    const error = await refusal(
      reassignCaseload(
        db,
        {
          fromNurseId: 'nurse-3',
          toNurseId: 'nurse-2',
          patientIds: [mine.patientId, 'pat-nobody', theirs.patientId],
        },
        'admin-1',
      ),
    );
    expect(error).toBeInstanceOf(RecordError);
    expect(error?.code).toBe('invalid-input');
    expect(error?.issues.map((i) => i.message)).toEqual([
      'names patients that do not exist: pat-nobody',
      `names patients who are not on nurse-3's caseload: ${theirs.patientId}`,
    ]);
    const still = await db.patient.findUniqueOrThrow({ where: { id: mine.patientId } });
    expect(still.nurseId).toBe('nurse-3');
    await expect(
      previewCaseloadReassignment(
        db,
        { fromNurseId: 'nurse-3', patientIds: ['pat-nobody'] },
        'admin-1',
      ),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('refusing a reassignment', () => {
  it('to an inactive user, a non-nurse, an unknown user, or the same nurse', async () => {
    await patientWithReminder('nurse-3');
    const attempt = (toNurseId: string) =>
      refusal(reassignCaseload(db, { fromNurseId: 'nurse-3', toNurseId }, 'admin-1'));
    const cases = {
      'nurse-gone': /is not active \(nurse-gone's account is deactivated\)/,
      'scheduler-1': /is not a nurse \(scheduler-1 is a scheduler\)/,
      'nobody-9': /is not a user \("nobody-9"\)/,
      'nurse-3': /must be a different nurse/,
    };
    for (const [toNurseId, message] of Object.entries(cases)) {
      const error = await attempt(toNurseId);
      expect(error?.code, toNurseId).toBe('invalid-input');
      expect(error?.issues[0]?.path, toNurseId).toBe('toNurseId');
      expect(error?.issues[0]?.message, toNurseId).toMatch(message);
    }
    expect(await db.patient.count({ where: { nurseId: 'nurse-3' } })).toBeGreaterThan(0);
  });

  it('from an unknown user or an empty caseload, with missing fields, or by a non-administrator', async () => {
    expect(
      (await refusal(reassignCaseload(db, { fromNurseId: 'x', toNurseId: 'nurse-2' }, 'admin-1')))
        ?.code,
    ).toBe('not-found');
    const empty = await refusal(
      reassignCaseload(db, { fromNurseId: 'nurse-gone', toNurseId: 'nurse-2' }, 'admin-1'),
    );
    expect(empty?.issues).toEqual([
      { path: 'fromNurseId', message: 'has no patients on the caseload (nurse-gone)' },
    ]);
    const missing = await refusal(reassignCaseload(db, { fromNurseId: ' ' }, 'admin-1'));
    expect(missing?.issues.map((i) => i.path).sort()).toEqual(['fromNurseId', 'toNurseId']);
    const forbidden = await refusal(
      reassignCaseload(db, { fromNurseId: 'nurse-3', toNurseId: 'nurse-2' }, 'nurse-2'),
    );
    expect(forbidden?.code).toBe('forbidden');
    expect(await db.auditEntry.count({ where: { action: 'caseload.reassigned' } })).toBe(2);
  });
});

describe("reassigning nobody's caseload (fromNurseId null)", () => {
  it('moves the patients on no caseload to a nurse, with their plan steps and open reminders, and audits it', async () => {
    // Enrolled without a nurse, as another system's FHIR transaction does without an EpisodeOfCare.
    const first = await patientWithReminder(null);
    const second = await patientWithReminder(null);
    const assigned = await patientWithReminder('nurse-3');
    const episodes = [first.episodeId, second.episodeId];
    expect(
      await db.planStep.count({ where: { episodeId: { in: episodes }, nurseId: null } }),
    ).toBeGreaterThan(0);
    const openBefore = await db.reminder.findMany({
      where: { episodeId: { in: episodes }, status: 'open' },
    });
    expect(openBefore.map((r) => r.nurseId)).toEqual([null, null]);

    const preview = await previewCaseloadReassignment(db, { fromNurseId: null }, 'admin-1');
    const steps = await db.planStep.count({ where: { episodeId: { in: episodes } } });
    expect(preview).toMatchObject({ patients: 2, planSteps: steps, openReminders: 2 });

    const result = await reassignCaseload(
      db,
      { fromNurseId: null, toNurseId: 'nurse-1' },
      'admin-1',
    );
    expect(result).toMatchObject({
      ...preview,
      fromNurseId: null,
      toNurseId: 'nurse-1',
      before: { from: 2 },
      after: { from: 0 },
    });
    const patients = await db.patient.findMany({
      where: { id: { in: [first.patientId, second.patientId, assigned.patientId] } },
      select: { id: true, nurseId: true },
      orderBy: { id: 'asc' },
    });
    expect(Object.fromEntries(patients.map((p) => [p.id, p.nurseId]))).toEqual({
      [first.patientId]: 'nurse-1',
      [second.patientId]: 'nurse-1',
      // A patient on a nurse's caseload is not on nobody's: untouched.
      [assigned.patientId]: 'nurse-3',
    });
    expect(await db.planStep.count({ where: { episodeId: { in: episodes }, nurseId: null } })).toBe(
      0,
    );
    expect(
      await db.planStep.count({ where: { episodeId: { in: episodes }, nurseId: 'nurse-1' } }),
    ).toBe(steps);
    const openAfter = await db.reminder.findMany({
      where: { episodeId: { in: episodes }, status: 'open' },
    });
    expect(openAfter.map((r) => r.nurseId)).toEqual(['nurse-1', 'nurse-1']);

    const summary = await db.auditEntry.findFirstOrThrow({
      where: { action: 'caseload.reassigned', entityId: 'nobody' },
    });
    expect(summary).toMatchObject({
      actor: 'admin-1',
      entityType: 'caseload',
      before: { from: "nobody's caseload", fromNurseId: null, toNurseId: 'nurse-1' },
      after: {
        fromNurseId: null,
        caseloads: { from: 0 },
        moved: { patients: 2, openReminders: 2 },
      },
    });
    const perPatient = await db.auditEntry.findMany({
      where: {
        action: 'patient.nurse-changed',
        patientId: { in: [first.patientId, second.patientId] },
      },
    });
    expect(perPatient.map((e) => [e.before, e.after])).toEqual([
      [
        { nurseId: null, nurseName: null },
        { nurseId: 'nurse-1', nurseName: 'nurse-1' },
      ],
      [
        { nurseId: null, nurseName: null },
        { nurseId: 'nurse-1', nurseName: 'nurse-1' },
      ],
    ]);

    // A reminder that fires after the move goes to the new nurse.
    const overdue = await db.followUp.findFirstOrThrow({
      where: { episodeId: first.episodeId, stepKey: 'pain-review-48h', transition: 'overdue' },
    });
    await fireFollowUp(db, overdue.id, { now: overdue.fireAt, emailReminders: true });
    const escalation = await db.reminder.findUniqueOrThrow({ where: { followUpId: overdue.id } });
    expect(escalation.nurseId).toBe('nurse-1');
  });

  it("refuses selected patients who have a nurse, and an empty nobody's caseload, moving nothing", async () => {
    const unassigned = await patientWithReminder(null);
    const theirs = await patientWithReminder('nurse-2');
    const error = await refusal(
      reassignCaseload(
        db,
        {
          fromNurseId: null,
          toNurseId: 'nurse-3',
          patientIds: [unassigned.patientId, theirs.patientId],
        },
        'admin-1',
      ),
    );
    expect(error?.issues).toEqual([
      {
        path: 'patientIds',
        message: `names patients who are on a nurse's caseload, not on nobody's: ${theirs.patientId}`,
      },
    ]);
    expect(
      (await db.patient.findUniqueOrThrow({ where: { id: unassigned.patientId } })).nurseId,
    ).toBeNull();
    // A scheduler cannot take them, as for any caseload.
    const scheduler = await refusal(
      reassignCaseload(db, { fromNurseId: null, toNurseId: 'scheduler-1' }, 'admin-1'),
    );
    expect(scheduler?.issues[0]?.path).toBe('toNurseId');

    await reassignCaseload(db, { fromNurseId: null, toNurseId: 'nurse-3' }, 'admin-1');
    const empty = await refusal(
      reassignCaseload(db, { fromNurseId: null, toNurseId: 'nurse-3' }, 'admin-1'),
    );
    expect(empty?.issues).toEqual([
      { path: 'fromNurseId', message: "has no patients: no patient is on nobody's caseload" },
    ]);
    expect(await previewCaseloadReassignment(db, { fromNurseId: null }, 'admin-1')).toMatchObject({
      patients: 0,
    });
  });
});
