import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import { retryPatientMessage } from '../commands/retry-patient-message.js';
import { RecordError } from '../records/errors.js';
import { runWrite } from '../records/write-path.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { recordNotifyReceipt } from './receipts.js';
import {
  claimPatientMessage,
  markPatientMessageAttemptFailed,
  markPatientMessageSent,
} from './sends.js';
import { syncPatientMessagesForPatient } from './sync.js';
import { patientMessageTasks } from './tasks-view.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('patient_messages'));
  await createUsers(db);
});
afterAll(() => close());

const ENROLLED = new Date('2026-11-17T10:00:00Z');
let n = 0;

/** A patient (fracture Mon 16 Nov 2026) who chose text messages, on denosumab from 20 Nov. */
async function patientOnDenosumab() {
  n += 1;
  await enrolPatient(db, testEnrolment({ n }), { actorId: 'nurse-1', now: ENROLLED });
  await db.patientContactPreferences.create({
    data: {
      patientId: `pat-${n}`,
      channel: 'sms',
      consentAt: ENROLLED,
      consentBy: 'nurse-1',
      mobile: '+447700900123',
      updatedBy: 'nurse-1',
    },
  });
  await runWrite(db, (tx) =>
    syncPatientMessagesForPatient(tx, { patientId: `pat-${n}`, now: ENROLLED }),
  );
  await recordEvent(
    db,
    {
      episodeId: `ep-${n}`,
      event: {
        id: `start-${n}`,
        type: 'bone-therapy-started',
        drug: 'denosumab',
        occurredAt: '2026-11-20T10:00:00Z',
      },
    },
    { actorId: 'nurse-1', now: new Date('2026-11-20T11:00:00Z') },
  );
  return { episodeId: `ep-${n}`, patientId: `pat-${n}`, course: `start-${n}` };
}

async function messages(episodeId: string) {
  const rows = await db.patientMessage.findMany({
    where: { episodeId },
    orderBy: { sendAt: 'asc' },
  });
  return rows.map((m) => `${m.kind} ${m.stepKey} ${m.sendAt.toISOString()} ${m.state}`);
}

describe('patient messages follow the plan (write path)', () => {
  it('plans every kind once the patient consents, with an outbox message each', async () => {
    const { episodeId, course } = await patientOnDenosumab();
    expect(await messages(episodeId)).toEqual([
      'exercise-programme-start exercise-programme-referral 2026-12-14T09:00:00.000Z scheduled',
      'fls-follow-up-16-weeks fls-follow-up-16-weeks 2027-03-01T09:00:00.000Z scheduled',
      `denosumab-dose-before denosumab-next-dose~${course}~2 2027-05-06T08:00:00.000Z scheduled`,
      `denosumab-dose-due denosumab-next-dose~${course}~2 2027-05-20T08:00:00.000Z scheduled`,
      'fls-follow-up-52-weeks fls-adherence-52-weeks 2027-11-08T09:00:00.000Z scheduled',
    ]);
    const outbox = await db.outboxMessage.findMany({
      where: {
        kind: 'patient-message.enqueue',
        payload: { path: ['messageId'], string_contains: episodeId },
      },
    });
    expect(outbox).toHaveLength(5);
  });

  it('a dose recorded before the reminders cancels them and plans the next dose’s', async () => {
    const { episodeId, course } = await patientOnDenosumab();
    await recordEvent(
      db,
      {
        episodeId,
        event: { type: 'bone-therapy-dose', drug: 'denosumab', occurredAt: '2027-05-03T10:00:00Z' },
      },
      { actorId: 'nurse-1', now: new Date('2027-05-03T11:00:00Z') },
    );
    const rows = await messages(episodeId);
    expect(rows).toContain(
      `denosumab-dose-before denosumab-next-dose~${course}~2 2027-05-06T08:00:00.000Z cancelled`,
    );
    expect(rows).toContain(
      `denosumab-dose-due denosumab-next-dose~${course}~2 2027-05-20T08:00:00.000Z cancelled`,
    );
    // Next dose due Wed 3 Nov 2027: 2 weeks before is Wed 20 Oct (BST); on the day, GMT.
    expect(rows).toContain(
      `denosumab-dose-before denosumab-next-dose~${course}~3 2027-10-20T08:00:00.000Z scheduled`,
    );
    expect(rows).toContain(
      `denosumab-dose-due denosumab-next-dose~${course}~3 2027-11-03T09:00:00.000Z scheduled`,
    );
    const cancelled = await db.patientMessage.findFirstOrThrow({
      where: { episodeId, kind: 'denosumab-dose-due', stepKey: `denosumab-next-dose~${course}~2` },
    });
    expect(cancelled.outcome).toMatch(/is completed: it needs no reminder/);
  });

  it('an opt-out cancels every scheduled message, with the reason', async () => {
    const { episodeId, patientId } = await patientOnDenosumab();
    const now = new Date('2026-11-25T10:00:00Z');
    await runWrite(db, async (tx) => {
      await tx.patientContactPreferences.update({
        where: { patientId },
        data: { optedOutAt: now, optedOutBy: 'nurse-1', updatedBy: 'nurse-1' },
      });
      await syncPatientMessagesForPatient(tx, { patientId, now });
    });
    const rows = await db.patientMessage.findMany({ where: { episodeId } });
    expect(rows.map((r) => [r.state, r.outcome])).toEqual(
      rows.map(() => ['cancelled', 'The patient opted out of reminders']),
    );
  });
});

describe('the DXA appointment reminder follows the recorded appointment (write path)', () => {
  // Hazard HAZ-035: a reminder for a DXA appointment that was moved or already attended.
  it('an appointment recorded schedules its message; moved, the old one is cancelled with the reason and the new day scheduled; the result cancels it', async () => {
    const { episodeId } = await patientOnDenosumab();
    const dxa = async () =>
      (
        await db.patientMessage.findMany({
          where: { episodeId, kind: 'dxa-appointment' },
          orderBy: { id: 'asc' },
        })
      ).map((m) => `${m.id} ${m.sendAt.toISOString()} ${m.state} ${m.outcome ?? ''}`.trim());
    const enqueued = async (messageId: string) =>
      db.outboxMessage.count({
        where: {
          kind: 'patient-message.enqueue',
          payload: { path: ['messageId'], equals: messageId },
        },
      });
    const removed = async (messageId: string) =>
      db.outboxMessage.count({
        where: {
          kind: 'patient-message.remove',
          payload: { path: ['messageId'], equals: messageId },
        },
      });
    const first = `pm_${episodeId}_dxa-appointment_dxa-scan_2027-01-12`;
    const moved = `pm_${episodeId}_dxa-appointment_dxa-scan_2027-01-19`;
    await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'dxa-appointment',
          action: 'booked',
          appointmentOn: '2027-01-12',
          appointmentTime: '10:30',
          place: 'Radiology',
          occurredAt: '2026-11-25T10:00:00Z',
        },
      },
      { actorId: 'nurse-1', now: new Date('2026-11-25T10:00:00Z') },
    );
    // Tue 12 Jan 2027: a week before, Tue 5 Jan, 09:00 GMT.
    expect(await dxa()).toEqual([`${first} 2027-01-05T09:00:00.000Z scheduled`]);
    expect(await enqueued(first)).toBe(1);
    const stored = await db.patientMessage.findUniqueOrThrow({ where: { id: first } });
    expect(stored.personalisation).toEqual({ first_name: 'Test', date: 'Tuesday 12 January 2027' });

    await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'dxa-appointment',
          action: 'booked',
          appointmentOn: '2027-01-19',
          occurredAt: '2026-11-26T10:00:00Z',
        },
      },
      { actorId: 'nurse-1', now: new Date('2026-11-26T10:00:00Z') },
    );
    expect(await dxa()).toEqual([
      `${first} 2027-01-05T09:00:00.000Z cancelled The appointment moved to Tuesday 19 January 2027: the message for the new day replaces this one.`,
      `${moved} 2027-01-12T09:00:00.000Z scheduled`,
    ]);
    expect(await removed(first)).toBe(1);
    expect(await enqueued(moved)).toBe(1);

    await recordEvent(
      db,
      {
        episodeId,
        event: { type: 'dxa-result', lumbarSpineTScore: -2.8, occurredAt: '2026-12-01T10:00:00Z' },
      },
      { actorId: 'nurse-1', now: new Date('2026-12-01T11:00:00Z') },
    );
    const [, afterResult] = await dxa();
    expect(afterResult).toMatch(
      new RegExp(
        `^${moved} 2027-01-12T09:00:00.000Z cancelled "DXA scan .*" is completed: it needs no reminder\\.$`,
      ),
    );
    expect(await removed(moved)).toBe(1);
  });
});

describe('sending, receipts and retry', () => {
  it('claims, records the send and Notify’s delivery receipt, once', async () => {
    const { episodeId } = await patientOnDenosumab();
    const message = await db.patientMessage.findFirstOrThrow({
      where: { episodeId, kind: 'exercise-programme-start' },
    });
    // Before its time: wait.
    const early = await claimPatientMessage(db, message.id, {
      workerId: 'w1',
      now: new Date('2026-12-14T08:00:00Z'),
      leaseMs: 60_000,
    });
    expect(early).toMatchObject({ kind: 'wait', until: new Date('2026-12-14T09:00:00Z') });
    const at = new Date('2026-12-14T09:00:05Z');
    const claim = await claimPatientMessage(db, message.id, {
      workerId: 'w1',
      now: at,
      leaseMs: 60_000,
    });
    expect(claim).toMatchObject({
      kind: 'send',
      message: {
        recipient: { channel: 'sms', phoneNumber: '+447700900123' },
        personalisation: { first_name: 'Test', date: 'Monday 14 December 2026' },
        lookUpFirst: false,
        attempt: 1,
      },
    });
    // A second worker finds a live claim.
    expect(
      await claimPatientMessage(db, message.id, { workerId: 'w2', now: at, leaseMs: 60_000 }),
    ).toMatchObject({ kind: 'wait' });
    const notifyId = '740e5834-3a29-46b4-9a6f-16142fde533a';
    await markPatientMessageSent(db, {
      messageId: message.id,
      notifyId,
      providerStatus: 'created',
      now: at,
    });
    const receipt = {
      id: notifyId,
      reference: message.id,
      to: '+447700900123',
      status: 'delivered',
      created_at: '2026-12-14T09:00:06.000Z',
      completed_at: '2026-12-14T09:00:20.000Z',
      sent_at: '2026-12-14T09:00:07.000Z',
      notification_type: 'sms',
    };
    expect(await recordNotifyReceipt(db, receipt, at)).toEqual({
      ok: true,
      messageId: message.id,
      state: 'delivered',
      outcome: 'applied',
      taskRaised: false,
    });
    expect(await recordNotifyReceipt(db, receipt, at)).toMatchObject({
      ok: true,
      state: 'delivered',
    });
    const row = await db.patientMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect([row.state, row.notifyId, row.deliveredAt?.toISOString()]).toEqual([
      'delivered',
      notifyId,
      '2026-12-14T09:00:20.000Z',
    ]);
  });

  it('refuses a receipt that is not Notify’s documented body, and names an unknown id', async () => {
    expect(await recordNotifyReceipt(db, { id: 'x', status: 'delivered' }, ENROLLED)).toMatchObject(
      {
        ok: false,
        reason: 'invalid',
      },
    );
    expect(
      await recordNotifyReceipt(
        db,
        {
          id: '11111111-1111-4111-8111-111111111111',
          reference: 'nope',
          to: '+447700900000',
          status: 'delivered',
          created_at: '2026-12-14T09:00:06.000Z',
          completed_at: null,
          sent_at: null,
          notification_type: 'sms',
        },
        ENROLLED,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'not-found',
      message: expect.stringMatching(/No patient message/),
    });
  });

  it('a permanent failure raises one task for the nurse; a scheduler retries it, a nurse may not', async () => {
    const { episodeId } = await patientOnDenosumab();
    const message = await db.patientMessage.findFirstOrThrow({
      where: { episodeId, kind: 'exercise-programme-start' },
    });
    const at = new Date('2026-12-14T09:00:05Z');
    await claimPatientMessage(db, message.id, { workerId: 'w1', now: at, leaseMs: 60_000 });
    const notifyId = '840e5834-3a29-46b4-9a6f-16142fde533a';
    await markPatientMessageSent(db, {
      messageId: message.id,
      notifyId,
      providerStatus: 'created',
      now: at,
    });
    const failure = {
      id: notifyId,
      reference: message.id,
      to: '+447700900123',
      status: 'permanent-failure',
      created_at: '2026-12-14T09:00:06.000Z',
      completed_at: '2026-12-14T09:01:00.000Z',
      sent_at: '2026-12-14T09:00:07.000Z',
      notification_type: 'sms',
    };
    expect(await recordNotifyReceipt(db, failure, at)).toMatchObject({ taskRaised: true });
    expect(await recordNotifyReceipt(db, failure, at)).toMatchObject({ taskRaised: false });
    const tasks = await db.reminder.findMany({
      where: { episodeId, kind: 'patient-message-failed' },
    });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      nurseId: 'nurse-1',
      status: 'open',
      stepKey: 'exercise-programme-referral',
    });
    expect(tasks[0]?.stepTitle).toMatch(
      /^Text message to the patient failed: Your exercise programme can start/,
    );
    // On the nurse's worklist (its tasks list), with the patient it is about.
    const listed = await patientMessageTasks(db, 'nurse-1');
    expect(listed.items.find((t) => t.reminderId === tasks[0]?.id)).toMatchObject({
      episodeId,
      givenName: 'Test',
      urgent: false,
    });

    await expect(
      retryPatientMessage(db, message.id, { actorId: 'nurse-1', now: at }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const retried = await retryPatientMessage(db, message.id, {
      actorId: 'scheduler-1',
      now: new Date('2026-12-14T20:00:00Z'),
    });
    // After 19:00: the next working day at 09:00.
    expect(retried.sendAt).toBe('2026-12-15T09:00:00.000Z');
    const row = await db.patientMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect([row.state, row.attempts]).toEqual(['scheduled', 1]);
    expect((await db.reminder.findFirstOrThrow({ where: { id: tasks[0]?.id } })).status).toBe(
      'resolved',
    );
    const audit = await db.auditEntry.findFirst({
      where: { action: 'patient-message.retried', entityId: message.id },
    });
    expect(audit?.actor).toBe('scheduler-1');
    await expect(
      retryPatientMessage(db, message.id, { actorId: 'scheduler-1', now: at }),
    ).rejects.toBeInstanceOf(RecordError);
  });

  it('a receipt changes a message only when its Notify id is the current attempt’s: a late one of an earlier attempt is acknowledged, audited and changes nothing', async () => {
    const { episodeId, patientId } = await patientOnDenosumab();
    const message = await db.patientMessage.findFirstOrThrow({
      where: { episodeId, kind: 'exercise-programme-start' },
    });
    const receiptOf = (id: string, status: string, completedAt: string) => ({
      id,
      reference: message.id,
      to: '+447700900123',
      status,
      created_at: '2026-12-14T09:00:06.000Z',
      completed_at: completedAt,
      sent_at: '2026-12-14T09:00:07.000Z',
      notification_type: 'sms',
    });
    const state = async () =>
      (await db.patientMessage.findUniqueOrThrow({ where: { id: message.id } })).state;
    const tasks = () =>
      db.reminder.count({ where: { episodeId, kind: 'patient-message-failed', status: 'open' } });
    // Attempt 1 fails for good; a scheduler retries.
    const first = '11111111-aaaa-4aaa-8aaa-000000000001';
    const at = new Date('2026-12-14T09:00:05Z');
    await claimPatientMessage(db, message.id, { workerId: 'w1', now: at, leaseMs: 60_000 });
    await markPatientMessageSent(db, {
      messageId: message.id,
      notifyId: first,
      providerStatus: 'created',
      now: at,
    });
    await recordNotifyReceipt(
      db,
      receiptOf(first, 'permanent-failure', '2026-12-14T09:01:00Z'),
      at,
    );
    expect(await state()).toBe('permanent-failure');
    await retryPatientMessage(db, message.id, {
      actorId: 'scheduler-1',
      now: new Date('2026-12-14T10:00:00Z'),
    });
    const retried = await db.patientMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect([retried.state, retried.notifyId]).toEqual(['scheduled', null]);
    // A late 'delivered' of attempt 1 (the reverse case) before attempt 2 has an id: held, not
    // applied, and it never will be, since attempt 2 is another notification.
    const heldAt = new Date('2026-12-14T10:05:00Z');
    expect(
      await recordNotifyReceipt(db, receiptOf(first, 'delivered', '2026-12-14T10:04:00Z'), heldAt),
    ).toEqual({
      ok: true,
      messageId: message.id,
      state: 'scheduled',
      outcome: 'held',
      taskRaised: false,
    });
    expect(await state()).toBe('scheduled');
    // Attempt 2 goes, with another Notify id.
    const second = '22222222-bbbb-4bbb-8bbb-000000000002';
    const next = new Date('2026-12-15T09:00:05Z');
    expect(
      await claimPatientMessage(db, message.id, { workerId: 'w1', now: next, leaseMs: 60_000 }),
    ).toMatchObject({ kind: 'send', message: { attempt: 2, lookUpFirst: true } });
    await markPatientMessageSent(db, {
      messageId: message.id,
      notifyId: second,
      providerStatus: 'created',
      now: next,
    });
    expect(await state()).toBe('sent');
    // Notify repeats attempt 1's permanent failure late: acknowledged, nothing changes.
    const late = receiptOf(first, 'permanent-failure', '2026-12-14T09:01:00Z');
    expect(await recordNotifyReceipt(db, late, next)).toEqual({
      ok: true,
      messageId: message.id,
      state: 'sent',
      outcome: 'stale',
      taskRaised: false,
    });
    expect(await tasks()).toBe(0);
    // Attempt 2's own receipt is applied; attempt 1's failure after it still changes nothing.
    expect(
      await recordNotifyReceipt(db, receiptOf(second, 'delivered', '2026-12-15T09:00:30Z'), next),
    ).toMatchObject({ outcome: 'applied', state: 'delivered' });
    expect(await recordNotifyReceipt(db, late, next)).toMatchObject({
      outcome: 'stale',
      state: 'delivered',
    });
    const row = await db.patientMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect([row.state, row.notifyId, row.providerStatus, row.deliveredAt?.toISOString()]).toEqual([
      'delivered',
      second,
      'delivered',
      '2026-12-15T09:00:30.000Z',
    ]);
    expect(await tasks()).toBe(0);
    // Each one not applied is in the audit trail, on the patient, without the recipient.
    const audited = await db.auditEntry.findMany({
      where: {
        entityType: 'patient-message',
        entityId: message.id,
        actor: 'system:notify-callback',
      },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((e) => [e.action, (e.after as { notifyId: string }).notifyId])).toEqual([
      ['patient-message.receipt-held', first],
      ['patient-message.receipt-stale', first],
      ['patient-message.receipt-stale', first],
    ]);
    expect(audited.every((e) => e.patientId === patientId)).toBe(true);
    expect(audited[1]?.after).toMatchObject({
      status: 'permanent-failure',
      currentNotifyId: second,
      attempts: 2,
    });
    expect(JSON.stringify(audited.map((e) => e.after))).not.toContain('+447700900123');
  });

  it('a receipt that comes before its attempt’s Notify id is recorded is held, then applied when that id is recorded', async () => {
    const { episodeId } = await patientOnDenosumab();
    const message = await db.patientMessage.findFirstOrThrow({
      where: { episodeId, kind: 'exercise-programme-start' },
    });
    const at = new Date('2026-12-14T09:00:05Z');
    await claimPatientMessage(db, message.id, { workerId: 'w1', now: at, leaseMs: 60_000 });
    const notifyId = '33333333-cccc-4ccc-8ccc-000000000003';
    const failure = {
      id: notifyId,
      reference: message.id,
      to: '+447700900123',
      status: 'permanent-failure',
      created_at: '2026-12-14T09:00:06.000Z',
      completed_at: '2026-12-14T09:00:09.000Z',
      sent_at: '2026-12-14T09:00:07.000Z',
      notification_type: 'sms',
    };
    expect(await recordNotifyReceipt(db, failure, at)).toMatchObject({
      outcome: 'held',
      state: 'sending',
    });
    await markPatientMessageSent(db, {
      messageId: message.id,
      notifyId,
      providerStatus: 'created',
      now: at,
    });
    const row = await db.patientMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect([row.state, row.notifyId, row.failedAt?.toISOString()]).toEqual([
      'permanent-failure',
      notifyId,
      '2026-12-14T09:00:09.000Z',
    ]);
    expect(await db.reminder.count({ where: { episodeId, kind: 'patient-message-failed' } })).toBe(
      1,
    );
    expect(
      await db.auditEntry.count({
        where: { entityId: message.id, action: 'patient-message.receipt-applied' },
      }),
    ).toBe(1);
  });

  it('a 4xx refusal fails the message with the error and raises a task; a 5xx only releases it', async () => {
    const { episodeId } = await patientOnDenosumab();
    const message = await db.patientMessage.findFirstOrThrow({
      where: { episodeId, kind: 'exercise-programme-start' },
    });
    const at = new Date('2026-12-14T09:00:05Z');
    await claimPatientMessage(db, message.id, { workerId: 'w1', now: at, leaseMs: 60_000 });
    expect(
      await markPatientMessageAttemptFailed(db, {
        messageId: message.id,
        error: 'Notify answered 500',
        retriable: true,
        now: at,
      }),
    ).toEqual({ state: 'sending' });
    const again = await claimPatientMessage(db, message.id, {
      workerId: 'w1',
      now: at,
      leaseMs: 60_000,
    });
    expect(again).toMatchObject({ kind: 'send', message: { lookUpFirst: true, attempt: 2 } });
    await markPatientMessageAttemptFailed(db, {
      messageId: message.id,
      error: 'Notify refused it (400 ValidationError): phone_number Not a UK mobile number',
      retriable: false,
      now: at,
    });
    const row = await db.patientMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect([row.state, row.lastError]).toEqual([
      'failed',
      'Notify refused it (400 ValidationError): phone_number Not a UK mobile number',
    ]);
    expect(await db.reminder.count({ where: { episodeId, kind: 'patient-message-failed' } })).toBe(
      1,
    );
  });
});
