import { type Plan, timersStillToFire } from '@vfx/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient, enrolPatients } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { caseload } from '../views/caseload.js';
import { kpiReport } from '../views/kpis.js';
import { patientWithEpisodes } from '../views/patient-episodes.js';
import { RecordError } from './errors.js';

// Correcting an episode's enrolment details (packages/domain episode-details-corrected) through
// the write path: the follow-ups move with the plan, and the stored copy of the fracture date
// that lists and counts filter on follows the correction, its correction and its withdrawal.

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('episode_details'));
  await createUsers(db);
});
afterAll(() => close());

// Enrolled on 17 November 2026 with the fracture on Monday 16 November.
const NOW = new Date('2026-11-17T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
let n = 0;
let episodeId: string;

beforeEach(async () => {
  n += 1;
  episodeId = `ep-${n}`;
});

const correction = (details: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'episode-details-corrected',
  note: 'Fracture date mistyped at enrolment; the x-ray is dated 2 November',
  occurredAt: later(1).toISOString(),
  ...details,
  ...extra,
});

async function storedFractureDate(id: string): Promise<string | undefined> {
  const row = await db.episode.findUnique({ where: { id }, select: { fractureDate: true } });
  return row?.fractureDate.toISOString().slice(0, 10);
}

/** The step's timers the queue must still fire (a past "open" needs no reminder). */
function firing(plan: Plan, stepKey: string, now: Date) {
  const still = timersStillToFire(plan, now.getTime());
  return plan.timers.filter((t) => t.stepKey === stepKey && still.has(t.id));
}

async function pendingOf(id: string, stepKey: string) {
  const rows = await db.followUp.findMany({
    where: { episodeId: id, stepKey, state: 'pending' },
    orderBy: { fireAt: 'asc' },
  });
  return rows.map((row) => ({ id: row.id, fireAt: row.fireAt.toISOString() }));
}

describe('correcting the enrolment details', () => {
  it('moves the follow-ups of windows anchored on the fracture date, and the stored fracture date', async () => {
    await enrolPatient(db, testEnrolment({ n, fractureDate: '2026-11-16' }), {
      actorId: 'nurse-1',
      now: NOW,
    });
    const before = await pendingOf(episodeId, 'dxa-scan');
    expect(before.length).toBeGreaterThan(0);

    const result = await recordEvent(
      db,
      { episodeId, event: correction({ fractureDate: '2026-11-02' }) },
      { actorId: 'nurse-1', now: later(2) },
    );

    // The plan reads the corrected date, and says so.
    const dxa = result.plan.steps.find((s) => s.key === 'dxa-scan');
    expect(dxa?.window?.anchor).toBe(
      'the fracture on Mon 2 Nov 2026 (corrected; enrolled as Mon 16 Nov 2026)',
    );
    expect(result.plan.daysSinceFracture).toBe(15);
    expect(result.changes.find((c) => c.stepKey === 'dxa-scan')?.kind).toBe('window');

    // What is pending is exactly what the corrected plan fires; the old reminders are cancelled
    // and the queue is told to remove them.
    const wanted = firing(result.plan, 'dxa-scan', later(2));
    // The status changes at the start of each day, the reminders on working mornings.
    expect(wanted.map((t) => t.transition).sort()).toEqual([
      'due',
      'due-day',
      'overdue',
      'overdue-day',
    ]);
    const after = await pendingOf(episodeId, 'dxa-scan');
    expect(after.map((f) => f.id).sort()).toEqual(wanted.map((t) => t.id).sort());
    expect(after.map((f) => f.fireAt).sort()).toEqual(wanted.map((t) => t.fireAt).sort());
    const cancelled = await db.followUp.findMany({
      where: { id: { in: before.map((f) => f.id) } },
      select: { state: true },
    });
    expect(cancelled.every((f) => f.state === 'cancelled')).toBe(true);
    const removals = await db.outboxMessage.findMany({ where: { kind: 'follow-up.remove' } });
    const removed = removals.map((m) => (m.payload as { followUpId: string }).followUpId);
    for (const old of before) expect(removed).toContain(old.id);

    // The stored plan steps carry the moved window.
    const stored = await db.planStep.findUnique({
      where: { episodeId_key: { episodeId, key: 'dxa-scan' } },
    });
    expect(stored?.dueAt?.toISOString()).toBe(dxa?.window?.transitions.due);

    // The stored copy follows; the enrolment record does not change.
    expect(await storedFractureDate(episodeId)).toBe('2026-11-02');
    const row = await db.episode.findUnique({ where: { id: episodeId } });
    expect(row?.record).toMatchObject({ fractureDate: '2026-11-16' });
    const found = await patientWithEpisodes(db, `pat-${n}`);
    expect(found?.episodes[0]).toMatchObject({
      fractureDate: '2026-11-02',
      record: { fractureDate: '2026-11-16' },
      episode: { fractureDate: '2026-11-02', vertebralLevels: ['T12'] },
    });

    // The caseload's phase and the KPI period read the corrected date.
    const page = await caseload(db, { nurseId: 'nurse-1', now: later(3), search: `TEST-${n}` });
    expect(page.rows[0]).toMatchObject({ fractureDate: '2026-11-02', daysSinceFracture: 15 });
    const inPeriod = async (from: string, to: string) =>
      (await kpiReport(db, { from, to }, { asOf: later(3) })).episodes;
    expect(await inPeriod('2026-11-02', '2026-11-02')).toBe(1);
    expect(await inPeriod('2026-11-16', '2026-11-16')).toBe(0);
  });

  it('a correction of the correction, and its withdrawal, move the stored date again', async () => {
    await enrolPatient(db, testEnrolment({ n, fractureDate: '2026-11-16' }), {
      actorId: 'nurse-1',
      now: NOW,
    });
    await recordEvent(
      db,
      { episodeId, event: correction({ fractureDate: '2026-11-02' }, { id: `fix-${n}` }) },
      { actorId: 'nurse-1', now: later(2) },
    );
    await recordEvent(
      db,
      {
        episodeId,
        event: correction(
          { fractureDate: '2026-11-09', vertebralLevels: ['T12', 'L1'] },
          { id: `fix2-${n}`, supersedes: `fix-${n}` },
        ),
      },
      { actorId: 'nurse-2', now: later(3) },
    );
    expect(await storedFractureDate(episodeId)).toBe('2026-11-09');
    const withdrawn = await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'retraction',
          supersedes: `fix2-${n}`,
          note: 'Recorded on the wrong patient',
          occurredAt: later(4).toISOString(),
        },
      },
      { actorId: 'nurse-2', now: later(4) },
    );
    expect(await storedFractureDate(episodeId)).toBe('2026-11-16');
    const dxa = withdrawn.plan.steps.find((s) => s.key === 'dxa-scan');
    expect(dxa?.window?.anchor).toBe('the fracture on Mon 16 Nov 2026');
    const wanted = firing(withdrawn.plan, 'dxa-scan', later(4));
    expect((await pendingOf(episodeId, 'dxa-scan')).map((f) => f.id).sort()).toEqual(
      wanted.map((t) => t.id).sort(),
    );
  });

  it('an admission given later schedules the 48-hour review', async () => {
    await enrolPatient(db, testEnrolment({ n, fractureDate: '2026-11-16' }), {
      actorId: 'nurse-1',
      now: NOW,
    });
    expect(await pendingOf(episodeId, 'pain-review-48h')).toEqual([]);
    const result = await recordEvent(
      db,
      {
        episodeId,
        event: correction(
          { careSetting: { kind: 'admitted', admittedAt: '2026-11-16T18:00:00Z' } },
          { note: 'Was admitted via A&E; not known at enrolment' },
        ),
      },
      { actorId: 'nurse-1', now: later(2) },
    );
    const review = result.plan.timers.filter((t) => t.stepKey === 'pain-review-48h');
    expect(review.map((t) => t.fireAt)).toContain('2026-11-18T18:00:00.000Z');
    expect((await pendingOf(episodeId, 'pain-review-48h')).map((f) => f.fireAt)).toContain(
      '2026-11-18T18:00:00.000Z',
    );
  });

  it('refuses a correction the enrolment rules refuse, naming the field, and stores nothing', async () => {
    await enrolPatient(db, testEnrolment({ n, fractureDate: '2026-11-16' }), {
      actorId: 'nurse-1',
      now: NOW,
    });
    const events = await db.clinicalEvent.count({ where: { episodeId } });
    const followUps = await db.followUp.count({ where: { episodeId } });
    const attempt = recordEvent(
      db,
      { episodeId, event: correction({ fractureDate: '2026-11-18' }) },
      { actorId: 'nurse-1', now: later(2) },
    );
    await expect(attempt).rejects.toBeInstanceOf(RecordError);
    const error = (await attempt.catch((e: unknown) => e)) as RecordError;
    expect(error.code).toBe('invalid-input');
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['event.fractureDate']));
    expect(error.issues.find((i) => i.path === 'event.fractureDate')?.message).toMatch(
      /in the future|before the date of fracture/,
    );
    const noReason = recordEvent(
      db,
      { episodeId, event: correction({ fractureDate: '2026-11-02' }, { note: '' }) },
      { actorId: 'nurse-1', now: later(2) },
    );
    await expect(noReason).rejects.toMatchObject({
      issues: [{ path: 'event.note', message: 'must say why the enrolment details are corrected' }],
    });
    expect(await db.clinicalEvent.count({ where: { episodeId } })).toBe(events);
    expect(await db.followUp.count({ where: { episodeId } })).toBe(followUps);
    expect(await storedFractureDate(episodeId)).toBe('2026-11-16');
  });

  it('an import whose history corrects the details stores the corrected fracture date', async () => {
    await enrolPatients(
      db,
      [
        {
          ...testEnrolment({ n, fractureDate: '2026-11-16' }),
          history: [correction({ fractureDate: '2026-11-10' }, { occurredAt: NOW.toISOString() })],
        },
      ],
      { actorId: 'nurse-1', now: NOW },
    );
    expect(await storedFractureDate(episodeId)).toBe('2026-11-10');
  });
});
