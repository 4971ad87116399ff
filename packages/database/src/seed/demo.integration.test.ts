import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../auth/sessions.js';
import type { Database } from '../client.js';
import { openTestDatabase } from '../testing/test-database.js';
import { caseload, worklist } from '../views/caseload.js';
import { DEMO_PASSWORD, DEMO_USERS, type SeedResult, seedDemo, seedState } from './demo.js';

let db: Database;
let close: () => Promise<void>;
let seeded: SeedResult;
const NOW = new Date('2026-11-21T12:00:00Z');

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('seed_demo'));
  expect(await seedState(db)).toBe('absent');
  seeded = await seedDemo(db, { now: NOW, patients: 15 });
}, 120_000);
afterAll(() => close());

describe('the demo seed', () => {
  it('creates an account per role that signs in with the documented password', async () => {
    for (const user of DEMO_USERS) {
      const result = await signIn(db, { email: user.email, password: DEMO_PASSWORD });
      expect(result.ok, user.email).toBe(true);
    }
    expect(await seedState(db)).toBe('complete');
  });

  it('records every history through the write path, with who recorded it', async () => {
    expect(seeded.patients).toBe(15);
    const events = await db.clinicalEvent.count();
    expect(events).toBe(seeded.events);
    const entries = await db.auditEntry.count({ where: { action: 'event.recorded' } });
    expect(entries).toBe(events);
    const names = await db.patient.findMany({
      select: { identifierKind: true, identifierValue: true },
    });
    // NHS numbers from the range the NHS keeps for testing.
    expect(
      names.every((p) => p.identifierKind === 'nhs-number' && p.identifierValue.startsWith('999')),
    ).toBe(true);
  });

  it('covers every phase, with work overdue, due and coming, and a late denosumab dose', async () => {
    const all = await caseload(db, { now: NOW, pageSize: 100 });
    const phases = new Set(all.rows.map((row) => row.phase));
    expect(phases).toEqual(new Set(['acute', 'subacute', 'chronic']));
    expect(all.rows.some((row) => row.daysSinceFracture <= 2)).toBe(true);
    const lateDenosumab = await db.planStep.count({
      where: { stepId: 'denosumab-next-dose', status: 'overdue' },
    });
    expect(lateDenosumab).toBeGreaterThanOrEqual(1);
    const nurse = await db.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0].email } });
    const list = await worklist(db, { nurseId: nurse.id, now: NOW });
    expect(list.overdue.length + list.due.length).toBeGreaterThan(0);
    expect(list.thisWeek.length).toBeGreaterThan(0);
    expect(await db.reminder.count()).toBeGreaterThan(0);
    // Nothing owed is left unapplied: the worker would have nothing late to catch up on, and
    // what the seed applied counts as applied on time (queue health shows no false lateness).
    expect(await db.followUp.count({ where: { state: 'pending', fireAt: { lt: NOW } } })).toBe(0);
    expect(await db.followUp.count({ where: { state: 'fired', latenessMs: { gt: 0 } } })).toBe(0);
  });

  it('is the same caseload every time for the same instant', async () => {
    const other = await openTestDatabase('seed_demo_again');
    try {
      await seedDemo(other.db, { now: NOW, patients: 15 });
      const shape = async (d: Database) =>
        (
          await d.planStep.findMany({
            select: { episodeId: true, key: true, status: true },
            orderBy: [{ episodeId: 'asc' }, { key: 'asc' }],
          })
        ).map((s) => `${s.episodeId}/${s.key}/${s.status}`);
      expect(await shape(other.db)).toEqual(await shape(db));
    } finally {
      await other.close();
    }
  }, 120_000);
});
