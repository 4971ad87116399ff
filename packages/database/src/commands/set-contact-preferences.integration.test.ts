import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { enrolPatient } from './enrol-patient.js';
import { optOutPatient, setContactPreferences } from './set-contact-preferences.js';

const NOW = new Date('2026-12-07T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const nurse = (minutes = 1) => ({ actorId: 'nurse-1', now: later(minutes) });

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('contact_preferences'));
  await createUsers(db);
});
afterAll(() => close());

let n = 0;
let patientId: string;
beforeEach(async () => {
  n += 1;
  patientId = `pat-${n}`;
  await enrolPatient(db, testEnrolment({ n, fractureDate: '2026-11-30' }), {
    actorId: 'nurse-1',
    now: NOW,
  });
});

async function refusal(work: Promise<unknown>): Promise<RecordError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RecordError)) throw new Error(`expected a RecordError, got ${error}`);
  return error;
}

const SMS = { channel: 'sms', consentAt: NOW.toISOString(), mobile: '07911 123456' };

describe('setContactPreferences', () => {
  it('stores the validated preferences and audits them in the same transaction', async () => {
    const saved = await setContactPreferences(db, patientId, SMS, nurse());
    expect(saved.preferences).toEqual({
      channel: 'sms',
      consentAt: NOW.toISOString(),
      optedOutAt: null,
      mobile: '+447911123456',
    });
    const row = await db.patientContactPreferences.findUniqueOrThrow({ where: { patientId } });
    expect(row).toMatchObject({
      channel: 'sms',
      consentAt: NOW,
      consentBy: 'nurse-1',
      mobile: '+447911123456',
      email: null,
      addressLines: [],
      postcode: null,
      optedOutAt: null,
      updatedAt: later(1),
      updatedBy: 'nurse-1',
    });
    const entries = await db.auditEntry.findMany({
      where: { entityType: 'patient-contact-preferences', entityId: patientId },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: 'nurse-1',
      action: 'contact-preferences.set',
      patientId,
      before: null,
      after: { channel: 'sms', mobile: '+447911123456' },
      at: later(1),
    });
  });

  it('refuses bad input with every problem named, and writes nothing', async () => {
    const auditBefore = await db.auditEntry.count();
    const error = await refusal(
      setContactPreferences(
        db,
        patientId,
        { channel: 'sms', mobile: '0113 496 0000', email: 'nope' },
        nurse(),
      ),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'consentAt',
      'email',
      'mobile',
    ]);
    expect(error.issues.find((issue) => issue.path === 'mobile')?.message).toBe(
      '0113 496 0000 is a landline: text reminders need a mobile number (07...)',
    );
    expect(await db.patientContactPreferences.count({ where: { patientId } })).toBe(0);
    expect(await db.auditEntry.count()).toBe(auditBefore);
  });

  it('replaces the preferences, with the previous ones in the audit entry', async () => {
    await setContactPreferences(db, patientId, SMS, nurse(1));
    await setContactPreferences(
      db,
      patientId,
      {
        channel: 'letter',
        consentAt: later(2).toISOString(),
        address: { lines: ['1 High Street', 'Leeds'], postcode: 'ls14ap' },
      },
      { actorId: 'admin-1', now: later(2) },
    );
    const row = await db.patientContactPreferences.findUniqueOrThrow({ where: { patientId } });
    expect(row).toMatchObject({
      channel: 'letter',
      consentBy: 'admin-1',
      mobile: null,
      addressLines: ['1 High Street', 'Leeds'],
      postcode: 'LS1 4AP',
    });
    const last = await db.auditEntry.findFirstOrThrow({
      where: { entityId: patientId, action: 'contact-preferences.set' },
      orderBy: { id: 'desc' },
    });
    expect(last.before).toMatchObject({ channel: 'sms', mobile: '+447911123456' });
    expect(last.after).toMatchObject({ channel: 'letter', address: { postcode: 'LS1 4AP' } });
  });

  it('is refused to a scheduler (nothing written, the refusal audited), and for an unknown patient', async () => {
    const error = await refusal(
      setContactPreferences(db, patientId, SMS, { actorId: 'scheduler-1', now: later(1) }),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/change how a patient hears from the service/);
    expect(await db.patientContactPreferences.count({ where: { patientId } })).toBe(0);
    const notFound = await refusal(setContactPreferences(db, 'pat-nobody', SMS, nurse()));
    expect(notFound.code).toBe('not-found');
  });

  it('keeps an opt-out when the details change, and a new consent after it clears it', async () => {
    await setContactPreferences(db, patientId, SMS, nurse(1));
    await optOutPatient(db, patientId, { reason: 'Asked by phone' }, nurse(2));
    // Same consent (given before the opt-out): the patient stays opted out.
    await setContactPreferences(db, patientId, { ...SMS, mobile: '07700 900456' }, nurse(3));
    let row = await db.patientContactPreferences.findUniqueOrThrow({ where: { patientId } });
    expect(row).toMatchObject({
      mobile: '+447700900456',
      optedOutAt: later(2),
      optedOutBy: 'nurse-1',
      optOutReason: 'Asked by phone',
    });
    // The patient agrees again: a consent after the opt-out clears it.
    await setContactPreferences(
      db,
      patientId,
      { ...SMS, consentAt: later(4).toISOString() },
      nurse(4),
    );
    row = await db.patientContactPreferences.findUniqueOrThrow({ where: { patientId } });
    expect(row).toMatchObject({ optedOutAt: null, optedOutBy: null, optOutReason: null });
  });
});

describe('optOutPatient', () => {
  it('records who, when and why, and audits it', async () => {
    await setContactPreferences(db, patientId, SMS, nurse(1));
    const result = await optOutPatient(
      db,
      patientId,
      { reason: '  Prefers a phone call ' },
      nurse(5),
    );
    expect(result).toEqual({ optedOutAt: later(5), changed: true });
    const row = await db.patientContactPreferences.findUniqueOrThrow({ where: { patientId } });
    expect(row).toMatchObject({
      channel: 'sms',
      mobile: '+447911123456',
      optedOutAt: later(5),
      optedOutBy: 'nurse-1',
      optOutReason: 'Prefers a phone call',
    });
    const entry = await db.auditEntry.findFirstOrThrow({
      where: { entityId: patientId, action: 'contact-preferences.opted-out' },
    });
    expect(entry).toMatchObject({
      actor: 'nurse-1',
      patientId,
      after: { optedOutAt: later(5).toISOString(), optOutReason: 'Prefers a phone call' },
    });
  });

  it('opts out a patient with no preferences yet (channel none)', async () => {
    await optOutPatient(db, patientId, { reason: 'Does not want reminders' }, nurse());
    expect(
      await db.patientContactPreferences.findUniqueOrThrow({ where: { patientId } }),
    ).toMatchObject({ channel: 'none', consentAt: null, optedOutAt: later(1) });
  });

  it('requires a reason, and leaves an opt-out already recorded unchanged', async () => {
    const error = await refusal(optOutPatient(db, patientId, { reason: ' ' }, nurse()));
    expect(error.issues).toEqual([
      { path: 'reason', message: 'is required: say why the patient opted out' },
    ]);
    expect(await db.patientContactPreferences.count({ where: { patientId } })).toBe(0);
    await optOutPatient(db, patientId, { reason: 'First' }, nurse(1));
    const again = await optOutPatient(db, patientId, { reason: 'Second' }, nurse(2));
    expect(again).toEqual({ optedOutAt: later(1), changed: false });
    expect(
      (await db.patientContactPreferences.findUniqueOrThrow({ where: { patientId } })).optOutReason,
    ).toBe('First');
    expect(
      await db.auditEntry.count({ where: { action: 'command.unchanged', entityId: patientId } }),
    ).toBe(1);
  });

  it('is refused to a scheduler', async () => {
    const error = await refusal(
      optOutPatient(db, patientId, { reason: 'x' }, { actorId: 'scheduler-1', now: NOW }),
    );
    expect(error.code).toBe('forbidden');
  });
});

describe('the patient messages follow the preferences in the same transaction', () => {
  const states = async () =>
    (
      await db.patientMessage.findMany({
        where: { patientId },
        select: { state: true, channel: true, outcome: true },
      })
    ).map((row) => row.state);

  it('plans messages once the patient can be reached, and an opt-out cancels them at once', async () => {
    expect(await states()).toEqual([]);
    await setContactPreferences(db, patientId, SMS, nurse(1));
    const planned = await db.patientMessage.findMany({ where: { patientId } });
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((m) => m.state === 'scheduled' && m.channel === 'sms')).toBe(true);
    await optOutPatient(db, patientId, { reason: 'Asked by phone' }, nurse(2));
    expect(new Set(await states())).toEqual(new Set(['cancelled']));
  });

  it('a new channel moves the scheduled messages to it', async () => {
    await setContactPreferences(db, patientId, SMS, nurse(1));
    await setContactPreferences(
      db,
      patientId,
      { channel: 'email', consentAt: later(2).toISOString(), email: 'pat@example.com' },
      nurse(2),
    );
    const scheduled = await db.patientMessage.findMany({
      where: { patientId, state: 'scheduled' },
    });
    expect(scheduled.length).toBeGreaterThan(0);
    expect(scheduled.every((m) => m.channel === 'email')).toBe(true);
  });

  it('a refused save leaves the messages as they were', async () => {
    await setContactPreferences(db, patientId, SMS, nurse(1));
    const before = await db.patientMessage.findMany({
      where: { patientId },
      orderBy: { id: 'asc' },
    });
    await refusal(
      setContactPreferences(db, patientId, { channel: 'sms', mobile: '0113 496 0000' }, nurse(2)),
    );
    expect(
      await db.patientMessage.findMany({ where: { patientId }, orderBy: { id: 'asc' } }),
    ).toEqual(before);
  });
});
