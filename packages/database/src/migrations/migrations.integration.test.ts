import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { deployMigrations, migrationStatus, pendingSchemaChanges, SCHEMA_PATH } from './index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('migrations');
});
afterAll(() => database.drop());

describe('migrations', () => {
  it('agree with prisma/schema.prisma (write a migration with npm run db:migration:create)', async () => {
    const sql = await pendingSchemaChanges(database.url);
    expect(sql, `The schema has changes no migration makes:\n${sql}`).toBe('');
  });

  it('report a schema change that has no migration', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vfx-schema-'));
    try {
      const edited = path.join(dir, 'schema.prisma');
      const schema = await readFile(SCHEMA_PATH, 'utf8');
      await writeFile(
        edited,
        schema.replace('  sex             String\n', '  sex String\n  ward String?\n'),
      );
      const sql = await pendingSchemaChanges(database.url, { schemaPath: edited });
      expect(sql).toContain('ADD COLUMN     "ward" TEXT');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('are all applied to the test databases, and applying again does nothing', async () => {
    expect(await deployMigrations(database.url)).toEqual([]);
    const status = await migrationStatus(database.url);
    expect(status.history).toBeNull();
    expect(status.failedMigrationNames).toEqual([]);
  });

  it('make clinical events and the audit log append-only', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO audit_log (actor, action, entity_type, entity_id) VALUES ('t', 'x', 'y', 'z')`,
      );
      await expect(client.query(`UPDATE audit_log SET action = 'changed'`)).rejects.toThrow(
        /audit_log is append-only: UPDATE is not allowed/,
      );
      await expect(client.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query('TRUNCATE clinical_events CASCADE')).rejects.toThrow(
        /clinical_events is append-only: TRUNCATE/,
      );
    } finally {
      await client.end();
    }
  });

  it('leave no shadow database behind', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const shadows = await client.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'",
      );
      expect(shadows.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
