import { PrismaPg } from '@prisma/adapter-pg';
import { type Prisma, PrismaClient } from './generated/prisma/client.js';

/** The application's database client. Nothing else in the repository constructs one. */
export type Database = PrismaClient;

/** The client handed to code running inside `db.$transaction(async (tx) => ...)`. */
export type Transaction = Prisma.TransactionClient;

/**
 * Either: functions that take a `Queryable` work inside or outside a transaction. A transaction
 * opened on a transaction's client is nested in it (Prisma makes it a savepoint): its changes
 * commit or roll back with the caller's, and its own failure rolls back only to the savepoint.
 */
export type Queryable = Database | Transaction;

export interface DatabaseOptions {
  /** Connections in this process's pool. */
  readonly maxConnections?: number;
  /** Label shown in pg_stat_activity, to tell the worker's connections from the dashboard's. */
  readonly applicationName?: string;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const adapter = new PrismaPg({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'vfx',
  });
  return new PrismaClient({ adapter });
}

/** Whether the database answers a trivial query: the readiness checks' probe. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
