import { isActive, type StepStatus } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatients, recordEvent } from '../commands.js';
import { fireFollowUps } from '../follow-ups/fire.js';
import { pendingFollowUpsBefore } from '../follow-ups/queries.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { caseload, caseloadBatches } from './caseload.js';

let db: Database;
let close: () => Promise<void>;
const ENROLLED = new Date('2026-11-02T10:00:00Z');
const NOW = new Date('2026-11-21T12:00:00Z');

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('caseload_view'));
  await createUsers(db);
  // Fractures 1 (acute), 60 (subacute) and 200 (chronic) days before NOW; patient 4 is nurse-2's.
  const fractures = ['2026-11-01', '2026-09-22', '2026-05-05', '2026-11-01'];
  await enrolPatients(
    db,
    fractures.map((fractureDate, i) => ({
      ...testEnrolment({ n: i + 1, fractureDate, nurseId: i === 3 ? 'nurse-2' : 'nurse-1' }),
      demographics: {
        givenName: ['Ada', 'Bea', 'Cy', 'Di'][i],
        familyName: ['Wren', 'Finch', 'Wren-Lark', 'Owl'][i],
      },
    })),
    { actorId: 'nurse-1', now: ENROLLED },
  );
  const pain = (id: string, at: string, rest: number, activity: number, extra = {}) => ({
    id,
    type: 'pain-assessment',
    occurredAt: at,
    nrsAtRest: rest,
    nrsOnActivity: activity,
    functionalLimitation: 'moderate',
    ...extra,
  });
  await recordEvent(
    db,
    { episodeId: 'ep-1', event: pain('p1', '2026-11-03T09:00:00Z', 5, 8) },
    { actorId: 'nurse-1', now: new Date('2026-11-03T10:00:00Z') },
  );
  await recordEvent(
    db,
    { episodeId: 'ep-1', event: pain('p2', '2026-11-10T09:00:00Z', 2, 5) },
    { actorId: 'nurse-1', now: new Date('2026-11-10T10:00:00Z') },
  );
  // The second score was mistyped: corrected upwards, so the trend is "worse".
  await recordEvent(
    db,
    { episodeId: 'ep-1', event: pain('p2b', '2026-11-10T09:00:00Z', 2, 9, { supersedes: 'p2' }) },
    { actorId: 'nurse-1', now: new Date('2026-11-11T10:00:00Z') },
  );
  // What the worker does meanwhile: apply every status change that has come.
  const due = await pendingFollowUpsBefore(db, NOW);
  await fireFollowUps(
    db,
    due.map((f) => f.id),
    { now: NOW },
  );
});
afterAll(() => close());

describe('a nurse caseload', () => {
  it('lists only their patients, with phase, next step, overdue count and pain trend', async () => {
    const page = await caseload(db, { nurseId: 'nurse-1', now: NOW });
    expect(page.total).toBe(3);
    const byName = new Map(page.rows.map((row) => [row.givenName, row]));
    expect(byName.get('Ada')).toMatchObject({ phase: 'acute', daysSinceFracture: 20 });
    expect(byName.get('Bea')).toMatchObject({ phase: 'subacute', daysSinceFracture: 60 });
    expect(byName.get('Cy')).toMatchObject({ phase: 'chronic', daysSinceFracture: 200 });
    expect(byName.get('Ada')?.pain).toMatchObject({
      latest: { eventId: 'p2b', worst: 9, band: 'severe' },
      trend: 'worse',
      previousWorst: 8,
    });
    expect(byName.get('Bea')?.pain).toBeUndefined();
    // The chronic patient, enrolled late, has steps overdue: listed first.
    const cy = byName.get('Cy');
    expect(cy?.overdueSteps).toBeGreaterThan(0);
    expect(page.rows[0]?.givenName).toBe('Cy');
    expect(cy?.nextStep?.status).toBe('overdue');
    // The next step is the active step due soonest, as stored for the plan.
    const soonest = await db.planStep.findFirst({
      where: {
        episodeId: 'ep-2',
        status: { in: ['upcoming', 'open', 'due', 'overdue'] },
        dueAt: { not: null },
      },
      orderBy: [{ dueAt: 'asc' }, { key: 'asc' }],
    });
    expect(byName.get('Bea')?.nextStep?.key).toBe(soonest?.key);
  });

  // Hazard: advice from stale data. The pain badge carries the score's date and age, and a flag
  // once it is older than the pathway version's limit (a score from the acute phase: 7 days).
  it('dates the latest pain score and flags it stale past its limit', async () => {
    const ada = async (now: Date) =>
      (await caseload(db, { nurseId: 'nurse-1', now })).rows.find((r) => r.givenName === 'Ada');
    expect((await ada(NOW))?.pain?.latest.age).toMatchObject({
      what: 'pain-assessment',
      eventId: 'p2b',
      on: '2026-11-10',
      ageDays: 11,
      limitDays: 7,
      stale: true,
      limitBasis: { kind: 'service-standard' },
    });
    expect((await ada(new Date('2026-11-17T23:59:00Z')))?.pain?.latest.age).toMatchObject({
      on: '2026-11-10',
      ageDays: 7,
      stale: false,
    });
  });

  it('finds patients by name beginnings, NHS number or MRN, and filters', async () => {
    const names = async (query: Parameters<typeof caseload>[1]) =>
      (await caseload(db, query)).rows.map((row) => row.givenName).sort();
    expect(await names({ nurseId: 'nurse-1', now: NOW, search: 'wren' })).toEqual(['Ada', 'Cy']);
    expect(await names({ nurseId: 'nurse-1', now: NOW, search: 'lark' })).toEqual(['Cy']);
    expect(await names({ nurseId: 'nurse-1', now: NOW, search: 'cy wr' })).toEqual(['Cy']);
    expect(await names({ nurseId: 'nurse-1', now: NOW, search: 'test-2' })).toEqual(['Bea']);
    expect(await names({ nurseId: 'nurse-1', now: NOW, search: '50%' })).toEqual([]);
    expect(await names({ nurseId: 'nurse-1', now: NOW, search: 'owl' })).toEqual([]);
    expect(await names({ now: NOW, search: 'owl' })).toEqual(['Di']);
    expect(await names({ nurseId: 'nurse-1', now: NOW, phase: 'subacute' })).toEqual(['Bea']);
    expect(await names({ nurseId: 'nurse-1', now: NOW, phase: 'acute' })).toEqual(['Ada']);
    expect(await names({ nurseId: 'nurse-1', now: NOW, overdueOnly: true })).toContain('Cy');
  });

  it('refuses a search with a control character by name, before the database sees it', async () => {
    for (const [search, code] of [
      ['wren\u0000', 'U+0000'],
      ['\u202Enerw', 'U+202E'],
    ] as const) {
      const refused = await caseload(db, { nurseId: 'nurse-1', now: NOW, search }).catch(
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(RecordError);
      expect(refused).toMatchObject({
        code: 'invalid-input',
        issues: [
          {
            path: 'search',
            message: `contains ${code === 'U+0000' ? 'a' : 'a bidirectional'} control character (${code}) — remove it`,
          },
        ],
      });
    }
  });

  it('pages through the caseload in a stable order', async () => {
    const first = await caseload(db, { nurseId: 'nurse-1', now: NOW, sort: 'name', pageSize: 2 });
    const second = await caseload(db, {
      nurseId: 'nurse-1',
      now: NOW,
      sort: 'name',
      pageSize: 2,
      page: 2,
    });
    expect(first.total).toBe(3);
    expect([...first.rows, ...second.rows].map((r) => r.familyName)).toEqual([
      'Finch',
      'Wren',
      'Wren-Lark',
    ]);
  });

  it('exports every episode of the filtered caseload in the page order', async () => {
    const page = await caseload(db, { now: NOW, sort: 'name', direction: 'desc', pageSize: 100 });
    const exported = [];
    for await (const batch of caseloadBatches(db, { now: NOW, sort: 'name', direction: 'desc' })) {
      exported.push(...batch);
    }
    expect(exported.map((r) => r.episodeId)).toEqual(page.rows.map((r) => r.episodeId));
    expect(exported).toHaveLength(page.total);
  });

  it('reverses every sort, each column of it included', async () => {
    for (const sort of ['next-due', 'name', 'fracture'] as const) {
      const forward = await caseload(db, { nurseId: 'nurse-1', now: NOW, sort });
      const back = await caseload(db, { nurseId: 'nurse-1', now: NOW, sort, direction: 'desc' });
      expect(
        back.rows.map((r) => r.episodeId),
        sort,
      ).toEqual(forward.rows.map((r) => r.episodeId).reverse());
    }
    const recent = await caseload(db, { nurseId: 'nurse-1', now: NOW, sort: 'fracture' });
    expect(recent.rows.map((r) => r.fractureDate)).toEqual([
      '2026-11-01',
      '2026-09-22',
      '2026-05-05',
    ]);
  });
});

describe('the episode plan summary', () => {
  it('follows every write to plan_steps: enrolment, entries, firing and corrections', async () => {
    const summaries = await db.episode.findMany({
      select: { id: true, nextDueAt: true, overdueSteps: true },
      orderBy: { id: 'asc' },
    });
    for (const episode of summaries) {
      const steps = await db.planStep.findMany({ where: { episodeId: episode.id } });
      // Active as packages/domain says, so the trigger's own list is held to the domain's.
      const active = steps.filter((s) => isActive(s.status as StepStatus));
      const soonest = active
        .map((s) => s.dueAt?.getTime())
        .filter((t): t is number => t !== undefined)
        .sort((a, b) => a - b)[0];
      expect(episode.nextDueAt?.getTime(), episode.id).toBe(soonest);
      expect(episode.overdueSteps, episode.id).toBe(
        steps.filter((s) => s.status === 'overdue').length,
      );
    }
    // A closure settles every step: nothing due, nothing overdue.
    await recordEvent(
      db,
      {
        episodeId: 'ep-3',
        event: { type: 'closure', reason: 'transferred', occurredAt: '2026-11-21T09:00:00Z' },
      },
      { actorId: 'nurse-1', now: NOW },
    );
    const closed = await db.episode.findUniqueOrThrow({ where: { id: 'ep-3' } });
    expect(closed).toMatchObject({ nextDueAt: null, overdueSteps: 0 });
  });
});
