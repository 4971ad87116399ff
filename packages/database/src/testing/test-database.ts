// Real PostgreSQL for tests. The migrations are applied once into a template database (named by
// a hash of the migration files, so a schema change builds a new one); each test file then gets
// its own copy in milliseconds with CREATE DATABASE ... TEMPLATE. Never `db push`: the tests run
// against exactly the SQL that production runs.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, type Database } from '../client.js';
import { deployMigrations, listMigrations, MIGRATIONS_DIR } from '../migrations/index.js';

/** The server tests use: any database on it will do, the tests make their own. */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Tests need PostgreSQL at ${TEST_POSTGRES_URL} (set TEST_POSTGRES_URL to use another): ${(error as Error).message}`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function migrationsHash(): Promise<string> {
  const list = await listMigrations(MIGRATIONS_DIR);
  const hash = createHash('sha256');
  for (const dir of list.migrationDirectories) {
    hash.update(dir.path);
    hash.update(await readFile(path.join(MIGRATIONS_DIR, dir.path, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

const DAY_MS = 86_400_000;

/** Makes sure the migrated template exists; safe when several test processes race for it. */
export async function ensureTemplateDatabase(): Promise<string> {
  const template = `vfx_template_${await migrationsHash()}`;
  await admin(async (client) => {
    await client.query('SELECT pg_advisory_lock(824311001)');
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount) return;
      // Templates of other migrations may belong to another checkout testing on this server at
      // this moment (another branch, CI): only those left untouched for a day are dropped.
      const stale = await client.query(
        `SELECT datname FROM pg_database
          WHERE datname LIKE 'vfx\\_template\\_%'
            AND coalesce(shobj_description(oid, 'pg_database'), '') < $1`,
        [`built ${new Date(Date.now() - DAY_MS).toISOString()}`],
      );
      for (const row of stale.rows as { datname: string }[]) {
        await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      }
      const building = `${template}_building`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
      await deployMigrations(withDatabase(TEST_POSTGRES_URL, building));
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
      await client.query(
        `COMMENT ON DATABASE "${template}" IS 'built ${new Date().toISOString()}'`,
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock(824311001)');
    }
  });
  return template;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  /** Drops the database (closing anything still connected). */
  drop(): Promise<void>;
}

/** A fresh, fully migrated database of its own. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const template = await ensureTemplateDatabase();
  const name = `vfx_${label.replace(/\W/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: withDatabase(TEST_POSTGRES_URL, name),
    name,
    drop: () =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

/** A fresh database with a client on it; `close` disconnects and drops it. */
export async function openTestDatabase(label?: string): Promise<{
  db: Database;
  url: string;
  close(): Promise<void>;
}> {
  const database = await createTestDatabase(label);
  const db = createDatabase(database.url, { maxConnections: 8, applicationName: 'vfx-test' });
  return {
    db,
    url: database.url,
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}
