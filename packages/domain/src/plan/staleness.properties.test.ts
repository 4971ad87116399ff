import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveEpisode } from '../inputs/episode-details.js';
import { effectiveHistory, timed } from '../inputs/history.js';
import type { ClinicalEvent } from '../inputs/schemas.js';
import { parseEpisodeRecord } from '../inputs/validate.js';
import type { PathwayDefinition, RecordedValueKind } from '../pathway/definition.js';
import { recordedValuesOf } from '../pathway/facts.js';
import { createPathwayRegistry } from '../pathway/registry.js';
import { dayInWords } from '../pathway/staleness.js';
import { ROS_2022_V1 } from '../pathway/versions/ros-2022.1.js';
import { ROS_2022_V2 } from '../pathway/versions/ros-2022.2.js';
import { type EpisodeRecordInput, recordWithAsOfArb } from '../testing/arbitraries.js';
import { computePlan } from './compute-plan.js';
import type { Plan } from './types.js';

// Hazard: advice from stale data. Over generated episode records planned at generated instants
// (fresh and up to years later): no recommendation read from a value older than its limit
// repeats the old advice, and every recommendation read from a recorded value names its date.

const RUNS = { numRuns: 150 };
const DAY_MS = 86_400_000;

// The oracle counts days on its own: the London date by Intl, then whole UTC days between dates.
const london = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const londonDate = (ms: number) => london.format(new Date(ms));
const daysFromTo = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The limit written in the definition for a value recorded on `on`, read directly. */
function limitFor(
  definition: PathwayDefinition,
  kind: RecordedValueKind,
  fractureDate: string,
  on: string,
): number | undefined {
  const days = definition.staleness?.[kind]?.days;
  if (days === undefined || days === null) return undefined;
  if (typeof days === 'number') return days;
  const sinceFracture = daysFromTo(fractureDate, on);
  if (sinceFracture < definition.phases.acuteUntilDay) return days.acute;
  if (sinceFracture < definition.phases.subacuteUntilDay) return days.subacute;
  return days.chronic;
}

const TYPE_OF: Record<RecordedValueKind, ClinicalEvent['type']> = {
  'pain-assessment': 'pain-assessment',
  'psychological-screen': 'psychological-screen',
  'fracture-risk-assessment': 'fracture-risk-assessment',
  'follow-up-contact': 'follow-up-contact',
};

function planUnder(record: EpisodeRecordInput, asOf: string, definition: PathwayDefinition) {
  const input: EpisodeRecordInput = {
    ...record,
    episode: { ...record.episode, pathwayVersion: definition.version },
  };
  const pathways = createPathwayRegistry([definition], definition.version);
  const parsed = parseEpisodeRecord(input, { now: asOf, pathways });
  const plan = computePlan({ ...parsed, asOf, pathways });
  const history = effectiveHistory(parsed.events.map(timed)).filter(
    (item) => item.occurredAt <= Date.parse(asOf),
  );
  const latest = (kind: RecordedValueKind) =>
    history.findLast((item) => item.event.type === TYPE_OF[kind]);
  // Phases are counted from the fracture date as corrections leave it, as the plan counts them.
  return {
    plan,
    latest,
    fractureDate: effectiveEpisode(parsed.episode, parsed.events).fractureDate,
  };
}

const byId = (definition: PathwayDefinition) =>
  new Map(definition.recommendations.map((rec) => [rec.id, rec]));

function checkPlan(
  definition: PathwayDefinition,
  { plan, latest, fractureDate }: ReturnType<typeof planUnder>,
  asOf: string,
) {
  const definitions = byId(definition);
  const today = londonDate(Date.parse(asOf));
  const shownIds = new Set(plan.recommendations.map((r) => r.id));
  expect(shownIds.size).toBe(plan.recommendations.length);
  for (const rec of plan.recommendations) {
    const own = definitions.get(rec.id);
    if (own) {
      // Advice as written: every recorded value it reads is named with its date, and is fresh.
      expect(rec.withholds).toEqual([]);
      const kinds = recordedValuesOf(own.when).filter((kind) => latest(kind));
      expect(rec.basedOn.map((b) => b.what)).toEqual(kinds);
      for (const basis of rec.basedOn) {
        const item = latest(basis.what);
        const on = londonDate(item?.occurredAt ?? Number.NaN);
        const age = daysFromTo(on, today);
        const limit = limitFor(definition, basis.what, fractureDate, on);
        expect(basis).toMatchObject({ eventId: item?.event.id, on, ageDays: age, stale: false });
        expect(basis.limitDays).toBe(limit);
        expect(limit === undefined || age <= limit, `${rec.id}: ${age} > ${limit}`).toBe(true);
        expect(rec.reason).toContain(dayInWords(on));
      }
    } else {
      // A request to assess again: in place of advice, never repeating it.
      expect(rec.id).toMatch(/^reassess-/);
      expect(rec.withholds.length).toBeGreaterThan(0);
      expect(rec.basedOn).toHaveLength(1);
      const [basis] = rec.basedOn;
      const item = basis && latest(basis.what);
      const on = londonDate(item?.occurredAt ?? Number.NaN);
      const limit = limitFor(definition, basis?.what ?? 'pain-assessment', fractureDate, on);
      expect(basis).toMatchObject({ eventId: item?.event.id, on, stale: true });
      expect(limit !== undefined && daysFromTo(on, today) > limit).toBe(true);
      expect(rec.title).toContain(`${basis?.ageDays} days old`);
      expect(rec.reason).toContain(dayInWords(on));
      for (const withheld of rec.withholds) {
        expect(shownIds.has(withheld.id), `${withheld.id} shown beside its request`).toBe(false);
        expect(rec.text).not.toContain(definitions.get(withheld.id)?.text);
        const kinds = recordedValuesOf(definitions.get(withheld.id)?.when ?? { all: [] });
        expect(kinds).toContain(basis?.what);
      }
    }
  }
}

/** The advice a plan gives or holds back: requests to assess again stand for what they hold. */
const adviceIds = (plan: Plan) =>
  plan.recommendations
    .flatMap((rec) => (rec.withholds.length > 0 ? rec.withholds.map((w) => w.id) : [rec.id]))
    .sort();

const V2_WITHOUT_LIMITS: PathwayDefinition = { ...ROS_2022_V2, staleness: undefined };

describe('advice from stale data (property)', { timeout: 120_000 }, () => {
  it('no recommendation read from a value older than its limit repeats the old advice; every recommendation read from a recorded value names its date', () => {
    fc.assert(
      fc.property(recordWithAsOfArb({ appointments: false }), ({ record, asOf }) => {
        checkPlan(ROS_2022_V2, planUnder(record, asOf, ROS_2022_V2), asOf);
      }),
      RUNS,
    );
  });

  it('holding advice back never loses it: the requests name exactly the advice the limits hold back', () => {
    fc.assert(
      fc.property(recordWithAsOfArb({ appointments: false }), ({ record, asOf }) => {
        const limited = planUnder(record, asOf, ROS_2022_V2).plan;
        const unlimited = planUnder(record, asOf, V2_WITHOUT_LIMITS).plan;
        expect(adviceIds(limited)).toEqual(adviceIds(unlimited));
      }),
      RUNS,
    );
  });

  it('version 1 is unchanged: it dates its advice but never holds any back', () => {
    fc.assert(
      fc.property(recordWithAsOfArb({ appointments: false }), ({ record, asOf }) => {
        // Entries version 1 does not know (therapy before the fracture, its review step) are
        // refused under it.
        const v1Steps = new Set(ROS_2022_V1.steps.map((step) => step.id));
        fc.pre(
          record.events.every((event) => {
            const stepKey = (event as { stepKey?: string }).stepKey;
            return (
              event.type !== 'prior-bone-therapy' &&
              event.type !== 'treatment-review' &&
              (stepKey === undefined || v1Steps.has(stepKey.split('~')[0] ?? ''))
            );
          }),
        );
        const planned = planUnder(record, asOf, ROS_2022_V1);
        checkPlan(ROS_2022_V1, planned, asOf);
        expect(planned.plan.recommendations.every((rec) => rec.withholds.length === 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('the generated records reach both sides of each limit', () => {
    const seen = new Set<string>();
    for (const { record, asOf } of fc.sample(recordWithAsOfArb({ appointments: false }), 300)) {
      for (const rec of planUnder(record, asOf, ROS_2022_V2).plan.recommendations)
        for (const basis of rec.basedOn) seen.add(`${basis.what}:${basis.stale}`);
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'pain-assessment:false',
        'pain-assessment:true',
        'psychological-screen:true',
        'follow-up-contact:true',
      ]),
    );
  });
});
