import { computePlan } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import { loadEpisodeRecord } from '../records/write-path.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  claimDelivery,
  deliveryToSend,
  markDeliveryAttemptFailed,
  markDeliverySent,
} from './deliveries.js';
import { fireFollowUp, fireFollowUps } from './fire.js';
import { overdueStepsByType, pendingAmong, pendingFollowUpsBefore } from './queries.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('fire'));
  await createUsers(db);
});
afterAll(() => close());

const HOUR = 3_600_000;
const ENROLLED = new Date('2026-11-17T10:00:00Z');
let n = 100;

/**
 * An admitted patient (by default the 48-hour review is due 2026-11-18T12:00Z and overdue
 * 2026-11-19T12:00Z; a day earlier for a fracture a day earlier).
 */
async function admitted(fractureDate = '2026-11-16') {
  n += 1;
  const input = testEnrolment({ n, fractureDate, admittedAt: `${fractureDate}T12:00:00Z` });
  await enrolPatient(db, input, { actorId: 'nurse-1', now: ENROLLED });
  const find = (transition: string) =>
    db.followUp.findFirstOrThrow({
      where: { episodeId: `ep-${n}`, stepKey: 'pain-review-48h', transition },
    });
  return { episodeId: `ep-${n}`, due: await find('due'), overdue: await find('overdue') };
}

describe('a step due on a bank holiday', () => {
  it('becomes due at the start of Easter Monday without a reminder; the reminder goes out on Tuesday at 09:00, as the reason says', async () => {
    n += 1;
    const episodeId = `ep-${n}`;
    // 12 weeks after 2026-01-12 is Easter Monday 2026-04-06 (England and Wales bank holiday).
    await enrolPatient(db, testEnrolment({ n, fractureDate: '2026-01-12' }), {
      actorId: 'nurse-1',
      now: new Date('2026-03-02T10:00:00Z'),
    });
    const followUps = await db.followUp.findMany({
      where: { episodeId, stepKey: 'twelve-week-review' },
      orderBy: { fireAt: 'asc' },
    });
    expect(followUps.map((f) => [f.transition, f.fireAt.toISOString()])).toEqual([
      ['due-day', '2026-04-05T23:00:00.000Z'],
      ['due', '2026-04-07T08:00:00.000Z'],
      ['overdue-day', '2026-04-20T23:00:00.000Z'],
      ['overdue', '2026-04-21T08:00:00.000Z'],
    ]);
    const [dueDay, due] = followUps;
    const review = () =>
      db.planStep.findUniqueOrThrow({
        where: { episodeId_key: { episodeId, key: 'twelve-week-review' } },
      });

    await fireFollowUp(db, dueDay?.id ?? '', { now: dueDay?.fireAt ?? new Date() });
    const onHoliday = await review();
    expect(onHoliday.status).toBe('due');
    expect(onHoliday.dueAt?.toISOString()).toBe('2026-04-05T23:00:00.000Z');
    expect(onHoliday.reason).toContain('the reminder goes out on Tue 7 Apr 2026 at 09:00');
    expect(await db.reminder.count({ where: { episodeId } })).toBe(0);

    const outcome = await fireFollowUp(db, due?.id ?? '', { now: due?.fireAt ?? new Date() });
    expect(outcome).toMatchObject({ kind: 'applied', transition: 'due' });
    expect((await review()).status).toBe('due');
    const reminders = await db.reminder.findMany({ where: { episodeId } });
    expect(reminders.map((r) => [r.kind, r.createdAt.toISOString()])).toEqual([
      ['due', '2026-04-07T08:00:00.000Z'],
    ]);
  });
});

describe('firing a follow-up', () => {
  it('marks the step due, makes one reminder with in-app and e-mail deliveries, and audits', async () => {
    const { episodeId, due } = await admitted();
    const at = new Date(due.fireAt.getTime() + 250);
    const outcome = await fireFollowUp(db, due.id, { now: at, emailReminders: true });
    expect(outcome).toMatchObject({
      kind: 'applied',
      transition: 'due',
      stepId: 'pain-review-48h',
      latenessMs: 250,
    });
    const step = await db.planStep.findUniqueOrThrow({
      where: { episodeId_key: { episodeId, key: 'pain-review-48h' } },
    });
    expect(step.status).toBe('due');
    const reminder = await db.reminder.findUniqueOrThrow({
      where: { followUpId: due.id },
      include: { deliveries: true },
    });
    expect(reminder.deliveries.map((d) => [d.channel, d.state]).sort()).toEqual([
      ['email', 'pending'],
      ['in_app', 'sent'],
    ]);
    const outbox = await db.outboxMessage.findMany({ where: { kind: 'reminder.deliver' } });
    expect(outbox.map((m) => m.payload)).toContainEqual({
      deliveryId: outcome.kind === 'applied' ? outcome.emailDeliveryId : '',
    });
    expect(
      await db.auditEntry.count({
        where: { action: 'step.due', entityId: `${episodeId}/pain-review-48h` },
      }),
    ).toBe(1);
    // Twice: nothing more.
    expect(await fireFollowUp(db, due.id, { now: at })).toEqual({
      kind: 'skipped',
      reason: 'not-pending',
    });
  });

  it('escalates when overdue: urgent flag kept, the due reminder superseded', async () => {
    const { due, overdue } = await admitted();
    await fireFollowUp(db, due.id, { now: due.fireAt });
    const outcome = await fireFollowUp(db, overdue.id, { now: overdue.fireAt });
    expect(outcome).toMatchObject({ kind: 'applied', transition: 'overdue' });
    const reminders = await db.reminder.findMany({
      where: { episodeId: due.episodeId },
      orderBy: { createdAt: 'asc' },
    });
    expect(reminders.map((r) => [r.kind, r.status])).toEqual([
      ['due', 'superseded'],
      ['overdue', 'open'],
    ]);
    expect(await overdueStepsByType(db)).toEqual(expect.any(Map));
    expect((await overdueStepsByType(db)).get('pain-review-48h')).toBeGreaterThanOrEqual(1);
  });

  it('when both are late (worker down), only the later transition acts', async () => {
    const { due, overdue } = await admitted();
    const late = new Date(overdue.fireAt.getTime() + HOUR);
    expect(await fireFollowUp(db, due.id, { now: late })).toEqual({
      kind: 'skipped',
      reason: 'superseded',
    });
    expect(await fireFollowUp(db, overdue.id, { now: late })).toMatchObject({
      kind: 'applied',
      latenessMs: HOUR,
    });
    expect(await db.reminder.count({ where: { episodeId: due.episodeId } })).toBe(1);
  });

  it('does nothing before its time, for an unknown id, or once the step is completed', async () => {
    const { episodeId, due, overdue } = await admitted();
    expect(await fireFollowUp(db, due.id, { now: new Date(due.fireAt.getTime() - HOUR) })).toEqual({
      kind: 'skipped',
      reason: 'early',
    });
    expect(await fireFollowUp(db, 'nope')).toEqual({ kind: 'skipped', reason: 'not-found' });
    await recordEvent(
      db,
      {
        episodeId,
        event: {
          // The generic entry may close the review only as declined or not indicated: a review
          // done is recorded as the pain assessment it is.
          type: 'step-completed',
          stepKey: 'pain-review-48h',
          outcome: 'declined',
          occurredAt: '2026-11-17T11:00:00Z',
        },
      },
      { actorId: 'nurse-1', now: new Date('2026-11-17T11:05:00Z') },
    );
    expect(await fireFollowUp(db, overdue.id, { now: overdue.fireAt })).toEqual({
      kind: 'skipped',
      reason: 'not-pending',
    });
  });

  it('fires at once for a fracture identified late, measuring lateness from when it was planned', async () => {
    n += 1;
    const planned = new Date();
    await enrolPatient(db, testEnrolment({ n, fractureDate: '2025-06-02' }), {
      actorId: 'nurse-1',
      now: planned,
    });
    const immediate = await db.followUp.findMany({
      where: { episodeId: `ep-${n}`, state: 'pending', fireAt: { lte: planned } },
    });
    expect(immediate.length).toBeGreaterThan(3);
    for (const followUp of immediate) {
      const outcome = await fireFollowUp(db, followUp.id, {
        now: new Date(planned.getTime() + 40),
      });
      expect(outcome).toMatchObject({ kind: 'applied', latenessMs: 40 });
    }
  });

  it('applies a batch in one transaction, each follow-up with its own outcome', async () => {
    const a = await admitted();
    const b = await admitted('2026-11-15');
    const c = await admitted();
    const now = new Date(a.due.fireAt.getTime() + HOUR);
    // A step row that disagrees with its pending follow-up (it cannot happen through the write
    // path) is treated as settled rather than trusted.
    await db.planStep.update({
      where: { episodeId_key: { episodeId: c.episodeId, key: 'pain-review-48h' } },
      data: { status: 'completed' },
    });
    const ids = [a.due.id, a.overdue.id, b.due.id, b.overdue.id, a.due.id, c.due.id, 'nope'];
    const outcomes = await fireFollowUps(db, ids, { now });
    const summary = (id: string) => {
      const outcome = outcomes.get(id);
      return outcome?.kind === 'applied' ? outcome.transition : outcome?.reason;
    };
    expect(Object.fromEntries([...outcomes.keys()].map((id) => [id, summary(id)]))).toEqual({
      [a.due.id]: 'due',
      [a.overdue.id]: 'early',
      [b.due.id]: 'superseded',
      [b.overdue.id]: 'overdue',
      [c.due.id]: 'step-settled',
      nope: 'not-found',
    });
    expect(outcomes.get(a.due.id)).toMatchObject({ latenessMs: HOUR });
    const states = await db.followUp.findMany({
      where: { id: { in: [a.due.id, a.overdue.id, b.due.id, b.overdue.id, c.due.id] } },
    });
    expect(Object.fromEntries(states.map((f) => [f.id, f.state]))).toEqual({
      [a.due.id]: 'fired',
      [a.overdue.id]: 'pending',
      [b.due.id]: 'superseded',
      [b.overdue.id]: 'fired',
      [c.due.id]: 'cancelled',
    });
    // The stored step is what the domain's full plan says at that instant.
    for (const episodeId of [a.episodeId, b.episodeId]) {
      const record = await loadEpisodeRecord(db, episodeId);
      const plan = computePlan({ ...(record as NonNullable<typeof record>), asOf: now.getTime() });
      const expected = plan.steps.find((s) => s.key === 'pain-review-48h');
      const stored = await db.planStep.findUniqueOrThrow({
        where: { episodeId_key: { episodeId, key: 'pain-review-48h' } },
      });
      expect([stored.status, stored.reason, stored.urgent]).toEqual([
        expected?.status,
        expected?.reason,
        expected?.urgent,
      ]);
    }
    const reminders = await db.reminder.findMany({
      where: { episodeId: { in: [a.episodeId, b.episodeId, c.episodeId] } },
    });
    expect(reminders.map((r) => [r.episodeId, r.kind]).sort()).toEqual([
      [a.episodeId, 'due'],
      [b.episodeId, 'overdue'],
    ]);
    const patients = [a, b, c].map((x) => x.episodeId.replace('ep-', 'pat-'));
    expect(
      await db.auditEntry.count({
        where: { actor: 'system:worker', patientId: { in: patients } },
      }),
    ).toBe(2);
  });

  it('finds pending follow-ups by time and by id', async () => {
    const { due } = await admitted();
    const soon = await pendingFollowUpsBefore(db, new Date(due.fireAt.getTime() + 1), [
      due.id,
      'nope',
    ]);
    expect(soon.map((f) => f.id)).toEqual([due.id]);
    expect(await pendingAmong(db, [due.id, 'nope'])).toEqual(new Set([due.id]));
    expect(await pendingAmong(db, [])).toEqual(new Set());
  });
});

describe('e-mail deliveries', () => {
  it('record success, retries and final failure', async () => {
    const { due } = await admitted();
    const outcome = await fireFollowUp(db, due.id, { now: due.fireAt, emailReminders: true });
    const id = outcome.kind === 'applied' ? (outcome.emailDeliveryId as string) : '';
    expect((await deliveryToSend(db, id))?.reminder.stepTitle).toMatch(/48-hour/);
    const claim = { workerId: 'worker-a', now: due.fireAt, leaseMs: 60_000 };
    expect((await claimDelivery(db, id, claim)).kind).toBe('claimed');
    expect(await db.reminderDelivery.findUnique({ where: { id } })).toMatchObject({
      state: 'sending',
      attempts: 1,
      claimedBy: 'worker-a',
    });
    await markDeliveryAttemptFailed(db, id, {
      workerId: 'worker-a',
      error: 'timeout',
      final: false,
    });
    expect(await db.reminderDelivery.findUnique({ where: { id } })).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'timeout',
    });
    expect((await claimDelivery(db, id, claim)).kind).toBe('claimed');
    // Another worker's failure report does not touch this worker's claim.
    await markDeliveryAttemptFailed(db, id, { workerId: 'worker-b', error: 'late', final: true });
    expect((await db.reminderDelivery.findUnique({ where: { id } }))?.state).toBe('sending');
    await markDeliverySent(db, id);
    expect(await db.reminderDelivery.findUnique({ where: { id } })).toMatchObject({
      state: 'sent',
      attempts: 2,
      lastError: null,
    });
    // A sent delivery is never claimed (or sent) again.
    expect(await claimDelivery(db, id, claim)).toEqual({
      kind: 'skip',
      why: 'the delivery is already sent',
    });
  });
});
