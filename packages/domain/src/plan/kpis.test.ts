import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PathwayDefinition } from '../pathway/definition.js';
import {
  CURRENT_PATHWAY_VERSION,
  createPathwayRegistry,
  findPathway,
  pathwayVersions,
} from '../pathway/registry.js';
import { ROS_2022_V1 } from '../pathway/versions/ros-2022.1.js';
import { ROS_2022_V2 } from '../pathway/versions/ros-2022.2.js';
import { type Scenario, scenario } from '../testing/scenario.js';
import {
  quotesNotInTheirSources,
  SEED_DOCUMENTS_PRESENT,
} from '../testing/seed-documents.test-support.js';
import {
  COMPLETENESS_RULE,
  episodeKpiRecord,
  episodeKpis,
  KPI_FIELD_IDS,
  KPI_IDS,
  type KpiFieldId,
  type KpiId,
  type KpiOutcome,
  KpiTally,
  kpiDefinitions,
  kpiStepIds,
  resolveKpiOutcome,
} from './kpis.js';

const KPI_DEFINITIONS = kpiDefinitions(CURRENT_PATHWAY_VERSION);

// Fracture on Monday 6 January 2025: the 90-day steps are due by 2025-04-06, the follow-up
// contact opens at week 12 (2025-03-31) and is due by week 16 (2025-04-28), the adherence check
// opens at week 48 (2025-12-08) and is due by week 52 (2026-01-05).
const FRACTURE = '2025-01-06';
const day = (n: number, time = '10:00:00Z') => {
  const date = new Date(Date.parse(`${FRACTURE}T00:00:00Z`) + n * 86_400_000);
  return `${date.toISOString().slice(0, 10)}T${time}`;
};

function measure(s: Scenario, asOf: string): Record<KpiId, KpiOutcome> {
  const plan = s.plan(asOf);
  const { events } = s.record(asOf);
  const outcomes = episodeKpis({
    pathwayVersion: plan.pathwayVersion,
    steps: plan.steps,
    events,
    closure: plan.closure,
    asOf,
  });
  expect(outcomes.map((o) => o.kpi)).toEqual([...KPI_IDS]);
  return Object.fromEntries(outcomes.map((o) => [o.kpi, o])) as Record<KpiId, KpiOutcome>;
}
const results = (m: Record<KpiId, KpiOutcome>) =>
  Object.fromEntries(Object.entries(m).map(([k, o]) => [k, o.result]));

const frax = {
  type: 'fracture-risk-assessment',
  tool: 'FRAX',
  majorOsteoporoticFractureRisk: 24,
  category: 'high',
} as const;
const dxa = { type: 'dxa-result', lumbarSpineTScore: -2.7 } as const;
const falls = {
  type: 'falls-risk-assessment',
  fallsInLastYear: 0,
  presentedWithFall: false,
  gaitOrBalanceDifficulty: false,
  result: 'not-at-risk',
} as const;
const started = { type: 'bone-therapy-started', drug: 'alendronic-acid' } as const;
const contact = (extra: Record<string, unknown> = {}) =>
  ({ type: 'follow-up-contact', mode: 'telephone', ...extra }) as never;

describe('KPI definitions', () => {
  it('take their titles from the pathway steps that name a KPI, and cite sources', () => {
    const pathway = findPathway(CURRENT_PATHWAY_VERSION);
    const named = (pathway?.steps ?? []).filter((s) => s.kpi).map((s) => s.kpi);
    for (const name of named) expect(KPI_DEFINITIONS.map((k) => k.title)).toContain(name);
    expect(KPI_DEFINITIONS.map((k) => k.title)).toContain('Treatment started by first follow-up');
    for (const kpi of KPI_DEFINITIONS) {
      expect(kpi.sources.length, kpi.id).toBeGreaterThan(0);
      expect(kpiStepIds()).toContain(kpi.stepId);
      expect(kpi.flsDb.kpi, kpi.id).toMatch(/^KPI \d+$/);
      expect(kpi.met.length + kpi.counted.length + kpi.notCounted.length).toBeGreaterThan(60);
    }
    expect(KPI_DEFINITIONS.find((k) => k.id === 'fracture-risk-assessment')?.met).toContain(
      'within 90 days',
    );
  });

  it.skipIf(!SEED_DOCUMENTS_PRESENT)('quote their sources word for word', () => {
    const sources = pathwayVersions().flatMap((v) => kpiDefinitions(v).flatMap((k) => k.sources));
    expect(sources.length).toBeGreaterThan(0);
    expect(quotesNotInTheirSources(sources)).toEqual([]);
  });
});

describe('episodeKpis: the step-based measures', () => {
  it('a new episode is pending everywhere, and adherence is not counted without therapy', () => {
    const m = measure(scenario({ fractureDate: FRACTURE }), day(10));
    expect(results(m)).toEqual({
      'fracture-risk-assessment': 'pending',
      dxa: 'pending',
      'falls-assessment': 'pending',
      'bone-therapy-recommended': 'pending',
      'strength-balance-16-weeks': 'pending',
      'follow-up-16-weeks': 'pending',
      'treatment-started-by-follow-up': 'pending',
      'adherence-52-weeks': 'excluded',
    });
    expect(m['fracture-risk-assessment'].reason).toBe('Not done yet; due by 2025-04-06.');
  });

  it('met when done by the due date (the 90th day included), not met when late or never', () => {
    const s = scenario({ fractureDate: FRACTURE })
      .add(day(90, '16:00:00Z'), frax)
      .add(day(91), dxa);
    const m = measure(s, day(120));
    expect(m['fracture-risk-assessment']).toMatchObject({
      result: 'met',
      reason: 'Done on 2025-04-06, by the due date 2025-04-06.',
    });
    expect(m.dxa).toMatchObject({
      result: 'not-met',
      reason: 'Done on 2025-04-07, after the due date 2025-04-06.',
    });
    expect(m['falls-assessment']).toMatchObject({
      result: 'not-met',
      reason: 'Not done by the due date 2025-04-06.',
    });
  });

  it('counts a falls assessment made by its due date as met', () => {
    const m = measure(scenario({ fractureDate: FRACTURE }).add(day(30), falls), day(120));
    expect(m['falls-assessment']).toMatchObject({ result: 'met' });
  });

  it('counts the due date in the service time zone (late evening in summer time is the same day)', () => {
    // 23:30 UTC on 6 April is 00:30 on 7 April in London (BST): a day late.
    const m = measure(
      scenario({ fractureDate: FRACTURE }).add(day(90, '23:30:00Z'), frax),
      day(100),
    );
    expect(m['fracture-risk-assessment'].result).toBe('not-met');
  });

  it('"not indicated" is not counted; "declined" is not met, except for the therapy recommendation', () => {
    const s = scenario({ fractureDate: FRACTURE })
      .completeStep(day(20), 'dxa-scan', 'not-indicated')
      .completeStep(day(21), 'fracture-risk-assessment', 'declined')
      .completeStep(day(22), 'bone-therapy-decision', 'declined');
    const m = measure(s, day(30));
    expect(m.dxa.result).toBe('excluded');
    expect(m['fracture-risk-assessment']).toMatchObject({
      result: 'not-met',
      reason: 'Declined by the patient on 2025-01-27.',
    });
    expect(m['bone-therapy-recommended'].result).toBe('met');
  });

  it('a follow-up contact before week 12 does not count; one in weeks 12 to 16 does', () => {
    const early = scenario({ fractureDate: FRACTURE }).add(day(60), contact());
    expect(measure(early, day(100))['follow-up-16-weeks'].result).toBe('pending');
    expect(measure(early, day(120))['follow-up-16-weeks'].result).toBe('not-met');
    const onTime = scenario({ fractureDate: FRACTURE }).add(day(100), contact());
    expect(measure(onTime, day(120))['follow-up-16-weeks'].result).toBe('met');
  });

  it('a retracted assessment no longer counts', () => {
    const s = scenario({ fractureDate: FRACTURE })
      .add(day(20), { ...frax, id: 'frax-1' })
      .add(day(21), {
        type: 'retraction',
        supersedes: 'frax-1',
        note: 'Entered on the wrong patient',
      });
    expect(measure(s, day(100))['fracture-risk-assessment'].result).toBe('not-met');
  });

  it('closed before the due date: not counted after death or transfer, not met after discharge', () => {
    const died = scenario({ fractureDate: FRACTURE }).add(day(30), {
      type: 'closure',
      reason: 'died',
    });
    const m = measure(died, day(200));
    expect(m['fracture-risk-assessment']).toMatchObject({
      result: 'excluded',
      reason: 'Episode closed (died) on 2025-02-05, before it was due.',
    });
    expect(m['treatment-started-by-follow-up'].result).toBe('excluded');
    const discharged = scenario({ fractureDate: FRACTURE })
      .add(day(20), frax)
      .add(day(30), { type: 'closure', reason: 'discharged' });
    const d = measure(discharged, day(200));
    expect(d['fracture-risk-assessment'].result).toBe('met');
    expect(d.dxa.result).toBe('not-met');
  });
});

describe('episodeKpis: treatment started by first follow-up', () => {
  it('met when therapy started before the first follow-up contact', () => {
    const s = scenario({ fractureDate: FRACTURE }).add(day(40), started).add(day(100), contact());
    expect(measure(s, day(110))['treatment-started-by-follow-up']).toMatchObject({
      result: 'met',
      reason: 'Bone therapy started on 2025-02-15; first follow-up on 2025-04-16.',
    });
  });

  it('met when the contact reports therapy started (e.g. by the GP)', () => {
    const s = scenario({ fractureDate: FRACTURE })
      .completeStep(day(30), 'bone-therapy-decision')
      .add(day(100), contact({ treatmentStatus: 'started' }));
    expect(measure(s, day(110))['treatment-started-by-follow-up'].result).toBe('met');
  });

  it('not met when recommended but started only after the contact', () => {
    const s = scenario({ fractureDate: FRACTURE })
      .completeStep(day(30), 'bone-therapy-decision')
      .add(day(100), contact({ treatmentStatus: 'not-started' }))
      .add(day(105), started);
    expect(measure(s, day(110))['treatment-started-by-follow-up']).toMatchObject({
      result: 'not-met',
      reason: 'Recommended but not started by the first follow-up on 2025-04-16.',
    });
  });

  it('not counted without a recommendation, or when therapy was not recommended', () => {
    const none = scenario({ fractureDate: FRACTURE }).add(day(100), contact());
    expect(measure(none, day(110))['treatment-started-by-follow-up'].result).toBe('excluded');
    const notRecommended = scenario({ fractureDate: FRACTURE })
      .completeStep(day(30), 'bone-therapy-decision')
      .add(day(100), contact({ treatmentStatus: 'not-recommended' }));
    expect(measure(notRecommended, day(110))['treatment-started-by-follow-up'].result).toBe(
      'excluded',
    );
  });

  it('a retracted therapy start does not count', () => {
    const s = scenario({ fractureDate: FRACTURE })
      .add(day(40), { ...started, id: 'start-1' })
      .completeStep(day(41), 'bone-therapy-decision')
      .add(day(50), { type: 'retraction', supersedes: 'start-1', note: 'Not started after all' })
      .add(day(100), contact());
    expect(measure(s, day(110))['treatment-started-by-follow-up'].result).toBe('not-met');
  });
});

describe('episodeKpis: adherence at 52 weeks', () => {
  const onTherapy = () => scenario({ fractureDate: FRACTURE }).add(day(40), started);

  it('pending before week 52, not met when no check was made by then', () => {
    expect(measure(onTherapy(), day(350))['adherence-52-weeks'].result).toBe('pending');
    expect(measure(onTherapy(), day(380))['adherence-52-weeks'].result).toBe('not-met');
  });

  it('met only when the check recorded the patient taking therapy as prescribed', () => {
    const taking = onTherapy().add(day(345), contact({ takingAsPrescribed: true }));
    expect(measure(taking, day(380))['adherence-52-weeks']).toMatchObject({
      result: 'met',
      reason: 'Taking bone therapy as prescribed at the check on 2025-12-17.',
    });
    const notTaking = onTherapy().add(day(345), contact({ takingAsPrescribed: false }));
    expect(measure(notTaking, day(380))['adherence-52-weeks'].result).toBe('not-met');
    const unknown = onTherapy().add(day(345), contact());
    expect(measure(unknown, day(380))['adherence-52-weeks']).toMatchObject({
      result: 'not-met',
      reason: 'Checked on 2025-12-17, but adherence was not recorded.',
    });
  });

  it('reads the corrected check, not the one it replaced', () => {
    const s = onTherapy()
      .add(day(345), contact({ id: 'check-1', takingAsPrescribed: false }))
      .add(
        day(345),
        contact({ supersedes: 'check-1', takingAsPrescribed: true, recordedAt: day(346) }),
      );
    expect(measure(s, day(380))['adherence-52-weeks'].result).toBe('met');
  });
});

describe('episodeKpis: a patient already on bone therapy at the fracture (hazard 4, issue 12)', () => {
  const prior = (fields: Record<string, unknown> = {}) =>
    ({
      type: 'prior-bone-therapy',
      drug: 'alendronic-acid',
      startedOn: '2022-03-01',
      takingAtFracture: true,
      adherence: 'as-prescribed',
      ...fields,
    }) as never;
  const review = (fields: Record<string, unknown>) =>
    ({
      type: 'treatment-review',
      drug: 'alendronic-acid',
      takingAsPrescribed: true,
      takenCorrectly: true,
      ...fields,
    }) as never;

  it('counts a patient already treated correctly as met, already treated, not as a new start', () => {
    const s = scenario({ fractureDate: FRACTURE }).add(day(1), prior()).add(day(100), contact());
    const m = measure(s, day(110));
    expect(m['bone-therapy-recommended']).toEqual({
      kpi: 'bone-therapy-recommended',
      result: 'met',
      reason:
        'Already treated: alendronic-acid taken since 2022-03-01, as prescribed (prior therapy recorded on 2025-01-07); not a new start.',
    });
    expect(m['treatment-started-by-follow-up']).toMatchObject({
      result: 'met',
      reason: expect.stringContaining('Already treated'),
    });
  });

  it('does not count a patient who was not taking it as prescribed, or stopped before the fracture', () => {
    const missed = scenario({ fractureDate: FRACTURE }).add(
      day(1),
      prior({ adherence: 'doses-missed' }),
    );
    expect(measure(missed, day(110))['bone-therapy-recommended'].result).toBe('not-met');
    const stopped = scenario({ fractureDate: FRACTURE }).add(
      day(1),
      prior({ takingAtFracture: false, stoppedOn: '2024-06-01' }),
    );
    expect(measure(stopped, day(110))['bone-therapy-recommended'].result).toBe('not-met');
    // A review that finds the drug not taken as directed outweighs what the patient reported.
    const poorlyTaken = scenario({ fractureDate: FRACTURE })
      .add(day(1), prior())
      .add(day(100), review({ takenCorrectly: false, outcome: 'change' }));
    expect(measure(poorlyTaken, day(110))['bone-therapy-recommended']).toMatchObject({
      result: 'not-met',
      reason: expect.stringContaining('reviewed on 2025-04-16 (change)'),
    });
  });

  it('reads a treatment review as the decision: continue or change counts, stop is not counted', () => {
    const reviewed = (outcome: string) =>
      scenario({ fractureDate: FRACTURE })
        .add(day(1), prior({ adherence: 'doses-missed' }))
        .add(day(30), review({ outcome }));
    expect(measure(reviewed('continue'), day(110))['bone-therapy-recommended']).toEqual({
      kpi: 'bone-therapy-recommended',
      result: 'met',
      reason:
        'Already on bone therapy, reviewed on 2025-02-05 (continue): Done on 2025-02-05, by the due date 2025-04-06.',
    });
    expect(measure(reviewed('stop'), day(110))['bone-therapy-recommended'].result).toBe('excluded');
  });
});

describe('KpiTally', () => {
  it('adds up outcomes per measure, with the percentage of the eligible', () => {
    const tally = new KpiTally();
    const asOf = day(120);
    const episode = (s: Scenario) => {
      const plan = s.plan(asOf);
      return episodeKpis({
        pathwayVersion: plan.pathwayVersion,
        steps: plan.steps,
        events: s.record(asOf).events,
        closure: plan.closure,
        asOf,
      });
    };
    tally.add(
      CURRENT_PATHWAY_VERSION,
      episode(scenario({ fractureDate: FRACTURE }).add(day(10), frax)),
    );
    tally.add(
      CURRENT_PATHWAY_VERSION,
      episode(scenario({ fractureDate: FRACTURE }).add(day(95), frax)),
    );
    tally.add(
      CURRENT_PATHWAY_VERSION,
      episode(scenario({ fractureDate: FRACTURE }).add(day(20), frax)),
    );
    tally.add(CURRENT_PATHWAY_VERSION, episode(scenario({ fractureDate: '2025-04-01' })));
    const frs = tally.summaries().find((s) => s.id === 'fracture-risk-assessment');
    expect(frs).toMatchObject({ met: 2, notMet: 1, pending: 1, excluded: 0, eligible: 3 });
    expect(frs?.percentMet).toBeCloseTo(66.667, 2);
    const adherence = tally.summaries().find((s) => s.id === 'adherence-52-weeks');
    expect(adherence).toMatchObject({ eligible: 0, excluded: 4, percentMet: undefined });
    expect(tally.episodes).toBe(4);
  });
});

describe('episodeKpis: strength and balance training by 16 weeks (FLS-DB KPI 8)', () => {
  // Week 16 after the fracture is 2025-04-28 (the 16-week follow-up's due date).
  const referred = (n: number) =>
    scenario({ fractureDate: FRACTURE }).referral(day(n), 'individualised-exercise-programme');

  it('met by a referral to an individualised exercise programme by week 16, even after week 12', () => {
    expect(measure(referred(40), day(200))['strength-balance-16-weeks']).toMatchObject({
      result: 'met',
      reason: 'Done on 2025-02-15, by the due date 2025-04-28.',
    });
    expect(measure(referred(112), day(200))['strength-balance-16-weeks'].result).toBe('met');
  });

  it('not met when referred after week 16 or declined; pending until week 16 without a referral', () => {
    expect(measure(referred(113), day(200))['strength-balance-16-weeks']).toMatchObject({
      result: 'not-met',
      reason: 'Done on 2025-04-29, after the due date 2025-04-28.',
    });
    const declined = scenario({ fractureDate: FRACTURE }).completeStep(
      day(50),
      'exercise-programme-referral',
      'declined',
    );
    expect(measure(declined, day(60))['strength-balance-16-weeks'].result).toBe('not-met');
    const none = scenario({ fractureDate: FRACTURE });
    expect(measure(none, day(112))['strength-balance-16-weeks']).toMatchObject({
      result: 'pending',
      until: '2025-04-28',
    });
    expect(measure(none, day(113))['strength-balance-16-weeks'].result).toBe('not-met');
  });

  it('not counted where the referral does not apply (a red-flag episode leaves the conservative pathway)', () => {
    const redFlag = scenario({ fractureDate: FRACTURE, neurologicalDeficit: true });
    expect(measure(redFlag, day(200))['strength-balance-16-weeks'].result).toBe('excluded');
  });
});

describe('episodeKpiRecord: data completeness fields (FLS-DB KPI 1)', () => {
  const fields = (s: Scenario, asOf: string, identifierKind: 'nhs-number' | 'mrn' = 'mrn') => {
    const plan = s.plan(asOf);
    const record = episodeKpiRecord({
      pathwayVersion: plan.pathwayVersion,
      steps: plan.steps,
      events: s.record(asOf).events,
      closure: plan.closure,
      identifierKind,
    });
    expect(record.fields.map((f) => f.field)).toEqual([...KPI_FIELD_IDS]);
    return Object.fromEntries(record.fields.map((f) => [f.field, f])) as Record<
      KpiFieldId,
      (typeof record.fields)[number]
    >;
  };

  it('recorded whatever the outcome or timing; not yet due is pending until the due date', () => {
    const s = scenario({ fractureDate: FRACTURE })
      .add(day(95), frax)
      .completeStep(day(20), 'dxa-scan', 'not-indicated');
    const f = fields(s, day(100));
    expect(f['fracture-risk-assessment'].result).toBe('met');
    expect(f.dxa.result).toBe('met');
    expect(f['falls-assessment']).toMatchObject({ result: 'pending', until: '2025-04-06' });
    expect(f['nhs-number'].result).toBe('not-met');
    expect(fields(s, day(100), 'nhs-number')['nhs-number'].result).toBe('met');
    expect(f['adherence-52-weeks'].result).toBe('excluded');
    expect(f['treatment-status-at-follow-up'].result).toBe('excluded');
  });

  it('treatment status at follow-up is missing when the contact does not say and no start is recorded', () => {
    const silent = scenario({ fractureDate: FRACTURE }).add(day(100), contact());
    expect(fields(silent, day(110))['treatment-status-at-follow-up'].result).toBe('not-met');
    const said = scenario({ fractureDate: FRACTURE }).add(
      day(100),
      contact({ treatmentStatus: 'not-started' }),
    );
    expect(fields(said, day(110))['treatment-status-at-follow-up'].result).toBe('met');
  });

  it('the rule is FLS-DB’s: fewer than five fields with more than 20% missing', () => {
    expect(COMPLETENESS_RULE).toMatchObject({ missingAbovePercent: 20, fewerThanFields: 5 });
    expect(COMPLETENESS_RULE.flsDb.kpi).toBe('KPI 1');
  });
});

// A hypothetical later version that times DXA at 60 days instead of 90 (and says so in its KPI).
const V3: PathwayDefinition = {
  ...ROS_2022_V2,
  version: 'ros-2022.3-test',
  steps: ROS_2022_V2.steps.map((step) =>
    step.id === 'dxa-scan' && step.window.granularity === 'day'
      ? {
          ...step,
          kpi: 'DXA within 60 days',
          window: { ...step.window, due: { days: 60 }, overdueAfter: { days: 60 } },
        }
      : step,
  ),
};
const withV3 = createPathwayRegistry([ROS_2022_V1, ROS_2022_V2, V3], V3.version);

describe('KPIs use each episode’s own pathway version', () => {
  const measured = (s: Scenario, asOf: string, pathways = withV3) => {
    const plan = s.plan(asOf);
    const outcomes = episodeKpis({
      pathwayVersion: plan.pathwayVersion,
      steps: plan.steps,
      events: s.record(asOf).events,
      closure: plan.closure,
      asOf,
      pathways,
    });
    return { version: plan.pathwayVersion, outcomes };
  };

  it('an episode under ros-2022.1 and one under ros-2022.2 in the same period are each measured and described under their own version', () => {
    const v1 = scenario({ fractureDate: FRACTURE, pathwayVersion: 'ros-2022.1' }).add(
      day(30),
      frax,
    );
    const v2 = scenario({
      fractureDate: FRACTURE,
      pathwayVersion: 'ros-2022.2',
      episodeId: 'ep2',
    }).add(day(95), frax);
    const tally = new KpiTally();
    for (const s of [v1, v2]) {
      const { version, outcomes } = measured(s, day(120), undefined);
      tally.add(version, outcomes);
    }
    expect(tally.pathwayVersions).toEqual(['ros-2022.1', 'ros-2022.2']);
    const frs = tally.summaries().find((s) => s.id === 'fracture-risk-assessment');
    expect(frs).toMatchObject({ met: 1, notMet: 1, eligible: 2 });
    expect(frs?.definitions.map((d) => d.pathwayVersion)).toEqual(['ros-2022.1', 'ros-2022.2']);
    expect(frs?.definition.pathwayVersion).toBe('ros-2022.2');
    // Each version's wording is built from that version's own steps.
    expect(kpiDefinitions('ros-2022.1').every((d) => d.pathwayVersion === 'ros-2022.1')).toBe(true);
    expect(kpiDefinitions('ros-2022.1')[0]?.sources).toEqual(
      kpiDefinitions('ros-2022.1')[0]?.sources,
    );
  });

  it('a later version that times a measure differently does not change how an older episode counts, nor its wording', () => {
    // DXA on day 75: within 90 days (ros-2022.2), not within 60 (the later version).
    const older = scenario({
      fractureDate: FRACTURE,
      pathwayVersion: 'ros-2022.2',
      pathways: withV3,
    }).add(day(75), dxa);
    const newer = scenario({
      fractureDate: FRACTURE,
      pathwayVersion: V3.version,
      pathways: withV3,
      episodeId: 'ep2',
    }).add(day(75), dxa);
    const a = measured(older, day(120));
    const b = measured(newer, day(120));
    expect(a.outcomes.find((o) => o.kpi === 'dxa')?.result).toBe('met');
    expect(b.outcomes.find((o) => o.kpi === 'dxa')?.result).toBe('not-met');
    const tally = new KpiTally(withV3);
    tally.add(a.version, a.outcomes);
    tally.add(b.version, b.outcomes);
    const summary = tally.summaries().find((s) => s.id === 'dxa');
    expect(summary).toMatchObject({ met: 1, notMet: 1 });
    expect(summary?.definitions.map((d) => [d.pathwayVersion, d.title])).toEqual([
      ['ros-2022.2', 'DXA within 90 days'],
      ['ros-2022.3-test', 'DXA within 60 days'],
    ]);
    expect(summary?.definitions[0]?.met).toContain('within 90 days');
    expect(summary?.definitions[1]?.met).toContain('within 60 days');
  });

  it('refuses an episode naming a version that is not published', () => {
    expect(() => kpiDefinitions('ros-1999.1')).toThrow(/not published/);
  });
});

describe('episodeKpiRecord: stored once, read on any later day', () => {
  const EVENTS = [
    frax,
    dxa,
    falls,
    started,
    { type: 'referral', referralType: 'individualised-exercise-programme' },
    contact({ treatmentStatus: 'started' }),
    contact({ takingAsPrescribed: true }),
    { type: 'closure', reason: 'discharged' },
  ] as const;

  it('equals a fresh measurement on a later day when nothing was written in between', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ which: fc.nat(EVENTS.length - 1), at: fc.integer({ min: 1, max: 400 }) }),
          {
            maxLength: 6,
          },
        ),
        fc.integer({ min: 1, max: 420 }),
        fc.integer({ min: 0, max: 420 }),
        (entries, written, extra) => {
          const s = scenario({ fractureDate: FRACTURE });
          let closed = false;
          for (const entry of [...entries].sort((x, y) => x.at - y.at)) {
            if (entry.at > written || closed) continue;
            const event = EVENTS[entry.which];
            if (event?.type === 'closure') closed = true;
            s.add(day(entry.at), event as never);
          }
          const writtenAt = day(written, '18:00:00Z');
          const plan = s.plan(writtenAt);
          const stored = episodeKpiRecord({
            pathwayVersion: plan.pathwayVersion,
            steps: plan.steps,
            events: s.record(writtenAt).events,
            closure: plan.closure,
          });
          const readAt = day(written + extra, '19:00:00Z');
          const today = readAt.slice(0, 10);
          const fresh = measure(s, readAt);
          const read = stored.outcomes.map((o) => resolveKpiOutcome(o, today));
          expect(read.map((o) => [o.kpi, o.result])).toEqual(
            Object.values(fresh).map((o) => [o.kpi, o.result]),
          );
        },
      ),
      { numRuns: 60, seed: 12 },
    );
  });
});
