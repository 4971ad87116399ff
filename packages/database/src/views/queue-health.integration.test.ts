import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands.js';
import { fireFollowUp } from '../follow-ups/fire.js';
import { claimOutbox, releaseOutbox, setAsideOutbox } from '../outbox/outbox.js';
import { failDeliveryAttempt } from '../testing/deliveries.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { queueHealth } from './queue-health.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('queue_health'));
  await createUsers(db);
});
afterAll(() => close());

const ENROLLED = new Date('2026-11-17T10:00:00Z');
const SECOND = 1_000;

async function admitted(n: number) {
  await enrolPatient(
    db,
    testEnrolment({ n, fractureDate: '2026-11-16', admittedAt: '2026-11-16T12:00:00Z' }),
    { actorId: 'nurse-1', now: ENROLLED },
  );
  return db.followUp.findFirstOrThrow({
    where: { episodeId: `ep-${n}`, stepKey: 'pain-review-48h', transition: 'due' },
  });
}

describe('queue health', () => {
  it('is all zeros on an empty service', async () => {
    const health = await queueHealth(db, ENROLLED);
    expect(health.followUps).toEqual({
      byState: { pending: 0, fired: 0, cancelled: 0, superseded: 0 },
      late: 0,
      oldestLateFireAt: null,
      lastHour: { fired: 0, p50Ms: null, p95Ms: null, maxMs: null },
    });
    expect(health.deliveries).toEqual({
      byState: { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 },
      stuck: 0,
      recentFailures: [],
    });
    expect(health.outbox).toEqual({
      backlog: 0,
      lagSeconds: 0,
      failing: 0,
      lastError: null,
      setAside: 0,
      recentSetAside: [],
    });
  });

  it('counts states, late follow-ups, last-hour lateness, failed e-mails and the outbox', async () => {
    const dues = [];
    for (let n = 1; n <= 4; n++) dues.push(await admitted(n));
    const dueAt = dues[0]?.fireAt as Date;
    // Three fired 1, 2 and 10 seconds late; the fourth left pending.
    const late = [1, 2, 10];
    for (const [i, seconds] of late.entries()) {
      const due = dues[i];
      if (!due) throw new Error('missing follow-up');
      await fireFollowUp(db, due.id, {
        now: new Date(due.fireAt.getTime() + seconds * SECOND),
        emailReminders: true,
      });
    }
    // One e-mail failed for good; another still pending 20 minutes on.
    const emails = await db.reminderDelivery.findMany({
      where: { channel: 'email' },
      orderBy: { createdAt: 'asc' },
    });
    const failed = emails[0];
    if (!failed) throw new Error('no e-mail delivery');
    await failDeliveryAttempt(db, failed.id, 'SMTP 550 mailbox unavailable', true);
    // Deliveries are stamped with the wall clock; put them at the simulated firing time.
    await db.$executeRaw`UPDATE reminder_deliveries SET updated_at = ${dueAt}
      WHERE state = 'pending'`;

    // The outbox: every message waiting; one already failed to relay.
    const backlog = await db.outboxMessage.count({ where: { processedAt: null } });
    const [claimed] = await claimOutbox(db, { limit: 1, claimant: 'relay-1', leaseMs: 60_000 });
    await releaseOutbox(db, claimed ? [claimed.id] : [], 'queue unavailable', {
      claimant: 'relay-1',
      maxDelayMs: 60_000,
    });
    // One message a relay could not parse: set aside, out of the backlog and its lag.
    await db.outboxMessage.create({
      data: { kind: 'reminder.unknown', payload: {}, createdAt: dueAt },
    });
    const [odd] = await db.outboxMessage.findMany({ where: { kind: 'reminder.unknown' } });
    if (!odd) throw new Error('no odd message');
    await setAsideOutbox(db, odd.id, 'Unknown outbox message kind "reminder.unknown"', dueAt);
    await db.$executeRaw`UPDATE outbox SET created_at = ${dueAt}`;

    const now = new Date(dueAt.getTime() + 20 * 60 * SECOND);
    const health = await queueHealth(db, now);
    const pendingTotal = await db.followUp.count({ where: { state: 'pending' } });
    const lateTotal = await db.followUp.count({
      where: { state: 'pending', fireAt: { lt: new Date(now.getTime() - 60 * SECOND) } },
    });
    expect(health.followUps.byState).toMatchObject({ pending: pendingTotal, fired: 3 });
    expect(health.followUps.late).toBe(lateTotal);
    expect(health.followUps.late).toBeGreaterThanOrEqual(1);
    expect(health.followUps.oldestLateFireAt?.getTime()).toBeLessThanOrEqual(dueAt.getTime());
    expect(health.followUps.lastHour).toEqual({
      fired: 3,
      p50Ms: 2_000,
      // Interpolated between 2 s and 10 s, as percentile_cont does.
      p95Ms: 9_200,
      maxMs: 10_000,
    });

    expect(health.deliveries.byState).toEqual({
      pending: 2,
      sending: 0,
      sent: 3,
      failed: 1,
      unknown: 0,
    });
    expect(health.deliveries.stuck).toBe(2);
    expect(health.deliveries.recentFailures).toEqual([
      expect.objectContaining({
        id: failed.id,
        channel: 'email',
        recipient: 'nurse-1@fls.test',
        lastError: 'SMTP 550 mailbox unavailable',
        outcome: 'failed',
        episodeId: 'ep-1',
        reminderKind: 'due',
        stepTitle: expect.any(String),
      }),
    ]);

    expect(health.outbox).toEqual({
      backlog,
      lagSeconds: 20 * 60,
      failing: 1,
      lastError: 'queue unavailable',
      setAside: 1,
      recentSetAside: [
        {
          id: String(odd.id),
          kind: 'reminder.unknown',
          error: 'Unknown outbox message kind "reminder.unknown"',
          setAsideAt: dueAt,
        },
      ],
    });

    // An hour later the firings have left the window; the late follow-up is still late.
    const later = await queueHealth(db, new Date(now.getTime() + 61 * 60 * SECOND));
    expect(later.followUps.lastHour.fired).toBe(0);
    expect(later.followUps.late).toBeGreaterThanOrEqual(health.followUps.late);
  });
});
