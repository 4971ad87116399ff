import { setTimeout as sleep } from 'node:timers/promises';
import { Prisma } from './generated/prisma/client.js';

const RETRIABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

interface AdapterCause {
  readonly kind?: string;
  readonly originalCode?: string;
}

function adapterCause(error: unknown): AdapterCause | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // A conflict raised at COMMIT arrives as the adapter's own error, unwrapped by Prisma.
  if ((error as Error).name === 'DriverAdapterError')
    return (error as { cause?: AdapterCause }).cause;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } }).meta;
  return meta?.driverAdapterError?.cause;
}

/** The SQLSTATE behind a Prisma or driver-adapter error, when there is one. */
export function sqlState(error: unknown): string | undefined {
  return adapterCause(error)?.originalCode ?? (error as { code?: string } | null)?.code;
}

/**
 * True for failures that go away when the transaction is run again: serialisation failures and
 * deadlocks. Constraint violations, bad input and lost connections are not retriable here.
 */
export function isRetriableError(error: unknown): boolean {
  const cause = adapterCause(error);
  if (cause?.kind === 'TransactionWriteConflict') return true;
  if (cause?.originalCode && RETRIABLE_SQLSTATES.has(cause.originalCode)) return true;
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2034';
}

/** True when the error is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') ||
    sqlState(error) === '23505'
  );
}

/** Runs `work` (a whole transaction) again after a retriable failure, with jittered backoff. */
export async function withRetries<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetriableError(error)) throw error;
      await sleep(10 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}
