// How `npm start` treats the demo caseload, against a real PostgreSQL: a seed that fails half-way
// leaves nothing, a partial demo from an older version is cleared only from the launcher's own
// database and only when nobody entered anything beside it, and a caseload of people's own never
// gets the demo's patients.

import { createDatabase, type Database } from '@vfx/database';
import { enrolPatient } from '@vfx/database/commands';
import { DEMO_USERS, seedState } from '@vfx/database/seed';
import { createTestDatabase, type TestDatabase, testEnrolment } from '@vfx/database/testing';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareDemo } from './demo.js';

let database: TestDatabase;
let lines: string[];
const say = (line: string) => lines.push(line);
const NOW = new Date('2027-03-28T00:30:00Z');

async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = createDatabase(database.url, { maxConnections: 2 });
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** A seed an older version cut off: a demo account and one demo patient, no finished mark. */
async function leavePartialDemo(db: Database): Promise<string> {
  const nurse = await db.user.create({
    data: { id: 'demo-nurse', email: DEMO_USERS[0].email, name: DEMO_USERS[0].name, role: 'nurse' },
  });
  const enrolment = testEnrolment({ n: 1, nurseId: nurse.id });
  await enrolPatient(
    db,
    {
      ...enrolment,
      patient: { ...(enrolment.patient as object), id: 'demo-patient-1' },
      episode: { ...(enrolment.episode as object), id: 'demo-episode-1' },
    },
    { actorId: nurse.id, now: NOW },
  );
  return nurse.id;
}

beforeEach(async () => {
  database = await createTestDatabase('launcher_demo');
  lines = [];
});
afterEach(() => database.drop());

describe('the demo on npm start', () => {
  it('is recorded once, on the first run', async () => {
    await prepareDemo({ databaseUrl: database.url, ownsDatabase: true, say, now: NOW });
    expect(lines[0]).toContain('First run: recording the demo caseload');
    expect((await withDb(seedState)).demo).toBe('complete');
    lines = [];
    await prepareDemo({ databaseUrl: database.url, ownsDatabase: true, say, now: NOW });
    expect(lines).toEqual(['The demo caseload is already there.']);
  });

  it('leaves nothing when the seed fails half-way, and the next run begins afresh', async () => {
    // A real fault: the database drops the launcher's connection while it records patients.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    let cut: Promise<unknown> | undefined;
    const cutOff = (line: string) => {
      say(line);
      if (line.includes('Recorded 10 of') && !cut) {
        cut = admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
      }
    };
    try {
      await expect(
        prepareDemo({ databaseUrl: database.url, ownsDatabase: true, say: cutOff, now: NOW }),
      ).rejects.toThrow(/Recording the demo caseload failed: [\s\S]*Nothing of it was kept/);
      await cut;
    } finally {
      await admin.end();
    }
    expect(await withDb(seedState)).toEqual({
      demo: 'absent',
      own: { users: 0, patients: 0, episodes: 0, entries: 0 },
    });
    expect(await withDb((db) => db.patient.count())).toBe(0);

    lines = [];
    await prepareDemo({ databaseUrl: database.url, ownsDatabase: true, say, now: NOW });
    expect(lines[0]).toContain('First run');
    expect((await withDb(seedState)).demo).toBe('complete');
  });

  it('recreates its own database when an older version left a partial demo there', async () => {
    await withDb(leavePartialDemo);
    expect((await withDb(seedState)).demo).toBe('partial');
    await prepareDemo({ databaseUrl: database.url, ownsDatabase: true, say, now: NOW });
    expect(lines[0]).toMatch(/partial demo caseload.*Recreating the embedded database/);
    expect(await withDb(seedState)).toEqual({ demo: 'complete' });
    // The demo's own patient 1 replaced the partial one: one account per demo address.
    expect(await withDb((db) => db.user.count({ where: { email: DEMO_USERS[0].email } }))).toBe(1);
  });

  it('leaves a partial demo in DATABASE_URL as it is, saying what to do', async () => {
    await withDb(leavePartialDemo);
    await expect(
      prepareDemo({ databaseUrl: database.url, ownsDatabase: false, say, now: NOW }),
    ).rejects.toThrow(/not the launcher's own, so it is left as it is/);
    expect((await withDb(seedState)).demo).toBe('partial');
  });

  it('never drops what people entered beside a partial demo', async () => {
    await withDb(async (db) => {
      const nurseId = await leavePartialDemo(db);
      await enrolPatient(db, testEnrolment({ n: 2, nurseId }), { actorId: nurseId, now: NOW });
    });
    await prepareDemo({ databaseUrl: database.url, ownsDatabase: true, say, now: NOW });
    expect(lines[0]).toContain('nothing is dropped');
    expect(await withDb((db) => db.patient.findMany({ select: { id: true } }))).toEqual(
      expect.arrayContaining([{ id: 'pat-2' }, { id: 'demo-patient-1' }]),
    );
    expect((await withDb(seedState)).demo).toBe('partial');
  });

  it('never adds the demo’s patients to a caseload of people’s own', async () => {
    await withDb(async (db) => {
      const nurse = await db.user.create({
        data: { id: 'n1', email: 'nurse@trust.nhs.uk', name: 'A Nurse', role: 'nurse' },
      });
      await enrolPatient(db, testEnrolment({ n: 3, nurseId: nurse.id }), {
        actorId: nurse.id,
        now: NOW,
      });
    });
    await prepareDemo({ databaseUrl: database.url, ownsDatabase: true, say, now: NOW });
    expect(lines[0]).toContain('holds data of its own');
    expect(await withDb((db) => db.patient.count())).toBe(1);
  });
});
