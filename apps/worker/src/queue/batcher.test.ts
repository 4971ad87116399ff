import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A run function that records its batches and doubles each key, after a short wait. */
function doubler(failOn?: number) {
  const batches: number[][] = [];
  const run = async (keys: number[]) => {
    batches.push(keys);
    await sleep(20);
    if (failOn !== undefined && keys.includes(failOn)) throw new Error(`bad key ${failOn}`);
    return new Map(keys.map((key) => [key, key * 2]));
  };
  return { batches, run };
}

describe('Batcher', () => {
  it('puts requests made together into one batch, and later ones into the next', async () => {
    const { batches, run } = doubler();
    const batcher = new Batcher(run, { maxBatch: 100, maxInFlight: 1 });
    const first = [1, 2, 3].map((key) => batcher.submit(key));
    await sleep(5);
    const second = [4, 5].map((key) => batcher.submit(key));
    expect(await Promise.all([...first, ...second])).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('keeps to the batch size and the number of batches in flight', async () => {
    const { batches, run } = doubler();
    const batcher = new Batcher(run, { maxBatch: 2, maxInFlight: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((key) => batcher.submit(key)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('when a batch fails, runs each key alone so only the bad one fails', async () => {
    const { batches, run } = doubler(2);
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1 });
    const results = await Promise.allSettled([1, 2, 3].map((key) => batcher.submit(key)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      2,
      'Error: bad key 2',
      6,
    ]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails a key the run function gave no answer for', async () => {
    const batcher = new Batcher(async () => new Map<number, number>(), {
      maxBatch: 10,
      maxInFlight: 1,
    });
    await expect(batcher.submit(7)).rejects.toThrow('The batch gave no result for 7');
  });
});
