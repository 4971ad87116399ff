import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { sendReminderNow } from '../commands/send-reminder-now.js';
import { enrolPatients, recordEvent } from '../commands.js';
import { failDeliveryAttempt } from '../testing/deliveries.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  failedDeliveries,
  reminderStep,
  upcomingDays,
  upcomingReminderDays,
  upcomingReminders,
} from './reminders.js';

// Three patients with the same fracture (Monday 2026-11-16), enrolled on Tuesday 2026-11-17 at
// 10:00Z: one on nurse-1's caseload ("Ann Nurse"), one on nurse-2's ("Bea Nurse"), one on nobody's.
// London is on GMT in November, so day-level reminders fire at 09:00Z.
const NOW = new Date('2026-11-17T10:00:00Z');
const LONDON = { now: NOW, timeZone: 'Europe/London' };

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('reminder_views'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse', name: 'Ann Nurse' },
    { id: 'nurse-2', role: 'nurse', name: 'Bea Nurse' },
    { id: 'scheduler-1', role: 'scheduler', name: 'Sam Scheduler' },
  ]);
  await enrolPatients(
    db,
    [
      testEnrolment({ n: 1, nurseId: 'nurse-1' }),
      testEnrolment({ n: 2, nurseId: 'nurse-2' }),
      testEnrolment({ n: 3, nurseId: null }),
    ],
    { actorId: 'nurse-1', now: NOW },
  );
});
afterAll(() => close());

/** The pending due and overdue follow-ups between two instants, counted by Prisma directly. */
const pendingBetween = (from: Date, until: Date) =>
  db.followUp.count({
    where: {
      state: 'pending',
      transition: { in: ['due', 'overdue'] },
      fireAt: { gte: from, lt: until },
    },
  });

describe('upcomingReminderDays', () => {
  it('lists each of the next 14 days from today, with counts by nurse that add up', async () => {
    const days = await upcomingReminderDays(db, LONDON);
    expect(days.map((d) => d.day)).toEqual(upcomingDays(LONDON).map((d) => d.day));
    expect(days[0]?.day).toBe('2026-11-17');
    expect(days.at(-1)?.day).toBe('2026-11-30');
    for (const [i, range] of upcomingDays(LONDON).entries()) {
      const day = days[i];
      expect(day?.count, range.day).toBe(await pendingBetween(range.from, range.until));
      expect(day?.nurses.reduce((sum, n) => sum + n.count, 0)).toBe(day?.count);
    }
    const today = days[0];
    expect(today?.count).toBeGreaterThan(0);
    // Nobody's patients first, then by name; the three patients have the same plan.
    expect(today?.nurses.map((n) => n.nurse?.name ?? null)).toEqual([
      null,
      'Ann Nurse',
      'Bea Nurse',
    ]);
    expect(new Set(today?.nurses.map((n) => n.count)).size).toBe(1);
  });

  it('counts an overdue escalation as overdue, on the overdue day', async () => {
    // Holistic assessment: due on enrolment day, overdue from Thursday 2026-11-19.
    const days = await upcomingReminderDays(db, LONDON);
    const thursday = days.find((d) => d.day === '2026-11-19');
    expect(thursday?.overdue).toBeGreaterThanOrEqual(3);
  });

  it("puts a reminder on the user's own calendar day", async () => {
    // 09:00Z on 2026-11-19 is 23:00 on the 18th in Honolulu (UTC-10).
    const honolulu = { now: NOW, timeZone: 'Pacific/Honolulu' };
    const london = await upcomingReminders(db, { ...LONDON, day: '2026-11-19' });
    const there = await upcomingReminders(db, { ...honolulu, day: '2026-11-18' });
    const key = (r: { followUpId: string }) => r.followUpId;
    const londonIds = london.groups.flatMap((g) => g.reminders.map(key));
    const thereIds = there.groups.flatMap((g) => g.reminders.map(key));
    expect(londonIds.length).toBeGreaterThan(0);
    expect(thereIds).toEqual(expect.arrayContaining(londonIds));
  });
});

describe('upcomingReminders', () => {
  it('lists one day grouped by nurse, with the step, patient and identifier', async () => {
    const { groups, more } = await upcomingReminders(db, { ...LONDON, day: '2026-11-17' });
    expect(more).toBe(false);
    expect(groups.map((g) => g.nurse?.name ?? null)).toEqual([null, 'Ann Nurse', 'Bea Nurse']);
    const ann = groups[1];
    const holistic = ann?.reminders.find((r) => r.stepKey === 'holistic-assessment');
    expect(holistic).toMatchObject({
      transition: 'due',
      episodeId: 'ep-1',
      stepTitle: 'Holistic assessment of pain, function and quality of life',
      patient: {
        id: 'pat-1',
        givenName: 'Test',
        familyName: 'Patient 1',
        identifierKind: 'mrn',
        identifierValue: 'TEST-1',
      },
      nurse: { id: 'nurse-1', name: 'Ann Nurse' },
      window: expect.objectContaining({ granularity: 'day', opens: '2026-11-17' }),
    });
    // In the order they fire within a nurse's group.
    const times = ann?.reminders.map((r) => r.fireAt.getTime()) ?? [];
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("narrows to one nurse's patients, or to patients on nobody's caseload", async () => {
    const ann = await upcomingReminders(db, { ...LONDON, day: '2026-11-17', nurseId: 'nurse-1' });
    expect(ann.groups.map((g) => g.nurse?.id)).toEqual(['nurse-1']);
    const nobody = await upcomingReminders(db, { ...LONDON, day: '2026-11-17', nurseId: null });
    expect(nobody.groups.map((g) => g.nurse)).toEqual([null]);
    expect(nobody.groups[0]?.reminders.every((r) => r.patient.id === 'pat-3')).toBe(true);
  });

  it('says when a day has more than the limit', async () => {
    const all = await upcomingReminders(db, { ...LONDON, day: '2026-11-17' });
    const total = all.groups.reduce((sum, g) => sum + g.reminders.length, 0);
    const cut = await upcomingReminders(db, { ...LONDON, day: '2026-11-17', limit: total - 1 });
    expect(cut.more).toBe(true);
    expect(cut.groups.reduce((sum, g) => sum + g.reminders.length, 0)).toBe(total - 1);
  });

  it('lists nothing for a day outside the next 14', async () => {
    expect(await upcomingReminders(db, { ...LONDON, day: '2026-12-01' })).toEqual({
      groups: [],
      more: false,
    });
  });

  it('drops a reminder once its step is completed', async () => {
    const before = await upcomingReminders(db, { ...LONDON, day: '2026-11-17', nurseId: null });
    expect(before.groups[0]?.reminders.some((r) => r.stepKey === 'self-management-advice')).toBe(
      true,
    );
    await recordEvent(
      db,
      {
        episodeId: 'ep-3',
        event: {
          type: 'step-completed',
          stepKey: 'self-management-advice',
          outcome: 'done',
          occurredAt: NOW.toISOString(),
        },
      },
      { actorId: 'nurse-1', now: new Date(NOW.getTime() + 60_000) },
    );
    const after = await upcomingReminders(db, { ...LONDON, day: '2026-11-17', nurseId: null });
    expect(after.groups[0]?.reminders.some((r) => r.stepKey === 'self-management-advice')).toBe(
      false,
    );
  });
});

describe('reminderStep', () => {
  it('gives the step with its window, patient and nurse, or undefined', async () => {
    expect(await reminderStep(db, 'ep-2', 'dxa-scan')).toMatchObject({
      title: 'DXA scan with vertebral fracture assessment',
      status: 'open',
      window: expect.objectContaining({ opens: '2026-11-16', overdueFrom: '2027-02-15' }),
      patient: { id: 'pat-2', identifierValue: 'TEST-2' },
      nurse: { id: 'nurse-2', name: 'Bea Nurse' },
    });
    expect(await reminderStep(db, 'ep-2', 'no-such-step')).toBeUndefined();
  });
});

describe('failedDeliveries', () => {
  it('lists failed e-mails newest first with their reminder, patient, nurse, attempts and error', async () => {
    const sent = await sendReminderNow(
      db,
      { episodeId: 'ep-1', stepKey: 'dxa-scan' },
      { actorId: 'scheduler-1', now: NOW },
    );
    expect((await failedDeliveries(db)).deliveries).toEqual([]);
    await failDeliveryAttempt(db, sent.emailDeliveryId, '450 mailbox unavailable', false);
    await failDeliveryAttempt(db, sent.emailDeliveryId, '450 mailbox unavailable', true);
    const { deliveries, more } = await failedDeliveries(db);
    expect(more).toBe(false);
    expect(deliveries).toEqual([
      expect.objectContaining({
        deliveryId: sent.emailDeliveryId,
        recipient: 'nurse-1@fls.test',
        attempts: 2,
        lastError: '450 mailbox unavailable',
        reminder: expect.objectContaining({
          kind: 'manual',
          status: 'open',
          stepKey: 'dxa-scan',
          stepTitle: 'DXA scan with vertebral fracture assessment',
          episodeId: 'ep-1',
        }),
        patient: expect.objectContaining({ id: 'pat-1', identifierValue: 'TEST-1' }),
        nurse: { id: 'nurse-1', name: 'Ann Nurse' },
      }),
    ]);
    expect((await failedDeliveries(db, 0)).more).toBe(true);
  });
});
