import { reminderSentNow } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import { sendReminderNow } from '../commands/send-reminder-now.js';
import { OUTBOX_KINDS } from '../outbox/catalog.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { fireFollowUp } from './fire.js';
import { writeReminders } from './reminder-writer.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('reminder_writer'));
  await createUsers(db);
});
afterAll(() => close());

const ENROLLED = new Date('2026-11-17T10:00:00Z');
const STEP = 'pain-review-48h';
let n = 0;

/** An admitted patient: the 48-hour review is due 2026-11-18T12:00Z and overdue a day later. */
async function admitted() {
  n += 1;
  const input = testEnrolment({
    n,
    fractureDate: '2026-11-16',
    admittedAt: '2026-11-16T12:00:00Z',
  });
  await enrolPatient(db, input, { actorId: 'nurse-1', now: ENROLLED });
  const find = (transition: string) =>
    db.followUp.findFirstOrThrow({ where: { episodeId: `ep-${n}`, stepKey: STEP, transition } });
  return { episodeId: `ep-${n}`, due: await find('due'), overdue: await find('overdue') };
}

/** A reminder's rows as the worker and the worklist read them, without ids and times. */
async function rowsOf(reminderId: string) {
  const reminder = await db.reminder.findUniqueOrThrow({
    where: { id: reminderId },
    include: { deliveries: { orderBy: { channel: 'asc' } } },
  });
  const emails = reminder.deliveries.filter((d) => d.channel === 'email').map((d) => d.id);
  const outbox = await db.outboxMessage.findMany({
    where: { OR: emails.map((deliveryId) => ({ payload: { equals: { deliveryId } } })) },
  });
  return {
    reminder: {
      stepKey: reminder.stepKey,
      stepTitle: reminder.stepTitle,
      urgent: reminder.urgent,
      nurseId: reminder.nurseId,
      status: reminder.status,
      resolvedAt: reminder.resolvedAt,
    },
    deliveries: reminder.deliveries.map((d) => ({
      channel: d.channel,
      state: d.state,
      attempts: d.attempts,
      recipient: d.recipient,
      sent: d.sentAt !== null,
      lastError: d.lastError,
    })),
    outbox: outbox.map((m) => ({ kind: m.kind, processed: m.processedAt !== null })),
  };
}

describe('the reminder writer', () => {
  it('writes a fired follow-up and a send-now as the same rows, apart from what makes them', async () => {
    const { episodeId, due } = await admitted();
    const fired = await fireFollowUp(db, due.id, { now: due.fireAt, emailReminders: true });
    if (fired.kind !== 'applied' || !fired.reminderId) throw new Error('no reminder fired');
    const sent = await sendReminderNow(
      db,
      { episodeId, stepKey: STEP },
      { actorId: 'scheduler-1', now: new Date(due.fireAt.getTime() + 60_000) },
    );
    const [byTimer, byHand] = await Promise.all([
      rowsOf(fired.reminderId),
      rowsOf(sent.reminderId),
    ]);
    expect(byHand).toEqual(byTimer);
    expect(byTimer).toEqual({
      reminder: expect.objectContaining({ nurseId: 'nurse-1', status: 'open', resolvedAt: null }),
      deliveries: [
        {
          channel: 'in_app',
          state: 'sent',
          attempts: 1,
          recipient: 'nurse-1',
          sent: true,
          lastError: null,
        },
        {
          channel: 'email',
          state: 'pending',
          attempts: 0,
          recipient: 'nurse-1@fls.test',
          sent: false,
          lastError: null,
        },
      ],
      outbox: [{ kind: OUTBOX_KINDS.deliverReminder, processed: false }],
    });
    // What differs is what made them.
    const [timer, hand] = await Promise.all(
      [fired.reminderId, sent.reminderId].map((id) =>
        db.reminder.findUniqueOrThrow({ where: { id } }),
      ),
    );
    expect([timer?.kind, timer?.followUpId, timer?.requestedBy]).toEqual(['due', due.id, null]);
    expect([hand?.kind, hand?.followUpId, hand?.requestedBy]).toEqual([
      'manual',
      null,
      'scheduler-1',
    ]);
  });

  it('writes a batch in order, each e-mail with its one outbox message, and nothing for none', async () => {
    const { episodeId } = await admitted();
    const decide = (email: string) => {
      const decision = reminderSentNow({
        step: { title: 'Review', status: 'open', urgent: false },
        nurse: { id: 'nurse-2', name: 'nurse-2', email, active: true },
        lastSentByHandAt: undefined,
        requestedBy: 'admin-1',
        now: ENROLLED.getTime(),
      });
      if (!decision.allowed) throw new Error(decision.reason);
      return { episodeId, stepKey: STEP, stepTitle: 'Review', followUpId: null, ...decision };
    };
    const outboxBefore = await db.outboxMessage.count();
    const written = await db.$transaction((tx) =>
      writeReminders(tx, [decide('a@fls.test'), decide('b@fls.test')], ENROLLED),
    );
    expect(written).toHaveLength(2);
    const recipients = await Promise.all(
      written.map(async ({ emailDeliveryId }) =>
        db.reminderDelivery.findUniqueOrThrow({ where: { id: emailDeliveryId as string } }),
      ),
    );
    expect(recipients.map((d) => d.recipient)).toEqual(['a@fls.test', 'b@fls.test']);
    expect(await db.outboxMessage.count()).toBe(outboxBefore + 2);
    expect(await db.$transaction((tx) => writeReminders(tx, [], ENROLLED))).toEqual([]);
  });

  it('supersedes every open reminder of the step when overdue escalates, and no other step', async () => {
    const { episodeId, due, overdue } = await admitted();
    await fireFollowUp(db, due.id, { now: due.fireAt });
    await sendReminderNow(
      db,
      { episodeId, stepKey: STEP },
      { actorId: 'scheduler-1', now: new Date(due.fireAt.getTime() + 60_000) },
    );
    const other = await sendReminderNow(
      db,
      { episodeId, stepKey: 'dxa-scan' },
      { actorId: 'scheduler-1', now: new Date(due.fireAt.getTime() + 60_000) },
    );
    await fireFollowUp(db, overdue.id, { now: overdue.fireAt });
    const reminders = await db.reminder.findMany({
      where: { episodeId, stepKey: STEP },
      orderBy: { createdAt: 'asc' },
    });
    expect(reminders.map((r) => [r.kind, r.status, r.resolvedAt?.toISOString() ?? null])).toEqual([
      ['due', 'superseded', overdue.fireAt.toISOString()],
      ['manual', 'superseded', overdue.fireAt.toISOString()],
      ['overdue', 'open', null],
    ]);
    expect((await db.reminder.findUniqueOrThrow({ where: { id: other.reminderId } })).status).toBe(
      'open',
    );
  });

  it("closes a settled step's open reminders as resolved when the entry is recorded", async () => {
    const { episodeId, due } = await admitted();
    await fireFollowUp(db, due.id, { now: due.fireAt });
    const other = await sendReminderNow(
      db,
      { episodeId, stepKey: 'dxa-scan' },
      { actorId: 'scheduler-1', now: due.fireAt },
    );
    const at = new Date(due.fireAt.getTime() + 3_600_000);
    await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'step-completed',
          stepKey: STEP,
          outcome: 'declined',
          occurredAt: at.toISOString(),
        },
      },
      { actorId: 'nurse-1', now: at },
    );
    const reminders = await db.reminder.findMany({
      where: { episodeId },
      orderBy: { kind: 'asc' },
    });
    expect(
      reminders.map((r) => [r.stepKey, r.kind, r.status, r.resolvedAt?.toISOString() ?? null]),
    ).toEqual([
      [STEP, 'due', 'resolved', at.toISOString()],
      ['dxa-scan', 'manual', 'open', null],
    ]);
    expect(other.reminderId).toBe(reminders[1]?.id);
  });

  it('counts the cool-down from the last reminder sent by hand, even one since closed', async () => {
    const { episodeId } = await admitted();
    const first = new Date('2026-11-17T11:00:00Z');
    await sendReminderNow(db, { episodeId, stepKey: STEP }, { actorId: 'scheduler-1', now: first });
    // Superseded since (as an overdue escalation does): it was still sent, so the cool-down holds.
    await db.reminder.updateMany({ where: { episodeId }, data: { status: 'superseded' } });
    const error = await sendReminderNow(
      db,
      { episodeId, stepKey: STEP },
      { actorId: 'scheduler-1', now: new Date(first.getTime() + 14 * 60_000) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    expect(error).toMatchObject({
      code: 'conflict',
      message: `A reminder about "${(await db.reminder.findFirstOrThrow({ where: { episodeId } })).stepTitle}" was already sent to nurse-1 at 2026-11-17T11:00:00.000Z; wait 15 minutes before sending another (from 2026-11-17T11:15:00.000Z).`,
    });
  });
});
