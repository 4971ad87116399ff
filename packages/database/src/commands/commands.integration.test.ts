// Every command through runCommand: refused for the wrong role with the permission table's reason
// (and the refusal audited, nothing else written), API keys' integration users kept out of role
// changes and caseloads, and each permitted command's audit entry in its own transaction.
import { type Action, type Actor, type PermissionContext, permission } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import type { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { changeUserRole } from './change-user-role.js';
import { createApiKey } from './create-api-key.js';
import { createHashedUser, createUser } from './create-user.js';
import { deactivateUser } from './deactivate-user.js';
import { enrolPatient, enrolPatients } from './enrol-patient.js';
import { reactivateUser } from './reactivate-user.js';
import { previewCaseloadReassignment, reassignCaseload } from './reassign-caseload.js';
import { previewEvent, recordEvent } from './record-event.js';
import { revokeApiKey } from './revoke-api-key.js';
import { setEstimatedYearlyCaseload } from './set-estimated-yearly-caseload.js';

const NOW = new Date('2026-11-17T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

let db: Database;
let close: () => Promise<void>;
/** An API key's integration user, with the role admin; and a revoked key's (inactive) one. */
let keyUser: string;
let revokedKeyUser: string;
let keyId: string;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('commands'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse' },
    { id: 'nurse-2', role: 'nurse' },
    { id: 'nurse-gone', role: 'nurse' },
    { id: 'scheduler-1', role: 'scheduler' },
    { id: 'scheduler-2', role: 'scheduler' },
    { id: 'admin-1', role: 'admin' },
    // Their audit entries fail (the trigger below), so their commands must leave nothing.
    { id: 'nurse-doomed', role: 'nurse' },
    { id: 'admin-doomed', role: 'admin' },
  ]);
  await db.user.update({ where: { id: 'nurse-gone' }, data: { active: false } });
  await enrolPatient(db, testEnrolment({ n: 1, nurseId: 'nurse-1' }), {
    actorId: 'nurse-1',
    now: NOW,
  });
  const key = await createApiKey(db, { name: 'Radiology alerts', role: 'admin' }, 'admin-1', NOW);
  keyUser = key.userId;
  keyId = key.id;
  const revoked = await createApiKey(db, { name: 'Old PAS feed', role: 'nurse' }, 'admin-1', NOW);
  await revokeApiKey(db, revoked.id, 'admin-1', NOW);
  revokedKeyUser = revoked.userId;

  await db.$executeRawUnsafe(`
    CREATE FUNCTION fail_doomed_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.actor LIKE '%-doomed' THEN
        RAISE EXCEPTION 'the audit log refuses % (a test of the command''s transaction)', NEW.actor;
      END IF;
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(`
    CREATE TRIGGER fail_doomed_audit BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION fail_doomed_audit()`);
});
afterAll(() => close());

/** Everything a command could write, except the audit log's refusals. */
async function state() {
  return {
    users: await db.user.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, role: true, active: true },
    }),
    patients: await db.patient.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, nurseId: true },
    }),
    episodes: await db.episode.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, version: true },
    }),
    events: await db.clinicalEvent.count(),
    planSteps: await db.planStep.findMany({
      orderBy: [{ episodeId: 'asc' }, { key: 'asc' }],
      select: { episodeId: true, key: true, nurseId: true, planVersion: true },
    }),
    followUps: await db.followUp.count(),
    outbox: await db.outboxMessage.count(),
    reminders: await db.reminder.findMany({ select: { id: true, nurseId: true } }),
    apiKeys: await db.apiKey.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, revokedAt: true },
    }),
    settings: await db.serviceSetting.findMany(),
    audit: await db.auditEntry.count({ where: { action: { not: 'access.refused' } } }),
  };
}

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error) => error as RecordError,
  );

const person = (id: string, role: Actor['role']): Actor => ({ id, role, kind: 'person' });

const pain = () => ({
  type: 'pain-assessment',
  occurredAt: later(5).toISOString(),
  nrsAtRest: 3,
  nrsOnActivity: 5,
  functionalLimitation: 'mild',
});
const reschedule = () => ({
  type: 'step-rescheduled',
  stepKey: 'fracture-risk-assessment',
  remindOn: '2026-12-01',
  reason: 'Clinic closed',
  occurredAt: later(5).toISOString(),
});

interface Case {
  readonly command: string;
  readonly action: Action;
  readonly actor: Actor;
  readonly context?: PermissionContext;
  readonly run: (actorId: string) => Promise<unknown>;
}

/** Each command (and each command's preview), tried by a role the table does not allow. */
const WRONG_ROLE: readonly Case[] = [
  {
    command: 'enrolPatient',
    action: 'patient.enrol',
    actor: person('scheduler-1', 'scheduler'),
    run: (actorId) => enrolPatient(db, testEnrolment({ n: 50 }), { actorId, now: later(1) }),
  },
  {
    command: 'enrolPatients',
    action: 'patient.enrol',
    actor: person('scheduler-1', 'scheduler'),
    run: (actorId) =>
      enrolPatients(db, [testEnrolment({ n: 51 }), testEnrolment({ n: 52 })], {
        actorId,
        now: later(1),
      }),
  },
  {
    command: 'recordEvent (a clinical entry)',
    action: 'entry.record',
    actor: person('scheduler-1', 'scheduler'),
    context: { entryType: 'pain-assessment' },
    run: (actorId) =>
      recordEvent(db, { episodeId: 'ep-1', event: pain() }, { actorId, now: later(10) }),
  },
  {
    command: 'recordEvent (a scheduling entry)',
    action: 'entry.record',
    actor: person('nurse-1', 'nurse'),
    context: { entryType: 'step-rescheduled' },
    run: (actorId) =>
      recordEvent(db, { episodeId: 'ep-1', event: reschedule() }, { actorId, now: later(10) }),
  },
  {
    command: 'previewEvent',
    action: 'entry.record',
    actor: person('scheduler-1', 'scheduler'),
    context: { entryType: 'pain-assessment' },
    run: (actorId) =>
      previewEvent(db, { episodeId: 'ep-1', event: pain() }, { actorId, now: later(10) }),
  },
  {
    command: 'reassignCaseload',
    action: 'caseload.reassign',
    actor: person('nurse-2', 'nurse'),
    run: (actorId) =>
      reassignCaseload(db, { fromNurseId: 'nurse-1', toNurseId: 'nurse-2' }, actorId, later(1)),
  },
  {
    command: 'previewCaseloadReassignment',
    action: 'caseload.reassign',
    actor: person('nurse-2', 'nurse'),
    run: (actorId) => previewCaseloadReassignment(db, { fromNurseId: 'nurse-1' }, actorId),
  },
  {
    command: 'createUser',
    action: 'user.create',
    actor: person('nurse-1', 'nurse'),
    run: (actorId) =>
      createUser(
        db,
        { email: 'new@fls.test', name: 'New', role: 'admin', password: 'a long enough secret' },
        actorId,
      ),
  },
  {
    command: 'createHashedUser',
    action: 'user.create',
    actor: person('scheduler-1', 'scheduler'),
    run: (actorId) =>
      createHashedUser(
        db,
        { email: 'new2@fls.test', name: 'New', role: 'admin', passwordHash: 'x' },
        actorId,
      ),
  },
  {
    command: 'changeUserRole',
    action: 'user.changeRole',
    actor: person('scheduler-1', 'scheduler'),
    run: (actorId) => changeUserRole(db, { userId: 'scheduler-2', role: 'admin' }, actorId),
  },
  {
    command: 'deactivateUser',
    action: 'user.deactivate',
    actor: person('nurse-1', 'nurse'),
    run: (actorId) => deactivateUser(db, 'scheduler-2', actorId, later(1)),
  },
  {
    command: 'reactivateUser',
    action: 'user.reactivate',
    actor: person('nurse-1', 'nurse'),
    run: (actorId) => reactivateUser(db, 'nurse-gone', actorId),
  },
  {
    command: 'createApiKey',
    action: 'apiKey.create',
    actor: person('scheduler-1', 'scheduler'),
    run: (actorId) => createApiKey(db, { name: 'Sneaky', role: 'admin' }, actorId, later(1)),
  },
  {
    command: 'revokeApiKey',
    action: 'apiKey.revoke',
    actor: person('nurse-1', 'nurse'),
    run: (actorId) => revokeApiKey(db, keyId, actorId, later(1)),
  },
  {
    command: 'setEstimatedYearlyCaseload',
    action: 'settings.change',
    actor: person('nurse-1', 'nurse'),
    run: (actorId) => setEstimatedYearlyCaseload(db, 400, { actorId, now: later(1) }),
  },
];

describe('a command tried by a role the permission table does not allow', () => {
  it.each(WRONG_ROLE)(
    '$command is refused with the reason, audited, and writes nothing else',
    async (attempt) => {
      const expected = permission(attempt.actor, attempt.action, attempt.context);
      if (expected.allowed) throw new Error(`${attempt.command}: the case is not a refusal`);
      const before = await state();
      const refusedBefore = await db.auditEntry.count({ where: { action: 'access.refused' } });

      const error = await refusal(attempt.run(attempt.actor.id));
      expect(error?.code).toBe('forbidden');
      expect(error?.message).toBe(expected.reason);

      expect(await state()).toEqual(before);
      const refusals = await db.auditEntry.findMany({
        where: { action: 'access.refused' },
        orderBy: { id: 'asc' },
        skip: refusedBefore,
      });
      expect(refusals.map((r) => [r.actor, r.entityType, r.entityId, r.after])).toEqual([
        [attempt.actor.id, 'action', attempt.action, { reason: expected.reason }],
      ]);
    },
  );

  it("refuses an API key what API keys may not do, whatever the key's role", async () => {
    const actor: Actor = { id: keyUser, role: 'admin', kind: 'integration' };
    const expected = permission(actor, 'user.create');
    expect(expected).toEqual({ allowed: false, reason: 'An API key may not add a user.' });
    const before = await state();
    const error = await refusal(
      createUser(
        db,
        { email: 'key@fls.test', name: 'Key', role: 'admin', password: 'a long enough secret' },
        keyUser,
      ),
    );
    expect(error?.message).toBe('An API key may not add a user.');
    expect(await state()).toEqual(before);
  });
});

describe("API keys' integration users", () => {
  it('are refused role changes, deactivation and reactivation, with the reason, even to an administrator', async () => {
    const admin = person('admin-1', 'admin');
    const cases = [
      {
        action: 'user.changeRole' as const,
        target: keyUser,
        run: () => changeUserRole(db, { userId: keyUser, role: 'nurse' }, 'admin-1'),
      },
      {
        action: 'user.deactivate' as const,
        target: keyUser,
        run: () => deactivateUser(db, keyUser, 'admin-1', later(1)),
      },
      {
        action: 'user.reactivate' as const,
        target: revokedKeyUser,
        run: () => reactivateUser(db, revokedKeyUser, 'admin-1'),
      },
    ];
    for (const { action, target, run } of cases) {
      const user = await db.user.findUniqueOrThrow({ where: { id: target } });
      const expected = permission(admin, action, {
        target: { id: target, kind: 'integration', role: user.role },
      });
      if (expected.allowed) throw new Error(`${action}: the table allows it`);
      const before = await state();
      const error = await refusal(run());
      expect(error?.code, action).toBe('forbidden');
      expect(error?.message, action).toBe(expected.reason);
      expect(error?.message, action).toMatch(/API key's integration user/);
      expect(await state(), action).toEqual(before);
      const audited = await db.auditEntry.findFirstOrThrow({
        where: { action: 'access.refused', actor: 'admin-1', entityId: action },
        orderBy: { id: 'desc' },
      });
      expect(audited.after).toEqual({ reason: expected.reason });
    }
    // The key still acts with the role its page shows, and its user stays as it was.
    expect(await db.user.findUniqueOrThrow({ where: { id: keyUser } })).toMatchObject({
      role: 'admin',
      active: true,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: revokedKeyUser } })).active).toBe(false);
  });

  it('never hold a caseload: enrolment and reassignment name the field, and nothing is stored', async () => {
    const expected = `is an API key's integration user (API: Radiology alerts), which holds no caseload: choose an active nurse`;
    const before = await state();
    const one = await refusal(
      enrolPatient(db, testEnrolment({ n: 60, nurseId: keyUser }), {
        actorId: 'nurse-1',
        now: later(1),
      }),
    );
    expect(one?.code).toBe('invalid-input');
    expect(one?.issues).toEqual([{ path: 'nurseId', message: expected }]);

    // An API key enrolling (as the API does) cannot name itself either.
    const byKey = await refusal(
      enrolPatients(
        db,
        [testEnrolment({ n: 61, nurseId: 'nurse-1' }), testEnrolment({ n: 62, nurseId: keyUser })],
        { actorId: keyUser, now: later(1) },
      ),
    );
    expect(byKey?.issues).toEqual([{ path: '[1].nurseId', message: expected }]);

    const moved = await refusal(
      reassignCaseload(db, { fromNurseId: 'nurse-1', toNurseId: keyUser }, 'admin-1', later(1)),
    );
    expect(moved?.code).toBe('invalid-input');
    expect(moved?.issues).toEqual([{ path: 'toNurseId', message: expected }]);
    expect(await state()).toEqual(before);
  });

  it('can have patients moved off their caseload, where older data put them', async () => {
    // Before this check existed, a patient could be enrolled onto a key's caseload, and its
    // reminders addressed to the key's .invalid address. An administrator moves them to a nurse.
    await enrolPatient(db, testEnrolment({ n: 70, nurseId: 'nurse-1' }), {
      actorId: 'nurse-1',
      now: NOW,
    });
    await db.patient.update({ where: { id: 'pat-70' }, data: { nurseId: keyUser } });
    const result = await reassignCaseload(
      db,
      { fromNurseId: keyUser, toNurseId: 'nurse-2' },
      'admin-1',
      later(1),
    );
    expect(result).toMatchObject({ patients: 1, toNurseId: 'nurse-2' });
    expect((await db.patient.findUniqueOrThrow({ where: { id: 'pat-70' } })).nurseId).toBe(
      'nurse-2',
    );
  });
});

describe('a permitted command and its audit entry', () => {
  /** Each command as a permitted actor whose audit entries the database refuses. */
  const DOOMED: readonly { readonly command: string; readonly run: () => Promise<unknown> }[] = [
    {
      command: 'enrolPatient',
      run: () =>
        enrolPatient(db, testEnrolment({ n: 80 }), { actorId: 'nurse-doomed', now: later(1) }),
    },
    {
      command: 'enrolPatients',
      run: () =>
        enrolPatients(db, [testEnrolment({ n: 81 }), testEnrolment({ n: 82 })], {
          actorId: 'nurse-doomed',
          now: later(1),
        }),
    },
    {
      command: 'recordEvent',
      run: () =>
        recordEvent(
          db,
          { episodeId: 'ep-1', event: pain() },
          { actorId: 'nurse-doomed', now: later(10) },
        ),
    },
    {
      command: 'reassignCaseload',
      run: () =>
        reassignCaseload(
          db,
          { fromNurseId: 'nurse-1', toNurseId: 'nurse-2' },
          'admin-doomed',
          later(1),
        ),
    },
    {
      command: 'createUser',
      run: () =>
        createUser(
          db,
          { email: 'doomed@fls.test', name: 'D', role: 'nurse', password: 'a long enough secret' },
          'admin-doomed',
        ),
    },
    {
      command: 'changeUserRole',
      run: () => changeUserRole(db, { userId: 'scheduler-2', role: 'nurse' }, 'admin-doomed'),
    },
    { command: 'deactivateUser', run: () => deactivateUser(db, 'scheduler-2', 'admin-doomed') },
    { command: 'reactivateUser', run: () => reactivateUser(db, 'nurse-gone', 'admin-doomed') },
    {
      command: 'createApiKey',
      run: () => createApiKey(db, { name: 'Doomed feed', role: 'nurse' }, 'admin-doomed'),
    },
    { command: 'revokeApiKey', run: () => revokeApiKey(db, keyId, 'admin-doomed') },
    {
      command: 'setEstimatedYearlyCaseload',
      run: () => setEstimatedYearlyCaseload(db, 400, { actorId: 'admin-doomed' }),
    },
  ];

  it.each(DOOMED)(
    '$command writes its change and its audit entry in one transaction: a rollback leaves neither',
    async ({ run }) => {
      const before = await state();
      await expect(run()).rejects.toThrow(/the audit log refuses/);
      expect(await state()).toEqual(before);
      expect(
        await db.auditEntry.count({ where: { actor: { in: ['nurse-doomed', 'admin-doomed'] } } }),
      ).toBe(0);
    },
  );
});
