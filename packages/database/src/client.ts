import { PrismaPg } from '@prisma/adapter-pg';
import { type Prisma, PrismaClient } from './generated/prisma/client.js';

/** The application's database client. Nothing else in the repository constructs one. */
export type Database = PrismaClient;

/** The client handed to code running inside `db.$transaction(async (tx) => ...)`. */
export type Transaction = Prisma.TransactionClient;

/** Either: functions that take a `Queryable` work inside or outside a transaction. */
export type Queryable = Database | Transaction;

/** Whether `db` is the client itself, not a transaction's (which cannot open one of its own). */
export function isClient(db: Queryable): db is Database {
  return '$transaction' in db;
}

/**
 * Runs `work` in a transaction: the caller's, when `db` is one (so several writes commit or roll
 * back together, as the demo seed needs), else a new one with these options.
 */
export function inTransaction<T>(
  db: Queryable,
  work: (tx: Transaction) => Promise<T>,
  options?: { readonly maxWait?: number; readonly timeout?: number },
): Promise<T> {
  return isClient(db) ? db.$transaction(work, options) : work(db);
}

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
