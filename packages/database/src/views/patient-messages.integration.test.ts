import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { optOutPatient, setContactPreferences } from '../commands/set-contact-preferences.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  failedPatientMessages,
  patientContactDetails,
  patientMessagesDueToday,
  patientOptOuts,
  serviceDay,
} from './patient-messages.js';

const ENROLLED = new Date('2026-03-01T10:00:00Z');

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('patient_messages_views'));
  await createUsers(db);
  for (const n of [1, 2, 3]) {
    await enrolPatient(db, testEnrolment({ n, fractureDate: '2026-02-27' }), {
      actorId: 'nurse-1',
      now: ENROLLED,
    });
  }
});
afterAll(() => close());

let m = 0;
/** A message row as the patient-message engine stores it (arranged directly for the views). */
async function message(
  sendAt: string,
  over: Partial<{
    kind: string;
    channel: string;
    state: string;
    patient: number;
    lastError: string | null;
    providerStatus: string | null;
    updatedAt: string;
  }> = {},
) {
  m += 1;
  const patient = over.patient ?? 1;
  const id = `msg-${m}`;
  await db.patientMessage.create({
    data: {
      id,
      episodeId: `ep-${patient}`,
      patientId: `pat-${patient}`,
      kind: over.kind ?? 'denosumab-dose-before',
      stepKey: 'denosumab-dose-2',
      channel: over.channel ?? 'sms',
      sendAt: new Date(sendAt),
      state: over.state ?? 'scheduled',
      lastError: over.lastError ?? null,
      providerStatus: over.providerStatus ?? null,
      ...(over.updatedAt ? { updatedAt: new Date(over.updatedAt) } : {}),
    },
  });
  return id;
}

async function clear() {
  await db.patientMessage.deleteMany({});
}

describe('serviceDay', () => {
  it.each([
    // 00:30 and 23:30 London in summer (BST, UTC+1): the day is the London date.
    ['2026-07-15T23:30:00Z', '2026-07-16', '2026-07-15T23:00:00.000Z', '2026-07-16T23:00:00.000Z'],
    ['2026-07-16T22:30:00Z', '2026-07-16', '2026-07-15T23:00:00.000Z', '2026-07-16T23:00:00.000Z'],
    // In winter (GMT) London's day is the UTC day.
    ['2026-12-07T00:30:00Z', '2026-12-07', '2026-12-07T00:00:00.000Z', '2026-12-08T00:00:00.000Z'],
    ['2026-12-07T23:30:00Z', '2026-12-07', '2026-12-07T00:00:00.000Z', '2026-12-08T00:00:00.000Z'],
    // Clocks go forward (23 hours) and back (25 hours).
    ['2027-03-28T22:30:00Z', '2027-03-28', '2027-03-28T00:00:00.000Z', '2027-03-28T23:00:00.000Z'],
    ['2026-10-25T23:30:00Z', '2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z'],
  ])('at %s today is %s', (now, day, from, until) => {
    const found = serviceDay(new Date(now));
    expect(found.day).toBe(day);
    expect(found.from.toISOString()).toBe(from);
    expect(found.until.toISOString()).toBe(until);
  });
});

describe('patientMessagesDueToday', () => {
  it('counts and lists the messages of the London day at 00:30 and 23:30 BST, leaving out cancelled ones', async () => {
    await clear();
    await message('2026-07-15T22:59:00Z'); // 23:59 on the 15th, London: yesterday
    const early = await message('2026-07-16T08:00:00Z'); // 09:00 BST
    const email = await message('2026-07-16T08:00:00Z', { channel: 'email', patient: 2 });
    const exercise = await message('2026-07-16T12:00:00Z', { kind: 'exercise-start', patient: 3 });
    const sent = await message('2026-07-16T09:00:00Z', { state: 'delivered', patient: 2 });
    await message('2026-07-16T10:00:00Z', { state: 'cancelled' });
    await message('2026-07-16T23:00:00Z'); // 00:00 on the 17th, London: tomorrow
    for (const now of ['2026-07-15T23:30:00Z', '2026-07-16T22:30:00Z']) {
      const due = await patientMessagesDueToday(db, { now: new Date(now) });
      expect(due.day).toBe('2026-07-16');
      expect(due.total).toBe(4);
      expect(due.counts).toEqual([
        {
          kind: 'denosumab-dose-before',
          channel: 'email',
          count: 1,
          waiting: 1,
          sent: 0,
          failed: 0,
        },
        { kind: 'denosumab-dose-before', channel: 'sms', count: 2, waiting: 1, sent: 1, failed: 0 },
        { kind: 'exercise-start', channel: 'sms', count: 1, waiting: 1, sent: 0, failed: 0 },
      ]);
      expect(due.messages.rows.map((row) => row.id)).toEqual(
        [early, email].sort().concat([sent, exercise]),
      );
      expect(due.messages.rows[0]?.patient).toMatchObject({ id: 'pat-1', familyName: 'Patient 1' });
      expect(due.messages.next).toBeNull();
    }
  });

  it('takes the 25-hour day when the clocks go back', async () => {
    await clear();
    await message('2026-10-24T22:59:00Z'); // 23:59 BST on the 24th
    const first = await message('2026-10-24T23:00:00Z'); // 00:00 BST on the 25th
    const last = await message('2026-10-25T23:59:00Z'); // 23:59 GMT on the 25th
    await message('2026-10-26T00:00:00Z'); // the 26th
    const due = await patientMessagesDueToday(db, { now: new Date('2026-10-25T00:30:00Z') });
    expect(due.day).toBe('2026-10-25');
    expect(due.messages.rows.map((row) => row.id)).toEqual([first, last]);
  });

  it('pages through the day with a keyset cursor, counts complete on every page', async () => {
    await clear();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await message('2026-12-07T09:00:00Z'));
    ids.sort((a, b) => (a < b ? -1 : 1)); // same send time: in id order (byte order)
    ids.push(await message('2026-12-07T10:00:00Z'));
    const now = new Date('2026-12-07T08:00:00Z');
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const due = await patientMessagesDueToday(db, { now, limit: 2, ...(after ? { after } : {}) });
      expect(due.total).toBe(6);
      seen.push(...due.messages.rows.map((row) => row.id));
      after = due.messages.next ?? undefined;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });
});

describe('failedPatientMessages', () => {
  it('lists temporary and permanent failures, newest first, with why', async () => {
    await clear();
    await message('2026-12-07T09:00:00Z', { state: 'sent' });
    const permanent = await message('2026-12-07T09:00:00Z', {
      state: 'permanent-failure',
      providerStatus: 'permanent-failure',
      lastError: 'The provider could not deliver the message because the number was wrong',
      updatedAt: '2026-12-07T09:05:00Z',
    });
    const temporary = await message('2026-12-07T09:00:00Z', {
      state: 'temporary-failure',
      providerStatus: 'temporary-failure',
      updatedAt: '2026-12-07T09:10:00Z',
      patient: 2,
    });
    const page = await failedPatientMessages(db);
    expect(page.rows.map((row) => [row.id, row.state, row.why])).toEqual([
      [temporary, 'temporary-failure', 'Notify reported temporary-failure'],
      [
        permanent,
        'permanent-failure',
        'The provider could not deliver the message because the number was wrong',
      ],
    ]);
    const first = await failedPatientMessages(db, { limit: 1 });
    expect(first.rows.map((row) => row.id)).toEqual([temporary]);
    const second = await failedPatientMessages(db, { limit: 1, after: first.next ?? '' });
    expect(second.rows.map((row) => row.id)).toEqual([permanent]);
    expect(second.next).toBeNull();
  });
});

describe('patientOptOuts and patientContactDetails', () => {
  it('lists who opted out, when, by whom and why, with the episode to open', async () => {
    await setContactPreferences(
      db,
      'pat-1',
      { channel: 'email', consentAt: '2026-03-02T09:00:00Z', email: 'pat@example.com' },
      { actorId: 'nurse-1', now: new Date('2026-03-02T09:00:00Z') },
    );
    await optOutPatient(
      db,
      'pat-1',
      { reason: 'Asked not to be e-mailed' },
      {
        actorId: 'admin-1',
        now: new Date('2026-03-03T09:00:00Z'),
      },
    );
    await optOutPatient(
      db,
      'pat-2',
      { reason: 'Moved away' },
      {
        actorId: 'nurse-1',
        now: new Date('2026-03-04T09:00:00Z'),
      },
    );
    const page = await patientOptOuts(db);
    expect(
      page.rows.map((row) => [
        row.patient.id,
        row.episodeId,
        row.optedOutAt.toISOString(),
        row.optedOutBy?.id,
        row.reason,
      ]),
    ).toEqual([
      ['pat-2', 'ep-2', '2026-03-04T09:00:00.000Z', 'nurse-1', 'Moved away'],
      ['pat-1', 'ep-1', '2026-03-03T09:00:00.000Z', 'admin-1', 'Asked not to be e-mailed'],
    ]);
    const details = await patientContactDetails(db, 'pat-1');
    expect(details).toMatchObject({
      preferences: {
        channel: 'email',
        email: 'pat@example.com',
        consentAt: '2026-03-02T09:00:00.000Z',
        optedOutAt: '2026-03-03T09:00:00.000Z',
      },
      consentBy: { id: 'nurse-1' },
      optedOutBy: { id: 'admin-1' },
      optOutReason: 'Asked not to be e-mailed',
    });
    expect(await patientContactDetails(db, 'pat-3')).toBeNull();
  });
});

describe('the lists use their indexes', () => {
  it('reads a day, the failures and the opt-outs without scanning every message', async () => {
    await clear();
    await db.$executeRaw`
      INSERT INTO patient_messages (id, episode_id, patient_id, kind, step_key, channel, send_at, state, updated_at)
      SELECT 'bulk-' || g, 'ep-' || (1 + g % 3), 'pat-' || (1 + g % 3), 'denosumab-dose-before', 'denosumab-dose-2',
             'sms', timestamptz '2026-01-01T09:00:00Z' + (g || ' hours')::interval,
             CASE WHEN g % 500 = 0 THEN 'permanent-failure' WHEN g % 7 = 0 THEN 'delivered' ELSE 'scheduled' END,
             timestamptz '2026-01-01T09:00:00Z' + (g || ' minutes')::interval
      FROM generate_series(1, 5000) AS g`;
    await db.$executeRaw`ANALYZE patient_messages`;
    await db.$executeRaw`ANALYZE patient_contact_preferences`;
    const { from, until } = serviceDay(new Date('2026-03-01T12:00:00Z'));
    const plans = [
      await db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT m.id FROM patient_messages m JOIN patients p ON p.id = m.patient_id
         WHERE m.send_at >= $1 AND m.send_at < $2 AND m.state <> 'cancelled'
         ORDER BY m.send_at, m.id LIMIT 201`,
        from,
        until,
      ),
      await db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT m.id FROM patient_messages m JOIN patients p ON p.id = m.patient_id
         WHERE m.state IN ('temporary-failure', 'permanent-failure')
         ORDER BY m.updated_at DESC, m.id DESC LIMIT 201`,
      ),
    ];
    for (const plan of plans) {
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).not.toMatch(/Seq Scan on patient_messages/);
      expect(text).toMatch(/Index|Bitmap/);
    }
    // The views themselves answer from the same rows.
    const due = await patientMessagesDueToday(db, { now: new Date('2026-03-01T12:00:00Z') });
    expect(due.total).toBe(24);
    const failed = await failedPatientMessages(db, { limit: 5 });
    expect(failed.rows).toHaveLength(5);
    expect(failed.next).not.toBeNull();
  });
});
