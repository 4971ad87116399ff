import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEpisodeRecord } from '../inputs/validate.js';
import { recordWithAsOfArb } from '../testing/arbitraries.js';
import { computePlan } from './compute-plan.js';

// The plan must depend only on its inputs and the service's configured time zone (Europe/London),
// never on the time zone of the machine that computes it. Each child process plans the same
// records under another TZ; the plans must be identical to those computed here.

const CHILD = fileURLToPath(new URL('./timezone.child.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** getTimezoneOffset() on 2025-01-01 local midnight (minutes behind UTC). */
const ZONES = [
  { tz: 'America/New_York', offset: 300 },
  { tz: 'Asia/Kolkata', offset: -330 },
  { tz: 'Pacific/Chatham', offset: -825 },
  { tz: 'UTC', offset: 0 },
] as const;

describe('process time zone', () => {
  // A fixed seed: the same 25 records in every child and in this process.
  const cases = fc.sample(recordWithAsOfArb(), { seed: 20_250_101, numRuns: 25 });
  const expected = JSON.parse(
    JSON.stringify(
      cases.map(({ record, asOf }) => {
        const parsed = parseEpisodeRecord(record, { now: asOf });
        return computePlan({ ...parsed, asOf });
      }),
    ),
  );

  it('the sample exercises the planner (steps with timers, several event types)', () => {
    expect(expected.flatMap((plan: { timers: unknown[] }) => plan.timers).length).toBeGreaterThan(
      100,
    );
    const types = new Set(cases.flatMap(({ record }) => record.events.map((e) => e.type)));
    expect(types.size).toBeGreaterThanOrEqual(8);
  });

  it.each(ZONES)(
    'the same inputs under TZ=$tz give the same plans',
    ({ tz, offset }) => {
      const output = execFileSync(process.execPath, ['--import', 'tsx', CHILD], {
        cwd: PACKAGE_DIR,
        env: { ...process.env, TZ: tz },
        input: JSON.stringify(cases),
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      const child = JSON.parse(output) as {
        timeZone: string;
        offsetOn20250101: number;
        plans: unknown[];
      };
      // Proves the child really ran under that zone.
      expect(child.offsetOn20250101).toBe(offset);
      // ICU may report an alias (Asia/Kolkata as Asia/Calcutta): compare canonical names.
      expect(child.timeZone).toBe(
        Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone,
      );
      expect(child.plans).toHaveLength(cases.length);
      expect(child.plans).toEqual(expected);
    },
    60_000,
  );
});
