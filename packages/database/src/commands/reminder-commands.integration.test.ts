import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import { deliveryToSend } from '../follow-ups/deliveries.js';
import { OUTBOX_KINDS } from '../outbox/catalog.js';
import { RecordError } from '../records/errors.js';
import { failDeliveryAttempt } from '../testing/deliveries.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { rescheduleStep } from './reschedule-step.js';
import { retryDelivery } from './retry-delivery.js';
import { sendReminderNow } from './send-reminder-now.js';

// Fracture on Monday 2026-11-16, enrolled Tuesday 2026-11-17 10:00Z (London is on GMT). The DXA
// window opens on the fracture date, is due on day 90 (Sunday 2027-02-14, reminded Friday the
// 12th) and is overdue from Monday 2027-02-15.
const NOW = new Date('2026-11-17T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const scheduler = (minutes = 1) => ({ actorId: 'scheduler-1', now: later(minutes) });

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('scheduler_writes'));
  await createUsers(db);
});
afterAll(() => close());

let n = 0;
let episodeId: string;
beforeEach(async () => {
  n += 1;
  episodeId = `ep-${n}`;
  await enrolPatient(db, testEnrolment({ n }), { actorId: 'nurse-1', now: NOW });
});

async function refusal(work: Promise<unknown>): Promise<RecordError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RecordError)) throw new Error(`expected a RecordError, got ${error}`);
  return error;
}

async function counts() {
  const [events, followUps, reminders, deliveries, outbox, auditLog] = await Promise.all([
    db.clinicalEvent.count(),
    db.followUp.count(),
    db.reminder.count(),
    db.reminderDelivery.count(),
    db.outboxMessage.count(),
    db.auditEntry.count(),
  ]);
  return { events, followUps, reminders, deliveries, outbox, auditLog };
}

describe('sendReminderNow', () => {
  it("makes a reminder for the patient's nurse now, with its e-mail queued through the outbox", async () => {
    const sent = await sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, scheduler());
    expect(sent).toMatchObject({ nurseId: 'nurse-1', nurseName: 'nurse-1' });
    const reminder = await db.reminder.findUniqueOrThrow({
      where: { id: sent.reminderId },
      include: { deliveries: { orderBy: { channel: 'asc' } } },
    });
    expect(reminder).toMatchObject({
      followUpId: null,
      kind: 'manual',
      stepKey: 'dxa-scan',
      stepTitle: 'DXA scan with vertebral fracture assessment',
      nurseId: 'nurse-1',
      requestedBy: 'scheduler-1',
      status: 'open',
      createdAt: later(1),
    });
    expect(reminder.deliveries.map((d) => [d.channel, d.state, d.recipient])).toEqual([
      ['in_app', 'sent', 'nurse-1'],
      ['email', 'pending', 'nurse-1@fls.test'],
    ]);
    // What the worker reads to send it.
    expect(await deliveryToSend(db, sent.emailDeliveryId)).toMatchObject({
      state: 'pending',
      reminder: { kind: 'manual', stepTitle: 'DXA scan with vertebral fracture assessment' },
    });
    const message = await db.outboxMessage.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(message).toMatchObject({
      kind: OUTBOX_KINDS.deliverReminder,
      payload: { deliveryId: sent.emailDeliveryId },
    });
    const entry = await db.auditEntry.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(entry).toMatchObject({
      actor: 'scheduler-1',
      action: 'reminder.sent-now',
      entityType: 'plan-step',
      entityId: `${episodeId}/dxa-scan`,
      patientId: `pat-${n}`,
    });
  });

  it('refuses a second one for the same step within the cool-down, and nothing is written', async () => {
    await sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, scheduler(1));
    const before = await counts();
    const error = await refusal(
      sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, scheduler(5)),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/already sent to nurse-1 .*wait 15 minutes/);
    expect(await counts()).toEqual(before);
    await sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, scheduler(17));
  });

  it('refuses a step that needs no action, an unknown step, and a patient with no nurse', async () => {
    await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'step-completed',
          stepKey: 'dxa-scan',
          outcome: 'not-indicated',
          occurredAt: later(1).toISOString(),
        },
      },
      { actorId: 'nurse-1', now: later(1) },
    );
    const before = await counts();
    const completed = await refusal(
      sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, scheduler(2)),
    );
    expect([completed.code, completed.message]).toEqual([
      'conflict',
      '"DXA scan with vertebral fracture assessment" is completed: it needs no reminder. Refresh the list to see the plan as it is now.',
    ]);
    const unknown = await refusal(
      sendReminderNow(db, { episodeId, stepKey: 'no-such-step' }, scheduler(2)),
    );
    expect(unknown.code).toBe('not-found');
    await db.patient.update({ where: { id: `pat-${n}` }, data: { nurseId: null } });
    const noNurse = await refusal(
      sendReminderNow(db, { episodeId, stepKey: 'laboratory-screen' }, scheduler(2)),
    );
    expect(noNurse.message).toMatch(/no active responsible nurse/);
    expect(await counts()).toEqual(before);
  });

  it('the database refuses a follow-up reminder without its follow-up', async () => {
    await expect(
      db.reminder.create({
        data: {
          episodeId,
          stepKey: 'dxa-scan',
          stepTitle: 'DXA',
          kind: 'due',
          urgent: false,
        },
      }),
    ).rejects.toThrow(/reminders_follow_up_matches_kind/);
  });
});

describe('rescheduleStep', () => {
  it('moves the due follow-up in one audited change, and the queue follows through the outbox', async () => {
    const dueBefore = await db.followUp.findFirstOrThrow({
      where: { episodeId, stepKey: 'dxa-scan', transition: 'due', state: 'pending' },
    });
    expect(dueBefore.fireAt.toISOString()).toBe('2027-02-12T09:00:00.000Z');
    const outboxBefore = await db.outboxMessage.count();

    const result = await rescheduleStep(
      db,
      { episodeId, stepKey: 'dxa-scan', remindOn: '2026-11-26', reason: 'DXA list on Thursday' },
      scheduler(),
    );
    expect(result.event).toMatchObject({
      type: 'step-rescheduled',
      recordedBy: 'scheduler-1',
      remindOn: '2026-11-26',
      reason: 'DXA list on Thursday',
    });

    const followUps = await db.followUp.findMany({
      where: { episodeId, stepKey: 'dxa-scan', transition: 'due' },
      orderBy: { fireAt: 'asc' },
    });
    expect(followUps.map((f) => [f.fireAt.toISOString(), f.state])).toEqual([
      ['2026-11-26T09:00:00.000Z', 'pending'],
      ['2027-02-12T09:00:00.000Z', 'cancelled'],
    ]);
    const overdue = await db.followUp.findFirstOrThrow({
      where: { episodeId, stepKey: 'dxa-scan', transition: 'overdue' },
    });
    expect([overdue.fireAt.toISOString(), overdue.state]).toEqual([
      '2027-02-15T09:00:00.000Z',
      'pending',
    ]);
    const outbox = await db.outboxMessage.findMany({ where: {}, orderBy: { id: 'asc' } });
    expect(outbox.slice(outboxBefore).map((m) => [m.kind, m.payload])).toEqual([
      [OUTBOX_KINDS.removeFollowUp, { followUpId: dueBefore.id }],
      [OUTBOX_KINDS.enqueueFollowUp, { followUpId: followUps[0]?.id }],
    ]);
    const step = await db.planStep.findUniqueOrThrow({
      where: { episodeId_key: { episodeId, key: 'dxa-scan' } },
    });
    // The reminder moves; the step still falls due on the guidance's date (Sunday 2027-02-14).
    expect(step.dueAt?.toISOString()).toBe('2027-02-14T00:00:00.000Z');
    expect(step.window).toMatchObject({
      rescheduledTo: '2026-11-26',
      due: '2027-02-14',
      reminders: { due: '2026-11-26T09:00:00.000Z' },
    });
    const entry = await db.auditEntry.findFirstOrThrow({
      where: { action: 'event.recorded', entityId: result.event.id },
    });
    expect(entry).toMatchObject({ actor: 'scheduler-1', patientId: `pat-${n}` });
    expect(JSON.stringify(entry.after)).toContain('DXA list on Thursday');
    // And the command's own entry, found by the step whose reminder moved.
    const moved = await db.auditEntry.findFirstOrThrow({
      where: { action: 'reminder.rescheduled', entityId: `${episodeId}/dxa-scan` },
    });
    expect(moved).toMatchObject({
      actor: 'scheduler-1',
      patientId: `pat-${n}`,
      after: { eventId: result.event.id, remindOn: '2026-11-26', reason: 'DXA list on Thursday' },
    });
  });

  it('refuses a day outside the window or without a reason, naming the field; nothing is saved', async () => {
    const before = await counts();
    const outside = await refusal(
      rescheduleStep(
        db,
        { episodeId, stepKey: 'dxa-scan', remindOn: '2027-02-15', reason: 'later' },
        scheduler(),
      ),
    );
    expect(outside.code).toBe('invalid-input');
    expect(outside.issues).toEqual([
      {
        path: 'event.remindOn',
        message: expect.stringMatching(
          /^is on or after the day the step becomes overdue \(Mon 15 Feb 2027\); the overdue limit is clinical and stays/,
        ),
      },
    ]);
    const noReason = await refusal(
      rescheduleStep(
        db,
        { episodeId, stepKey: 'dxa-scan', remindOn: '2026-11-26', reason: '' },
        scheduler(),
      ),
    );
    expect(noReason.issues).toEqual([
      { path: 'event.reason', message: 'must say why the reminder is moved' },
    ]);
    expect(await counts()).toEqual(before);
  });
});

describe('retryDelivery', () => {
  async function failedEmail() {
    const sent = await sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, scheduler());
    await failDeliveryAttempt(db, sent.emailDeliveryId, '550 no such user', true);
    return sent.emailDeliveryId;
  }

  it("puts a failed e-mail back to be sent, to the nurse's current address, audited", async () => {
    const id = await failedEmail();
    await db.user.update({ where: { id: 'nurse-1' }, data: { email: 'ann.nurse@fls.test' } });
    try {
      expect(await retryDelivery(db, id, scheduler(2))).toEqual({
        recipient: 'ann.nurse@fls.test',
      });
    } finally {
      await db.user.update({ where: { id: 'nurse-1' }, data: { email: 'nurse-1@fls.test' } });
    }
    expect(await db.reminderDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: 'pending',
      recipient: 'ann.nurse@fls.test',
      attempts: 1,
      lastError: '550 no such user',
    });
    const message = await db.outboxMessage.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(message).toMatchObject({
      kind: OUTBOX_KINDS.retryDelivery,
      payload: { deliveryId: id },
    });
    const entry = await db.auditEntry.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(entry).toMatchObject({
      actor: 'scheduler-1',
      action: 'reminder-delivery.retried',
      entityId: id,
      patientId: `pat-${n}`,
      before: expect.objectContaining({ state: 'failed', lastError: '550 no such user' }),
    });
  });

  it('refuses a delivery that is not failed, or whose reminder is settled, or unknown', async () => {
    const id = await failedEmail();
    await retryDelivery(db, id, scheduler(2));
    const again = await refusal(retryDelivery(db, id, scheduler(3)));
    expect([again.code, again.message]).toEqual([
      'conflict',
      'This e-mail is already waiting to be sent.',
    ]);
    await failDeliveryAttempt(db, id, '550 no such user', true);
    await db.reminder.updateMany({ where: { episodeId }, data: { status: 'resolved' } });
    const settled = await refusal(retryDelivery(db, id, scheduler(4)));
    expect(settled.message).toBe('The reminder is resolved: the step no longer needs this e-mail.');
    expect((await refusal(retryDelivery(db, 'nope', scheduler(4)))).code).toBe('not-found');
  });
});

describe('who may', () => {
  const nurse = { actorId: 'nurse-1', now: later(3) };
  const refusals = () =>
    db.auditEntry.findMany({ where: { action: 'access.refused' }, orderBy: { id: 'asc' } });

  it.each([
    [
      'reminder.sendNow',
      'send a reminder now',
      () => sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, nurse),
    ],
    [
      'reminder.reschedule',
      "move a step's reminder",
      () =>
        rescheduleStep(
          db,
          { episodeId, stepKey: 'dxa-scan', remindOn: '2026-11-26', reason: 'DXA on Thursday' },
          nurse,
        ),
    ],
    ['delivery.retry', 'retry a failed delivery', () => retryDelivery(db, 'any-delivery', nurse)],
  ] as const)(
    'refuses %s to a nurse, writes nothing, and audits the refusal',
    async (action, doing, attempt) => {
      const before = await counts();
      const seen = (await refusals()).length;
      const error = await refusal(attempt());
      expect([error.code, error.message]).toEqual([
        'forbidden',
        `Only schedulers and administrators may ${doing}; you are signed in as a nurse.`,
      ]);
      const after = await counts();
      // Only the refusal's own audit entry.
      expect(after).toEqual({ ...before, auditLog: before.auditLog + 1 });
      expect((await refusals()).slice(seen)).toEqual([
        expect.objectContaining({
          actor: 'nurse-1',
          entityType: 'action',
          entityId: action,
          after: { reason: error.message },
        }),
      ]);
    },
  );

  it('lets an administrator send now and retry, audited under their own id', async () => {
    const admin = (minutes: number) => ({ actorId: 'admin-1', now: later(minutes) });
    const sent = await sendReminderNow(db, { episodeId, stepKey: 'dxa-scan' }, admin(1));
    await failDeliveryAttempt(db, sent.emailDeliveryId, '550 no such user', true);
    await retryDelivery(db, sent.emailDeliveryId, admin(2));
    const entries = await db.auditEntry.findMany({
      where: { actor: 'admin-1', patientId: `pat-${n}` },
      orderBy: { id: 'asc' },
    });
    expect(entries.map((e) => e.action)).toEqual([
      'reminder.sent-now',
      'reminder-delivery.retried',
    ]);
    expect(await db.reminder.findUniqueOrThrow({ where: { id: sent.reminderId } })).toMatchObject({
      requestedBy: 'admin-1',
      nurseId: 'nurse-1',
    });
  });
});
