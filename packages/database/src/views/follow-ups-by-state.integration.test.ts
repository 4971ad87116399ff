import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatients, recordEvent } from '../commands.js';
import { Prisma } from '../generated/prisma/client.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  decodeFollowUpCursor,
  encodeFollowUpCursor,
  type FollowUpListItem,
  followUpsByState,
  followUpsStatement,
} from './follow-ups-by-state.js';

let db: Database;
let close: () => Promise<void>;
const NOW = new Date('2026-11-17T10:00:00Z');

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('follow_ups_by_state'));
  await createUsers(db);
  await enrolPatients(
    db,
    [1, 2, 3].map((n) => testEnrolment({ n })),
    { actorId: 'nurse-1', now: NOW },
  );
  // Two follow-ups due at the same instant as an existing one: pages must not split or repeat them.
  const first = await db.followUp.findFirstOrThrow({
    where: { state: 'pending' },
    orderBy: [{ fireAt: 'asc' }, { id: 'asc' }],
  });
  for (const suffix of ['tie-a', 'tie-b']) {
    await db.followUp.create({
      data: { ...first, id: `${first.id}-${suffix}`, createdAt: NOW, reminder: undefined },
    });
  }
  await recordEvent(
    db,
    {
      episodeId: 'ep-3',
      event: { type: 'closure', reason: 'transferred', occurredAt: NOW.toISOString() },
    },
    { actorId: 'nurse-1', now: new Date(NOW.getTime() + 60_000) },
  );
});
afterAll(() => close());

async function allPages(query: Omit<Parameters<typeof followUpsByState>[1], 'after'>) {
  const seen: FollowUpListItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const after = cursor ? decodeFollowUpCursor(cursor) : undefined;
    const page = await followUpsByState(db, { ...query, ...(after ? { after } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 1000);
  return { seen, pages };
}

describe('follow-ups by state', () => {
  it('pages through every pending follow-up in fire-time order, each exactly once, ties included', async () => {
    const expected = await db.followUp.findMany({
      where: { state: 'pending' },
      orderBy: [{ fireAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    expect(expected.length).toBeGreaterThan(10);
    const { seen, pages } = await allPages({ state: 'pending', limit: 4 });
    expect(seen.map((item) => item.id)).toEqual(expected.map((row) => row.id));
    expect(pages).toBe(Math.ceil(expected.length / 4));
    const item = seen.find((f) => f.episodeId === 'ep-1');
    expect(item).toMatchObject({
      patientId: 'pat-1',
      state: 'pending',
      urgent: expect.any(Boolean),
    });
    expect(item?.fireAt).toBeInstanceOf(Date);
    expect(typeof item?.stepTitle).toBe('string');
  });

  it('keeps to the fire-time range: from inclusive, to exclusive', async () => {
    const all = (await allPages({ state: 'pending', limit: 500 })).seen;
    const from = all[3]?.fireAt as Date;
    const to = all[all.length - 2]?.fireAt as Date;
    const { seen } = await allPages({ state: 'pending', from, to, limit: 3 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.map((f) => f.id)).toEqual(
      all.filter((f) => f.fireAt >= from && f.fireAt < to).map((f) => f.id),
    );
  });

  it('lists other states: a closed episode leaves its follow-ups cancelled, with why', async () => {
    const { seen } = await allPages({ state: 'cancelled', limit: 100 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f) => f.episodeId === 'ep-3' && f.outcome && f.settledAt)).toBe(true);
    const pendingOfClosed = (await allPages({ state: 'pending', limit: 500 })).seen.filter(
      (f) => f.episodeId === 'ep-3',
    );
    expect(pendingOfClosed).toEqual([]);
  });

  it('refuses a limit out of range, and cursors it did not make', async () => {
    await expect(followUpsByState(db, { state: 'pending', limit: 0 })).rejects.toThrow(/limit/);
    await expect(followUpsByState(db, { state: 'pending', limit: 501 })).rejects.toThrow(/limit/);
    expect(decodeFollowUpCursor('not-a-cursor')).toBeUndefined();
    expect(decodeFollowUpCursor(Buffer.from('["x","y"]').toString('base64url'))).toBeUndefined();
    const cursor = { fireAt: NOW, id: 'abc' };
    expect(decodeFollowUpCursor(encodeFollowUpCursor(cursor))).toEqual(cursor);
  });

  it('is answered from the follow_ups(state, fire_at) index, on every page', async () => {
    const statement = followUpsStatement({
      state: 'pending',
      from: NOW,
      to: new Date('2027-12-01T00:00:00Z'),
      limit: 100,
      after: { fireAt: NOW, id: 'x' },
    });
    const plan = await db.$transaction(async (tx) => {
      // The test tables are tiny, so a sequential scan would win on cost; forbid it to see
      // whether the planner can use the index for this exact statement.
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN ${statement}`);
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(
      'follow_ups_state_fire_at_idx',
    );
  });
});
