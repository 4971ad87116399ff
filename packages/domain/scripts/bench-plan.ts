/**
 * How fast the engine plans: validates and plans generated episode records (every event type,
 * corrections, therapy courses) and prints throughput and latency figures.
 *
 *   npm run bench:plan            # 5,000 records
 *   npm run bench:plan -- 20000   # another count
 */
import fc from 'fast-check';
import { computePlan, diffPlans, parseEpisodeRecord } from '../src/index.js';
import { asOfArb, episodeRecordArb } from '../src/testing/arbitraries.js';

const count = Number(process.argv[2] ?? 5000);
const records = fc.sample(
  episodeRecordArb().chain((record) => asOfArb(record).map((asOf) => ({ record, asOf }))),
  { numRuns: count, seed: 42 },
);
const events = records.reduce((sum, { record }) => sum + record.events.length, 0);

function measure(label: string, run: (index: number) => void): void {
  for (let i = 0; i < Math.min(200, count); i++) run(i); // warm up the JIT and the date caches
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    run(i);
    times.push(performance.now() - t);
  }
  const total = performance.now() - started;
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(3);
  console.log(
    `${label.padEnd(28)} ${Math.round((count / total) * 1000)
      .toLocaleString('en-GB')
      .padStart(
        8,
      )} per second   p50 ${pct(0.5)} ms   p95 ${pct(0.95)} ms   p99 ${pct(0.99)} ms   max ${pct(1)} ms`,
  );
}

const parsed = records.map(({ record, asOf }) => ({
  ...parseEpisodeRecord(record, { now: asOf }),
  asOf,
}));
const plans = parsed.map((input) => computePlan(input));
const timers = plans.reduce((sum, plan) => sum + plan.timers.length, 0);

console.log(
  `Node ${process.version}, ${count.toLocaleString('en-GB')} generated records, ${events.toLocaleString('en-GB')} events, ${timers.toLocaleString('en-GB')} timers`,
);
measure('validate record', (i) =>
  parseEpisodeRecord(records[i]?.record as never, { now: records[i]?.asOf as string }),
);
measure('compute plan', (i) => computePlan(parsed[i] as never));
measure('diff plan from nothing', (i) => diffPlans(undefined, plans[i] as never));
const heap = process.memoryUsage();
console.log(
  `heap used ${(heap.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(heap.rss / 2 ** 20).toFixed(0)} MiB (holding all records and plans)`,
);
