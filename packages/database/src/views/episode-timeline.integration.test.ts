import { computePlan } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient, recordEvent } from '../commands.js';
import { loadEpisodeRecord } from '../records/write-path.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { currentPlan, statusesAsOf } from './episode-plan.js';
import { episodeTimeline } from './episode-timeline.js';
import { patientWithEpisodes } from './patient-episodes.js';

let db: Database;
let close: () => Promise<void>;
const NOW = new Date('2026-11-17T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('episode_timeline'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse', name: 'Asha Khan' },
    { id: 'nurse-2', role: 'nurse', name: 'Ben Ellis' },
  ]);
  await enrolPatient(db, testEnrolment({ n: 1 }), { actorId: 'nurse-1', now: NOW });
  const pain = {
    type: 'pain-assessment',
    nrsAtRest: 6,
    nrsOnActivity: 8,
    functionalLimitation: 'moderate',
  };
  await recordEvent(
    db,
    { episodeId: 'ep-1', event: { ...pain, id: 'pain-1', occurredAt: later(1).toISOString() } },
    { actorId: 'nurse-2', now: later(2) },
  );
  await recordEvent(
    db,
    {
      episodeId: 'ep-1',
      event: {
        ...pain,
        nrsAtRest: 5,
        id: 'pain-1-fix',
        supersedes: 'pain-1',
        occurredAt: later(1).toISOString(),
      },
    },
    { actorId: 'nurse-1', now: later(3) },
  );
  await recordEvent(
    db,
    {
      episodeId: 'ep-1',
      event: {
        type: 'referral',
        referralType: 'physiotherapy',
        id: 'ref-1',
        occurredAt: later(4).toISOString(),
      },
    },
    { actorId: 'nurse-2', now: later(5) },
  );
  await recordEvent(
    db,
    {
      episodeId: 'ep-1',
      event: {
        type: 'retraction',
        id: 'ref-1-withdrawn',
        supersedes: 'ref-1',
        note: 'Entered on the wrong patient',
        occurredAt: later(6).toISOString(),
      },
    },
    { actorId: 'nurse-1', now: later(6) },
  );
});
afterAll(() => close());

describe("an episode's timeline", () => {
  it('lists events in recorded order with who recorded them and how corrections link', async () => {
    const timeline = await episodeTimeline(db, 'ep-1', later(10));
    expect(timeline).toMatchObject({ episodeId: 'ep-1', patientId: 'pat-1', version: 5 });
    expect(
      timeline?.entries.map((entry) => ({
        position: entry.position,
        id: entry.event.id,
        by: entry.recordedBy.name,
        status: entry.status,
        supersedes: entry.supersedes,
        supersededBy: entry.supersededBy,
      })),
    ).toEqual([
      {
        position: 1,
        id: 'pain-1',
        by: 'Ben Ellis',
        status: 'corrected',
        supersedes: null,
        supersededBy: 'pain-1-fix',
      },
      {
        position: 2,
        id: 'pain-1-fix',
        by: 'Asha Khan',
        status: 'in-effect',
        supersedes: 'pain-1',
        supersededBy: null,
      },
      {
        position: 3,
        id: 'ref-1',
        by: 'Ben Ellis',
        status: 'retracted',
        supersedes: null,
        supersededBy: 'ref-1-withdrawn',
      },
      {
        position: 4,
        id: 'ref-1-withdrawn',
        by: 'Asha Khan',
        status: 'retraction',
        supersedes: 'ref-1',
        supersededBy: null,
      },
    ]);
  });

  it("shows the plan's steps as the domain computes them when the stored statuses hold", async () => {
    // A month on with no worker: the statuses hold until the first timed change not applied.
    const now = later(60 * 24 * 30);
    const asOf = await statusesAsOf(db, 'ep-1', now);
    expect(asOf.getTime()).toBeLessThan(now.getTime());
    const timeline = await episodeTimeline(db, 'ep-1', now);
    const record = await loadEpisodeRecord(db, 'ep-1');
    if (!record) throw new Error('episode missing');
    const plan = computePlan({ ...record, asOf: asOf.getTime() });
    expect(timeline?.asOf).toBe(plan.asOf);
    expect(timeline?.steps).toEqual(plan.steps);
    expect(timeline?.steps.some((step) => step.window)).toBe(true);
  });

  it('is undefined for an unknown episode', async () => {
    expect(await episodeTimeline(db, 'ep-404', NOW)).toBeUndefined();
    expect(await currentPlan(db, 'ep-404', NOW)).toBeUndefined();
  });
});

describe("an episode's current plan", () => {
  it('is the domain plan when the stored statuses hold, with the record version', async () => {
    const current = await currentPlan(db, 'ep-1', later(10));
    expect(current).toMatchObject({ episodeId: 'ep-1', patientId: 'pat-1', version: 5 });
    const asOf = await statusesAsOf(db, 'ep-1', later(10));
    expect(current?.statusesAsOf).toEqual(asOf);
    expect(current?.plan.asOf).toBe(asOf.toISOString());
    expect(current?.plan.recommendations.length).toBeGreaterThan(0);
    expect(current?.events).toHaveLength(4);
  });
});

describe('a patient with their episodes', () => {
  it('gives the patient, names, nurse and episodes; undefined for an unknown patient', async () => {
    const found = await patientWithEpisodes(db, 'pat-1');
    expect(found).toMatchObject({
      patient: { id: 'pat-1', identifier: { kind: 'mrn', value: 'TEST-1' } },
      givenName: 'Test',
      familyName: 'Patient 1',
      nurse: { id: 'nurse-1', name: 'Asha Khan' },
    });
    expect(found?.episodes).toHaveLength(1);
    expect(found?.episodes[0]).toMatchObject({
      id: 'ep-1',
      fractureDate: '2026-11-16',
      version: 5,
      closedAt: null,
      record: { id: 'ep-1', patientId: 'pat-1' },
    });
    expect(await patientWithEpisodes(db, 'pat-404')).toBeUndefined();
  });
});
