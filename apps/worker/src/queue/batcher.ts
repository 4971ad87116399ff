/**
 * Gathers single requests into batches: requests made while a batch is running go into the next
 * one. With the queue's concurrency as the batch limit, steps falling due one by one are applied
 * at once, and a burst is applied a few hundred per transaction instead of one per transaction.
 */
export interface BatcherOptions {
  /** Most keys in one batch. */
  readonly maxBatch: number;
  /** Batches running at the same time. */
  readonly maxInFlight: number;
}

interface Waiting<K, V> {
  readonly key: K;
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
}

export class Batcher<K, V> {
  private readonly waiting: Waiting<K, V>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Must answer for every key it is given; throwing fails the whole batch. */
    private readonly run: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly options: BatcherOptions,
  ) {}

  submit(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      // Wait for the rest of this turn of the event loop, so requests made together go together.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump() {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.execute(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async execute(batch: readonly Waiting<K, V>[]) {
    try {
      settle(batch, await this.run(batch.map((item) => item.key)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad key must not fail the others (they would all be retried, and fail again): each
      // is run alone, and only the ones that fail alone fail.
      for (const item of batch) {
        try {
          settle([item], await this.run([item.key]));
        } catch (alone) {
          item.reject(alone);
        }
      }
    }
  }
}

function settle<K, V>(batch: readonly Waiting<K, V>[], results: ReadonlyMap<K, V>) {
  for (const item of batch) {
    if (results.has(item.key)) item.resolve(results.get(item.key) as V);
    else item.reject(new Error(`The batch gave no result for ${String(item.key)}`));
  }
}
