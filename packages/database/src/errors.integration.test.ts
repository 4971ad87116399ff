import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './client.js';
import { isRetriableError, isUniqueViolation, withRetries } from './errors.js';
import { openTestDatabase } from './testing/test-database.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('errors'));
  await db.user.createMany({
    data: [
      { id: 'a', email: 'a@x.test', name: 'A', role: 'nurse' },
      { id: 'b', email: 'b@x.test', name: 'B', role: 'nurse' },
    ],
  });
});
afterAll(() => close());

/** Two transactions that wait for each other at a barrier, then each write what the other read. */
async function conflict(isolationLevel: 'Serializable' | 'ReadCommitted', lockOrder: boolean) {
  let release!: () => void;
  const barrier = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived = 0;
  const meet = async () => {
    arrived += 1;
    if (arrived === 2) release();
    await barrier;
  };
  const run = (first: string, second: string) =>
    db.$transaction(
      async (tx) => {
        if (lockOrder) await tx.$executeRaw`UPDATE users SET name = name WHERE id = ${first}`;
        else await tx.user.findMany();
        await meet();
        if (lockOrder) await tx.$executeRaw`UPDATE users SET name = name WHERE id = ${second}`;
        else await tx.user.update({ where: { id: first }, data: { name: `${first}-${second}` } });
      },
      { isolationLevel },
    );
  return Promise.allSettled([run('a', 'b'), run('b', 'a')]);
}

describe('retriable errors', () => {
  it('recognises a real serialisation failure', async () => {
    const results = await conflict('Serializable', false);
    const failure = results.find((r) => r.status === 'rejected');
    expect(failure, 'one of two write-skewed serializable transactions must fail').toBeDefined();
    expect(isRetriableError((failure as PromiseRejectedResult).reason)).toBe(true);
  });

  it('recognises a real deadlock', async () => {
    const results = await conflict('ReadCommitted', true);
    const failure = results.find((r) => r.status === 'rejected');
    expect(failure, 'PostgreSQL must break the deadlock by failing one side').toBeDefined();
    expect(isRetriableError((failure as PromiseRejectedResult).reason)).toBe(true);
  });

  it('does not retry a unique violation, and says what it is', async () => {
    const error = await db.user
      .create({ data: { id: 'c', email: 'a@x.test', name: 'C', role: 'nurse' } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isRetriableError(error)).toBe(false);
    expect(isRetriableError(new Error('boom'))).toBe(false);
  });

  it('runs a transaction again until it succeeds', async () => {
    let attempts = 0;
    const result = await withRetries(async () => {
      attempts += 1;
      if (attempts < 3) {
        const results = await conflict('Serializable', false);
        const failure = results.find((r) => r.status === 'rejected');
        if (failure) throw (failure as PromiseRejectedResult).reason;
      }
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(3);
    await expect(withRetries(() => Promise.reject(new Error('not retriable')))).rejects.toThrow(
      'not retriable',
    );
  });
});
