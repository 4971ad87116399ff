import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEpisodeRecord } from '../inputs/validate.js';
import { PUBLISHED_PATHWAYS } from '../pathway/registry.js';
import { recordWithAsOfArb } from '../testing/arbitraries.js';
import { computePlan } from './compute-plan.js';
import type { Plan } from './types.js';

// The plan's words are written for people (docs/ui.md, "Dates"): no date as YYYY-MM-DD, no ISO
// instant, no id, no rule expression reaches a nurse through a reason, an anchor, an adjustment
// or a note. A property over generated episode records, and a check of the definitions.

/** What a person must never read in a plan's words. */
const MACHINE_TEXT: readonly (readonly [string, RegExp])[] = [
  ['an ISO instant', /\d{4}-\d\d-\d\dT/],
  ['a YYYY-MM-DD date', /\b\d{4}-\d\d-\d\d\b/],
  ['a UUID', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
  ['a rule expression', /(>=|<=|\(here:|\bnot \(|; and \(|; or \()/],
];

/** Every text of a plan that pages show. */
function wordsOf(plan: Plan): string[] {
  return [
    ...plan.steps.flatMap((step) => [
      step.reason,
      ...step.notes,
      ...(step.window ? [step.window.anchor, ...step.window.adjustments] : []),
    ]),
    ...plan.recommendations.flatMap((rec) => [rec.title, rec.text, rec.reason]),
  ];
}

function machineText(text: string): string | undefined {
  return MACHINE_TEXT.find(([, pattern]) => pattern.test(text))?.[0];
}

describe('a plan’s words are written for people', () => {
  it('finds machine text when it is there (the check can fail)', () => {
    expect(machineText('Overdue since 2026-10-25 (was due by 2026-09-26).')).toBe(
      'a YYYY-MM-DD date',
    );
    expect(machineText('Opens at 2026-12-07T14:00:00.000Z')).toBe('an ISO instant');
    expect(machineText('Recommended because not (episode closed: yes (here: no))')).toBe(
      'a rule expression',
    );
    expect(machineText('days since fracture is >= 84 (here: 275)')).toBe('a rule expression');
    expect(machineText('by 1c628c5b-77c3-4b5e-9d3a-0a1b2c3d4e5f')).toBe('a UUID');
    expect(machineText('Due Mon 9 Nov 2026; overdue from Tue 8 Dec 2026.')).toBeUndefined();
  });

  it('for generated episode records at any instant', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const parsed = parseEpisodeRecord(record, { now: asOf });
        const plan = computePlan({ ...parsed, asOf });
        for (const text of wordsOf(plan)) expect(machineText(text), text).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('every published recommendation and step condition has its sentence', () => {
    for (const id of PUBLISHED_PATHWAYS.versions()) {
      const version = PUBLISHED_PATHWAYS.find(id);
      if (!version) throw new Error(`no version ${id}`);
      for (const rec of version.recommendations) {
        expect(rec.because, `${version.version} ${rec.id}`).toMatch(/^[A-Z].{10,}[^.]$/);
        expect(machineText(rec.because), rec.id).toBeUndefined();
      }
      for (const step of version.steps) {
        if (!step.appliesWhen) continue;
        expect(step.appliesOnlyWhen, `${version.version} ${step.id}`).toMatch(/^[a-z].{5,}[^.]$/);
      }
    }
  });
});
