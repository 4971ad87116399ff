import { compareOverdueRisk } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatients } from '../commands.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  type WorklistItem,
  type WorklistQuery,
  worklist,
  worklistExportBatches,
} from './worklist.js';

let db: Database;
let close: () => Promise<void>;
const NOW = new Date('2026-11-17T10:00:00Z');
const ZONE = 'Europe/London';
const query: WorklistQuery = { nurseId: 'nurse-1', now: NOW, timeZone: ZONE };

/** Local calendar day of an instant in the test zone (YYYY-MM-DD). */
const day = (at: Date) => at.toLocaleDateString('en-CA', { timeZone: ZONE });
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const TODAY = day(NOW);

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('worklist_view'));
  await createUsers(db);
  // Fractures spread over the last year, so steps fall due on many days around NOW.
  const fractures = [2, 5, 9, 15, 26, 33, 40, 58, 75, 84, 89, 100, 112, 150, 200, 260, 330];
  await enrolPatients(
    db,
    [
      ...fractures.map((daysAgo, i) =>
        testEnrolment({ n: i + 1, fractureDate: addDays(TODAY, -daysAgo), nurseId: 'nurse-1' }),
      ),
      {
        // Denosumab started in March: the September dose is more than 4 weeks late.
        ...testEnrolment({ n: 90, fractureDate: '2025-12-01', nurseId: 'nurse-1' }),
        history: [
          { type: 'bone-therapy-started', drug: 'denosumab', occurredAt: '2026-03-02T10:00:00Z' },
        ],
      },
      testEnrolment({ n: 91, fractureDate: '2026-06-01', nurseId: 'nurse-2' }),
    ],
    { actorId: 'nurse-1', now: NOW },
  );
});
afterAll(() => close());

const key = (item: { episodeId: string; stepKey: string }) => `${item.episodeId}/${item.stepKey}`;
const riskRef = (item: WorklistItem) => ({
  stepId: item.stepId,
  overdueAt: item.overdueAt?.getTime() ?? 0,
  episodeId: item.episodeId,
  key: item.stepKey,
});

describe('a nurse worklist', () => {
  it('lists her overdue steps in the domain risk order, with counts that match', async () => {
    const list = await worklist(db, query);
    const stored = await db.planStep.findMany({ where: { nurseId: 'nurse-1', status: 'overdue' } });
    expect(list.overdue.total).toBe(stored.length);
    expect(list.overdue.items.map(key).sort()).toEqual(
      stored.map((s) => key({ episodeId: s.episodeId, stepKey: s.key })).sort(),
    );
    const byTier = Object.values(list.overdue.totalsByTier).reduce((a, b) => a + b, 0);
    expect(byTier).toBe(list.overdue.total);
    // The late denosumab dose comes first, ahead of steps overdue for longer.
    expect(list.overdue.items[0]).toMatchObject({ riskTier: 'late-denosumab' });
    const sorted = [...list.overdue.items].sort((a, b) =>
      compareOverdueRisk(riskRef(a), riskRef(b)),
    );
    expect(list.overdue.items.map(key)).toEqual(sorted.map(key));
    // Within a tier, the longest overdue first (never "18 days" above "23 days").
    const routine = list.overdue.items.filter((item) => item.riskTier === 'routine');
    expect(routine.length).toBeGreaterThan(2);
    for (let i = 1; i < routine.length; i++) {
      expect(routine[i]?.overdueAt?.getTime()).toBeGreaterThanOrEqual(
        routine[i - 1]?.overdueAt?.getTime() ?? 0,
      );
    }
    // Another nurse's patients are not hers.
    expect(list.overdue.items.some((item) => item.episodeId === 'ep-91')).toBe(false);
  });

  it('groups the steps not yet overdue by the day they fall due: earlier, today, the next 7 days', async () => {
    const list = await worklist(db, query);
    for (const item of list.dueEarlier.items) expect(day(item.dueAt as Date) < TODAY).toBe(true);
    for (const item of list.dueToday.items) expect(day(item.dueAt as Date)).toBe(TODAY);
    for (const item of list.coming.items) {
      expect(day(item.dueAt as Date) > TODAY).toBe(true);
      expect(day(item.dueAt as Date) <= addDays(TODAY, 7)).toBe(true);
    }
    for (const section of [list.dueEarlier, list.dueToday, list.coming]) {
      expect(section.total).toBe(section.items.length);
      for (const item of section.items) expect(item.status).not.toBe('overdue');
    }
    // Every active step short of overdue that falls due by the end of the 7th day is in one group.
    const active = await db.planStep.findMany({
      where: {
        nurseId: 'nurse-1',
        status: { in: ['upcoming', 'open', 'due'] },
        dueAt: { not: null },
      },
    });
    const expected = active.filter((s) => day(s.dueAt as Date) <= addDays(TODAY, 7));
    const grouped = [...list.dueEarlier.items, ...list.dueToday.items, ...list.coming.items];
    expect(grouped.map(key).sort()).toEqual(
      expected.map((s) => key({ episodeId: s.episodeId, stepKey: s.key })).sort(),
    );
    expect(grouped.length).toBeGreaterThan(0);
  });

  it('orders every group by date when asked, either way', async () => {
    const ascending = await worklist(db, { ...query, sort: 'when', direction: 'asc' });
    const descending = await worklist(db, { ...query, sort: 'when', direction: 'desc' });
    const times = (items: readonly WorklistItem[], which: 'overdueAt' | 'dueAt') =>
      items.map((item) => item[which]?.getTime() ?? 0);
    const overdueAsc = times(ascending.overdue.items, 'overdueAt');
    expect(overdueAsc).toEqual([...overdueAsc].sort((a, b) => a - b));
    expect(ascending.overdue.items.map(key)).toEqual(descending.overdue.items.map(key).reverse());
    const coming = times(descending.coming.items, 'dueAt');
    expect(coming).toEqual([...coming].sort((a, b) => b - a));
  });

  it('cuts a long group at the limit and keeps its full count', async () => {
    const list = await worklist(db, { ...query, limit: 2 });
    expect(list.overdue.items).toHaveLength(2);
    expect(list.overdue.total).toBeGreaterThan(2);
  });

  it('exports every step of every group, in the page order', async () => {
    const list = await worklist(db, query);
    const exported: string[] = [];
    for await (const batch of worklistExportBatches(db, query)) {
      exported.push(...batch.items.map((item) => `${batch.group}:${key(item)}`));
    }
    expect(exported).toEqual([
      ...list.overdue.items.map((item) => `overdue:${key(item)}`),
      ...list.dueEarlier.items.map((item) => `earlier:${key(item)}`),
      ...list.dueToday.items.map((item) => `today:${key(item)}`),
      ...list.coming.items.map((item) => `coming:${key(item)}`),
    ]);
  });

  it('refuses an order it does not know', async () => {
    await expect(worklist(db, { ...query, sort: 'name' as never })).rejects.toBeInstanceOf(
      RecordError,
    );
  });
});
