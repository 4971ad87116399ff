/**
 * Helper process for timezone.test.ts (not a test itself: vitest includes *.test.ts only). Reads
 * a JSON list of { record, asOf } from stdin, validates and plans each one exactly as the test
 * does in-process, and prints the plans with the process's view of its own time zone, so the test
 * can show the TZ really changed. Never reads the clock: the only Date it builds is a fixed one.
 */
import { readFileSync } from 'node:fs';
import { parseEpisodeRecord } from '../inputs/validate.js';
import type { EpisodeRecordInput } from '../testing/arbitraries.js';
import { computePlan } from './compute-plan.js';

const cases = JSON.parse(readFileSync(0, 'utf8')) as { record: EpisodeRecordInput; asOf: string }[];
const plans = cases.map(({ record, asOf }) => {
  const parsed = parseEpisodeRecord(record, { now: asOf });
  return computePlan({ ...parsed, asOf });
});
process.stdout.write(
  JSON.stringify({
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    offsetOn20250101: new Date(2025, 0, 1).getTimezoneOffset(),
    plans,
  }),
);
