import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../client.js';
import { enrolPatients } from '../commands.js';
import { Prisma } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  compareOverdueRows,
  type OverdueFilters,
  type OverdueRow,
  overdueStepBatches,
  overdueSteps,
} from './overdue.js';

let db: Database;
let close: () => Promise<void>;
const NOW = new Date('2026-11-17T10:00:00Z');
const clock = { now: NOW, timeZone: 'Europe/London' };

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('overdue'));
  await createUsers(db);
  const redFlag = testEnrolment({
    n: 5,
    fractureDate: '2026-11-16',
    enrolledAt: '2026-11-16T10:00:00Z',
    nurseId: 'nurse-2',
  });
  await enrolPatients(
    db,
    [
      testEnrolment({ n: 1, fractureDate: '2026-05-04', nurseId: 'nurse-1' }),
      testEnrolment({ n: 2, fractureDate: '2026-07-01', nurseId: 'nurse-2' }),
      testEnrolment({ n: 3, fractureDate: '2026-08-10', nurseId: null }),
      {
        // Denosumab started in March: the September dose is more than 4 weeks late.
        ...testEnrolment({ n: 4, fractureDate: '2025-12-01', nurseId: 'nurse-1' }),
        history: [
          { type: 'bone-therapy-started', drug: 'denosumab', occurredAt: '2026-03-02T10:00:00Z' },
        ],
      },
      // A neurological deficit at enrolment yesterday: the surgical referral is 4 hours overdue.
      { ...redFlag, episode: { ...(redFlag.episode as object), neurologicalDeficit: true } },
    ],
    { actorId: 'nurse-1', now: NOW },
  );
});
afterAll(() => close());

const all = async (filters: OverdueFilters = {}, zone = clock) =>
  (await overdueSteps(db, filters, zone, { pageSize: 200 })).rows;

describe('overdue steps across all caseloads', () => {
  it('lists late denosumab first, then the red flag, then the rest longest overdue first', async () => {
    const rows = await all();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]).toMatchObject({
      stepId: 'denosumab-next-dose',
      riskTier: 'late-denosumab',
      urgent: true,
      episodeId: 'ep-4',
    });
    expect(rows[1]).toMatchObject({
      stepId: 'red-flag-neurological-deficit',
      riskTier: 'urgent',
      daysOverdue: 1,
      nurseName: 'nurse-2',
    });
    expect(rows.slice(2).every((row) => row.riskTier === 'routine')).toBe(true);
    // The database keeps the domain's order exactly.
    expect(rows).toEqual([...rows].sort(compareOverdueRows));
    expect(new Set(rows.map((r) => `${r.episodeId}/${r.stepKey}`)).size).toBe(rows.length);
    const stored = await db.planStep.count({ where: { status: 'overdue' } });
    expect(rows).toHaveLength(stored);
  });

  it('names the patient, identifier and nurse, and counts days overdue in the given zone', async () => {
    const frax = (await all()).find(
      (r) => r.episodeId === 'ep-1' && r.stepId === 'fracture-risk-assessment',
    ) as OverdueRow;
    // Fracture 4 May: overdue from Monday 3 August at 09:00 BST.
    expect(frax).toMatchObject({
      patientId: 'pat-1',
      familyName: 'Patient 1',
      givenName: 'Test',
      identifierKind: 'mrn',
      identifierValue: 'TEST-1',
      nurseId: 'nurse-1',
      nurseName: 'nurse-1',
      status: 'overdue',
      // Overdue from the start of its overdue day (the guidance's date), not the reminder's hour.
      overdueAt: new Date('2026-08-02T23:00:00Z'),
      daysOverdue: 106,
    });
    // In Kiribati (UTC+14) it is already 18 November: one more day.
    const far = (await all({}, { now: NOW, timeZone: 'Pacific/Kiritimati' })).find(
      (r) => r.episodeId === 'ep-1' && r.stepId === 'fracture-risk-assessment',
    );
    expect(far?.daysOverdue).toBe(107);
  });

  it('filters by step, by nurse (or no nurse) and by days overdue, the boundary included', async () => {
    const everything = await all();
    const dxa = await all({ stepId: 'dxa-scan' });
    expect(dxa.map((r) => r.episodeId).sort()).toEqual(
      everything
        .filter((r) => r.stepId === 'dxa-scan')
        .map((r) => r.episodeId)
        .sort(),
    );
    expect(dxa.length).toBeGreaterThan(1);
    const nurse2 = await all({ nurseId: 'nurse-2' });
    expect(nurse2.length).toBeGreaterThan(0);
    expect(nurse2.every((r) => r.nurseId === 'nurse-2')).toBe(true);
    expect(nurse2[0]?.stepId).toBe('red-flag-neurological-deficit');
    const unassigned = await all({ nurseId: null });
    expect(unassigned.length).toBeGreaterThan(0);
    expect(unassigned.every((r) => r.nurseId === null && r.episodeId === 'ep-3')).toBe(true);
    for (const days of [1, 2, 106, 107]) {
      const atLeast = await all({ minDaysOverdue: days });
      expect(atLeast).toEqual(everything.filter((r) => r.daysOverdue >= days));
    }
    const combined = await all({
      nurseId: 'nurse-1',
      stepId: 'fracture-risk-assessment',
      minDaysOverdue: 106,
    });
    expect(combined.map((r) => r.episodeId)).toEqual(['ep-4', 'ep-1']);
    expect(await all({ stepId: 'no-such-step' })).toEqual([]);
  });

  it('pages through the same order, with totals per risk tier, and clamps a page past the end', async () => {
    const everything = await all();
    const first = await overdueSteps(db, {}, clock, { page: 1, pageSize: 4 });
    expect(first.total).toBe(everything.length);
    expect(first.totalsByTier).toEqual({
      'late-denosumab': 1,
      urgent: 1,
      routine: everything.length - 2,
    });
    expect(first.lastPage).toBe(Math.ceil(everything.length / 4));
    const pages: OverdueRow[] = [];
    for (let page = 1; page <= first.lastPage; page += 1) {
      pages.push(...(await overdueSteps(db, {}, clock, { page, pageSize: 4 })).rows);
    }
    expect(pages).toEqual(everything);
    const beyond = await overdueSteps(db, {}, clock, { page: 999, pageSize: 4 });
    expect(beyond.page).toBe(first.lastPage);
    expect(beyond.truncated).toBe(false);
    const none = await overdueSteps(db, { stepId: 'dxa-scan', nurseId: 'nobody' }, clock);
    expect(none).toMatchObject({ rows: [], total: 0, page: 1, lastPage: 1 });
  });

  it('reads every row once in keyset batches, across the risk tiers', async () => {
    const everything = await all();
    const batches: OverdueRow[][] = [];
    for await (const batch of overdueStepBatches(db, {}, clock, 3)) batches.push(batch);
    expect(batches.flat()).toEqual(everything);
    expect(batches.every((batch) => batch.length <= 3)).toBe(true);
    const filtered: OverdueRow[] = [];
    for await (const batch of overdueStepBatches(db, { nurseId: 'nurse-1' }, clock, 2)) {
      filtered.push(...batch);
    }
    expect(filtered).toEqual(everything.filter((r) => r.nurseId === 'nurse-1'));
  });

  it('orders by days overdue across the tiers when asked, either way, in pages and batches', async () => {
    const everything = await all();
    const byAge = (a: OverdueRow, b: OverdueRow) =>
      a.overdueAt.getTime() - b.overdueAt.getTime() ||
      (a.episodeId < b.episodeId ? -1 : a.episodeId > b.episodeId ? 1 : 0) ||
      (a.stepKey < b.stepKey ? -1 : a.stepKey > b.stepKey ? 1 : 0);
    const longest = [...everything].sort(byAge);
    const pages: OverdueRow[] = [];
    for (let page = 1; page <= Math.ceil(everything.length / 4); page += 1) {
      const result = await overdueSteps(db, {}, clock, { page, pageSize: 4 }, { sort: 'overdue' });
      pages.push(...result.rows);
    }
    expect(pages).toEqual(longest);
    // The late denosumab dose is not the longest overdue, so the order differs from the risk order.
    expect(pages.map((r) => r.stepKey)).not.toEqual(everything.map((r) => r.stepKey));
    const recent: OverdueRow[] = [];
    for await (const batch of overdueStepBatches(db, {}, clock, 3, {
      sort: 'overdue',
      direction: 'asc',
    })) {
      recent.push(...batch);
    }
    expect(recent).toEqual([...longest].reverse());
    await expect(overdueSteps(db, {}, clock, {}, { sort: 'name' as never })).rejects.toBeInstanceOf(
      RecordError,
    );
  });

  it('refuses filters it cannot apply, saying what is wrong', async () => {
    const problem = (filters: OverdueFilters) =>
      overdueSteps(db, filters, clock).catch((error: unknown) => error as RecordError);
    const negative = await problem({ minDaysOverdue: -1 });
    expect(negative).toBeInstanceOf(RecordError);
    expect((negative as RecordError).issues[0]).toMatchObject({ path: 'minDaysOverdue' });
    expect(((await problem({ minDaysOverdue: 1.5 })) as RecordError).code).toBe('invalid-input');
    expect(((await problem({ stepId: "x'; DROP TABLE" })) as RecordError).issues[0]?.path).toBe(
      'stepId',
    );
  });

  it('reads pages from the risk-order index, merging the steps instead of sorting them', async () => {
    const plans: string[] = [];
    await db.$transaction(async (tx) => {
      // A handful of rows would be read sequentially; forbid that to see the index chosen.
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      const explaining = new Proxy(tx, {
        get(target, property) {
          if (property !== '$queryRaw') return Reflect.get(target, property);
          return async (strings: TemplateStringsArray, ...values: unknown[]) => {
            const statement = new Prisma.Sql(strings, values as Prisma.Sql['values']);
            const plan = await target.$queryRaw<{ 'QUERY PLAN': string }[]>(
              Prisma.sql`EXPLAIN ${statement}`,
            );
            plans.push(plan.map((row) => row['QUERY PLAN']).join('\n'));
            return target.$queryRaw(statement);
          };
        },
      }) as Queryable;
      await overdueSteps(explaining, {}, clock, { pageSize: 5 });
      await overdueSteps(explaining, { nurseId: 'nurse-1', minDaysOverdue: 3 }, clock, {
        pageSize: 5,
      });
    });
    expect(plans.length).toBeGreaterThanOrEqual(4);
    for (const plan of plans) {
      expect(plan).toMatch(/Index (Only )?Scan using plan_steps_/);
      expect(plan).not.toMatch(/Seq Scan on plan_steps/);
    }
    const pagePlans = plans.filter((plan) => plan.includes('Merge Append'));
    expect(pagePlans.length).toBeGreaterThanOrEqual(1);
    for (const plan of pagePlans) expect(plan).toMatch(/plan_steps_overdue_risk_order_idx/);
  });
});
