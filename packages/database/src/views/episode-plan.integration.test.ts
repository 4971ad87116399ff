import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { fireFollowUps } from '../follow-ups/fire.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { currentPlan, statusesAsOf, unappliedSince } from './episode-plan.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('episode_plan'));
  await createUsers(db);
});
afterAll(() => close());

const ENROLLED = new Date('2026-11-17T10:00:00Z');

/** The stored status of each step (what the worklist, caseload and overdue lists read). */
async function storedStatuses(episodeId: string) {
  const rows = await db.planStep.findMany({
    where: { episodeId },
    select: { key: true, status: true },
  });
  return Object.fromEntries(rows.map((row) => [row.key, row.status]));
}

async function shownStatuses(episodeId: string, now: Date) {
  const current = await currentPlan(db, episodeId, now);
  if (!current) throw new Error('no plan');
  return {
    asOf: current.statusesAsOf,
    statuses: Object.fromEntries(current.plan.steps.map((step) => [step.key, step.status])),
  };
}

describe("an episode's plan, as every page shows it", () => {
  it('agrees with the stored statuses while the worker is behind, and says as of when', async () => {
    const input = testEnrolment({
      n: 1,
      fractureDate: '2026-11-16',
      admittedAt: '2026-11-16T12:00:00Z',
    });
    await enrolPatient(db, input, { actorId: 'nurse-1', now: ENROLLED });
    const episodeId = 'ep-1';
    // Weeks later, with no worker: many timed changes are due and none applied.
    const later = new Date('2026-12-20T10:00:00Z');
    const due = await db.followUp.findMany({
      where: { episodeId, state: 'pending', fireAt: { lte: later } },
      orderBy: { fireAt: 'asc' },
    });
    expect(due.length).toBeGreaterThan(1);
    const behind = await shownStatuses(episodeId, later);
    expect(behind.asOf.getTime()).toBeLessThan(later.getTime());
    const since = new Date(behind.asOf.getTime() + 1);
    expect(due.map((followUp) => followUp.fireAt)).toContainEqual(since);
    expect(behind.statuses).toEqual(await storedStatuses(episodeId));
    expect(await unappliedSince(db, later)).toEqual(since);

    // The worker catches up: the plan is as of now, and still agrees with the stored statuses.
    await fireFollowUps(
      db,
      due.map((followUp) => followUp.id),
      { now: later },
    );
    const caughtUp = await shownStatuses(episodeId, later);
    expect(caughtUp.asOf).toEqual(later);
    expect(caughtUp.statuses).toEqual(await storedStatuses(episodeId));
    expect(Object.values(caughtUp.statuses)).not.toEqual(Object.values(behind.statuses));
    expect(await statusesAsOf(db, episodeId, later)).toEqual(later);
    expect(await unappliedSince(db, later)).toBeUndefined();
  });

  it('is not held back by a reminder still owed for a change the statuses already show', async () => {
    // Enrolled now, admitted 50 hours ago: the write path plans at now, so the 48-hour review
    // is stored as due; its "due" follow-up (48 hours after admission) is still pending for its
    // reminder, which no worker has sent.
    const now = new Date('2026-11-20T12:00:00Z');
    const admitted = new Date(now.getTime() - 50 * 3_600_000);
    const input = testEnrolment({
      n: 2,
      fractureDate: '2026-11-18',
      admittedAt: admitted.toISOString(),
    });
    await enrolPatient(db, input, { actorId: 'nurse-1', now });
    const owed = await db.followUp.count({
      where: { episodeId: 'ep-2', state: 'pending', fireAt: { lte: now } },
    });
    expect(owed).toBeGreaterThan(0);
    const shown = await shownStatuses('ep-2', now);
    expect(shown.asOf).toEqual(now);
    expect(shown.statuses).toEqual(await storedStatuses('ep-2'));
    expect(Object.values(shown.statuses)).toContain('due');
  });
});
