// A PostgreSQL server of one test's (or benchmark's) own, for faults that the shared server must
// never see: stopping it under a running worker and starting it again. The embedded server
// (packages/database embedded-postgres.ts) in a temporary folder, on a free port, with the
// migrated schema in a database `vfx`.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '@vfx/database';
import { EmbeddedPostgres } from '@vfx/database/embedded-postgres';
import { deployMigrations } from '@vfx/database/migrations';
import { freePort } from './worker-process.js';

export interface PrivatePostgres {
  /** The migrated database. */
  readonly url: string;
  /** The temporary folder: the server's data in `postgres/`, free for the caller's files too. */
  readonly dir: string;
  readonly port: number;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes the folder; safe to call after a failure half-way. */
  close(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** Names the temporary folder (vfx-<label>-XXXXXX). */
  readonly label?: string;
  /** Server settings (ALTER SYSTEM) on top of max_connections = 300. */
  readonly settings?: Readonly<Record<string, string>>;
}

export async function startPrivatePostgres(
  options: PrivatePostgresOptions = {},
): Promise<PrivatePostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `vfx-${options.label ?? 'pg'}-`));
  // As root the server runs as the user `postgres`, which must be able to enter this folder
  // (mkdtemp makes it 0700).
  await chmod(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    dataDir: path.join(dir, 'postgres'),
    port,
    log: () => {},
  });
  const close = async () => {
    await server.stop('immediate').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
    const admin = createDatabase(server.url, { maxConnections: 1, applicationName: 'vfx-test' });
    try {
      // The default (100) is too few for a worker of concurrency 64 (70 connections for its
      // database pool, more for BullMQ's PostgreSQL backend) beside the test's own clients.
      const settings = { max_connections: '300', ...options.settings };
      for (const [name, value] of Object.entries(settings)) {
        await admin.$executeRawUnsafe(`ALTER SYSTEM SET ${name} = '${value.replace(/'/g, "''")}'`);
      }
      await admin.$executeRawUnsafe('CREATE DATABASE vfx');
    } finally {
      await admin.$disconnect();
    }
    // max_connections (and settings like it) take effect on a restart only.
    await server.stop('fast');
    await server.start();
    const url = new URL(server.url);
    url.pathname = '/vfx';
    await deployMigrations(url.toString());
    return {
      url: url.toString(),
      dir,
      port,
      stop: (mode = 'fast') => server.stop(mode),
      start: () => server.start(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
