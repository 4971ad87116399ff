// The demo caseload on `npm start`: recorded on the first run, in one transaction, so a run that
// fails or is stopped while seeding leaves nothing of it and the next run begins afresh. A
// partial demo left by an older version is cleared by recreating the launcher's own embedded
// database, but only when nothing beside it was entered by people; a database with data of its
// own (staff, patients, entries) never gets the demo (packages/database decides which is which).
import { createDatabase, type Database } from '@vfx/database';
import { deployMigrations, recreateDatabase } from '@vfx/database/migrations';
import { demoDecision, seedDemo, seedState } from '@vfx/database/seed';
import { StartError } from './config.js';

export interface DemoOptions {
  readonly databaseUrl: string;
  /** The launcher's own embedded database, which it may drop and recreate; not DATABASE_URL's. */
  readonly ownsDatabase: boolean;
  readonly say: (line: string) => void;
  /** The instant the demo is recorded as of (the clock, unless a test chooses). */
  readonly now?: Date;
}

export async function prepareDemo(options: DemoOptions): Promise<void> {
  const { databaseUrl, say } = options;
  let decision = await withDatabase(databaseUrl, async (db) => demoDecision(await seedState(db)));
  if (decision.kind === 'recreate') {
    if (!options.ownsDatabase) {
      throw new StartError(
        `${decision.why} The database in DATABASE_URL is not the launcher's own, so it is left as it is. Drop and recreate it (npm start then migrates it and records the demo afresh), or point DATABASE_URL at an empty database.`,
      );
    }
    say(`${decision.why} Recreating the embedded database to record the demo afresh...`);
    await recreateDatabase(databaseUrl);
    await deployMigrations(databaseUrl);
    decision = { kind: 'seed' };
  }
  if (decision.kind !== 'seed') {
    say(decision.why);
    return;
  }
  say('First run: recording the demo caseload (about 60 fictional patients)...');
  const db = createDatabase(databaseUrl, { applicationName: 'vfx-launcher' });
  try {
    await seedDemo(db, {
      log: (line) => say(`  ${line}`),
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    throw new StartError(
      `Recording the demo caseload failed: ${(error as Error).message}\nNothing of it was kept (it is recorded in one transaction), so the next npm start begins afresh. If it fails again in the same way, please report this message.`,
    );
  } finally {
    await db.$disconnect().catch(() => {});
  }
}

async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = createDatabase(url, { applicationName: 'vfx-launcher' });
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}
