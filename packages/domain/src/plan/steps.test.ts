import { describe, expect, it } from 'vitest';
import { CURRENT_PATHWAY_VERSION, findPathway } from '../pathway/registry.js';
import { type Scenario, scenario } from '../testing/scenario.js';
import type { PlanStep } from './types.js';

/**
 * Every step of the current pathway: one patient for whom it applies (its window checked edge by
 * edge) and one for whom it does not. Fracture on Monday 2025-01-06 unless stated.
 */
interface StepCase {
  /** Builds a patient for whom the step applies; the step key when it has instances. */
  readonly applies: () => Scenario;
  readonly key?: string;
  readonly asOf: string;
  /** [opens, due, overdue from]: local dates for day windows, instants for exact ones. */
  readonly window: readonly [string, string, string];
  readonly notApplicable: () => Scenario;
  readonly notApplicableAsOf?: string;
}

const severeUnableToMobilise = (s: Scenario, at: string) =>
  s.pain(at, 8, 9, 'severe', { mobility: 'unable', onAnalgesia: true, id: 'p1' });

const STEP_CASES: Record<string, StepCase> = {
  'red-flag-neurological-deficit': {
    applies: () => scenario({ neurologicalDeficit: true, enrolledAt: '2025-01-06T14:00:00Z' }),
    asOf: '2025-01-06T15:00:00Z',
    window: ['2025-01-06T14:00:00.000Z', '2025-01-06T14:00:00.000Z', '2025-01-06T18:00:00.000Z'],
    notApplicable: () => scenario(),
  },
  'red-flag-suspected-malignancy': {
    applies: () => scenario({ suspectedMalignancy: true, enrolledAt: '2025-01-06T14:00:00Z' }),
    asOf: '2025-01-06T15:00:00Z',
    window: ['2025-01-06T14:00:00.000Z', '2025-01-06T14:00:00.000Z', '2025-01-06T18:00:00.000Z'],
    notApplicable: () => scenario(),
  },
  'red-flag-multiple-column': {
    applies: () => scenario({ columnInvolvement: 'multiple', enrolledAt: '2025-01-06T14:00:00Z' }),
    asOf: '2025-01-06T15:00:00Z',
    window: ['2025-01-06T14:00:00.000Z', '2025-01-06T14:00:00.000Z', '2025-01-06T18:00:00.000Z'],
    notApplicable: () => scenario(),
  },
  'holistic-assessment': {
    applies: () => scenario(),
    asOf: '2025-01-06T15:00:00Z',
    window: ['2025-01-06', '2025-01-06', '2025-01-08'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'transferred' }),
  },
  'self-management-advice': {
    applies: () => scenario(),
    asOf: '2025-01-06T15:00:00Z',
    window: ['2025-01-06', '2025-01-06', '2025-01-08'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'discharged' }),
  },
  'pain-review-48h': {
    applies: () => scenario({ admittedAt: '2025-01-06T08:00:00Z' }),
    asOf: '2025-01-06T09:00:00Z',
    window: ['2025-01-08T08:00:00.000Z', '2025-01-08T08:00:00.000Z', '2025-01-09T08:00:00.000Z'],
    notApplicable: () => scenario(),
    notApplicableAsOf: '2025-01-06T15:00:00Z',
  },
  'severe-pain-review': {
    applies: () => scenario().pain('2025-01-07T10:00:00Z', 7, 8, 'moderate', { id: 'p1' }),
    key: 'severe-pain-review~p1',
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-07', '2025-01-09', '2025-01-10'],
    notApplicable: () => scenario().pain('2025-01-07T10:00:00Z', 6, 6, 'moderate'),
  },
  'vertebral-augmentation-mdt': {
    applies: () =>
      severeUnableToMobilise(
        scenario({ admittedAt: '2025-01-06T08:00:00Z', mriOedema: 'present' }),
        '2025-01-08T09:00:00Z',
      ),
    asOf: '2025-01-08T10:00:00Z',
    window: ['2025-01-08', '2025-01-08', '2025-01-10'],
    notApplicable: () =>
      severeUnableToMobilise(
        scenario({ admittedAt: '2025-01-06T08:00:00Z', mriOedema: 'absent' }),
        '2025-01-08T09:00:00Z',
      ),
    notApplicableAsOf: '2025-01-08T10:00:00Z',
  },
  'physiotherapy-referral-acute': {
    applies: () => severeUnableToMobilise(scenario(), '2025-01-09T10:00:00Z'),
    asOf: '2025-01-09T12:00:00Z',
    window: ['2025-01-09', '2025-01-09', '2025-01-11'],
    notApplicable: () =>
      scenario().pain('2025-01-09T10:00:00Z', 8, 9, 'severe', { mobility: 'with-help' }),
  },
  'exercise-programme-referral': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-02-03', '2025-03-31', '2025-04-01'],
    notApplicable: () => scenario({ columnInvolvement: 'multiple' }),
  },
  'twelve-week-review': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-03-31', '2025-03-31', '2025-04-15'],
    notApplicable: () => scenario({ neurologicalDeficit: true }),
  },
  'pain-clinic-referral': {
    applies: () => scenario().pain('2025-04-01T10:00:00Z', 4, 5, 'moderate'),
    asOf: '2025-04-01T12:00:00Z',
    window: ['2025-04-01', '2025-04-01', '2025-04-16'],
    notApplicable: () => scenario().pain('2025-03-20T10:00:00Z', 6, 7, 'moderate'),
  },
  'psychological-screen': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-06', '2025-02-17', '2025-02-18'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'died' }),
  },
  'occupational-therapy-referral': {
    applies: () => scenario().pain('2025-01-07T10:00:00Z', 5, 6, 'severe'),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-07', '2025-01-07', '2025-01-22'],
    notApplicable: () =>
      scenario().pain('2025-01-07T10:00:00Z', 5, 6, 'moderate', { selfCareDifficulty: false }),
  },
  'falls-risk-assessment': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-06', '2025-04-06', '2025-04-07'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'died' }),
  },
  'falls-service-referral': {
    applies: () =>
      scenario().add('2025-01-07T10:00:00Z', {
        type: 'falls-risk-assessment',
        fallsInLastYear: 0,
        presentedWithFall: true,
        gaitOrBalanceDifficulty: true,
        result: 'at-risk',
      }),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-07', '2025-01-07', '2025-01-22'],
    notApplicable: () =>
      scenario().add('2025-01-07T10:00:00Z', {
        type: 'falls-risk-assessment',
        fallsInLastYear: 0,
        presentedWithFall: false,
        gaitOrBalanceDifficulty: false,
        result: 'not-at-risk',
      }),
  },
  'fracture-risk-assessment': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-06', '2025-04-06', '2025-04-07'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'died' }),
  },
  'dxa-scan': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-06', '2025-04-06', '2025-04-07'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'died' }),
  },
  'laboratory-screen': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-06', '2025-04-06', '2025-04-07'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'died' }),
  },
  'bone-therapy-decision': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-06', '2025-04-06', '2025-04-07'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'died' }),
  },
  // Taken for exactly 12 months by the fracture (the service standard) applies; a month less not.
  'fracture-on-treatment-review': {
    applies: () =>
      scenario().add('2025-01-07T10:00:00Z', {
        type: 'prior-bone-therapy',
        drug: 'alendronic-acid',
        startedOn: '2024-01-06',
        takingAtFracture: true,
        adherence: 'as-prescribed',
      }),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-01-06', '2025-04-06', '2025-04-07'],
    notApplicable: () =>
      scenario().add('2025-01-07T10:00:00Z', {
        type: 'prior-bone-therapy',
        drug: 'alendronic-acid',
        startedOn: '2024-01-07',
        takingAtFracture: true,
        adherence: 'as-prescribed',
      }),
  },
  'fls-follow-up-16-weeks': {
    applies: () => scenario(),
    asOf: '2025-01-07T12:00:00Z',
    window: ['2025-03-31', '2025-04-28', '2025-04-29'],
    notApplicable: () =>
      scenario().add('2025-01-06T14:00:00Z', { type: 'closure', reason: 'died' }),
  },
  'fls-adherence-52-weeks': {
    applies: () =>
      scenario().add('2025-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'risedronate' }),
    asOf: '2025-01-20T12:00:00Z',
    window: ['2025-12-08', '2026-01-05', '2026-01-06'],
    notApplicable: () => scenario(),
  },
  'denosumab-next-dose': {
    applies: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'denosumab',
        id: 'd',
      }),
    key: 'denosumab-next-dose~d~2',
    asOf: '2025-01-20T12:00:00Z',
    window: ['2025-07-20', '2025-07-20', '2025-08-18'],
    notApplicable: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'zoledronic-acid',
      }),
  },
  'zoledronic-acid-next-dose': {
    applies: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'zoledronic-acid',
        id: 'z',
      }),
    key: 'zoledronic-acid-next-dose~z~2',
    asOf: '2025-01-20T12:00:00Z',
    window: ['2026-01-20', '2026-01-20', '2026-01-21'],
    notApplicable: () =>
      scenario().add('2025-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab' }),
  },
  'oral-bisphosphonate-review': {
    applies: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'ibandronic-acid',
        id: 'i',
      }),
    key: 'oral-bisphosphonate-review~i',
    asOf: '2025-01-20T12:00:00Z',
    window: ['2030-01-20', '2030-01-20', '2030-02-18'],
    notApplicable: () =>
      scenario().add('2025-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'raloxifene' }),
  },
  'intravenous-bisphosphonate-review': {
    applies: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'zoledronic-acid',
        id: 'z',
      }),
    key: 'intravenous-bisphosphonate-review~z',
    asOf: '2025-01-20T12:00:00Z',
    window: ['2028-01-20', '2028-01-20', '2028-02-18'],
    notApplicable: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'alendronic-acid',
      }),
  },
  'teriparatide-follow-on': {
    applies: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'teriparatide',
        id: 't',
      }),
    key: 'teriparatide-follow-on~t',
    asOf: '2025-01-20T12:00:00Z',
    window: ['2026-12-20', '2027-01-20', '2027-01-21'],
    notApplicable: () =>
      scenario().add('2025-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'romosozumab' }),
  },
  'romosozumab-follow-on': {
    applies: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'romosozumab',
        id: 'r',
      }),
    key: 'romosozumab-follow-on~r',
    asOf: '2025-01-20T12:00:00Z',
    window: ['2025-12-20', '2026-01-20', '2026-01-21'],
    notApplicable: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'teriparatide',
      }),
  },
};

const definition = findPathway(CURRENT_PATHWAY_VERSION);

function stepsWithId(steps: readonly PlanStep[], id: string): PlanStep[] {
  return steps.filter((s) => s.stepId === id);
}

describe('every pathway step', () => {
  it('is covered by this table', () => {
    expect(Object.keys(STEP_CASES).sort()).toEqual(definition?.steps.map((s) => s.id).sort());
  });

  for (const [id, c] of Object.entries(STEP_CASES)) {
    describe(id, () => {
      it('applies, with its window edge by edge', () => {
        const plan = c.applies().plan(c.asOf);
        const found = plan.steps.find((s) => s.key === (c.key ?? id));
        expect(found, `${c.key ?? id} in ${plan.steps.map((s) => s.key).join(', ')}`).toBeDefined();
        expect(found?.status).not.toBe('not-applicable');
        expect(found?.status).not.toBe('cancelled');
        const w = found?.window;
        expect([w?.opens, w?.due, w?.overdueFrom]).toEqual([...c.window]);
        expect(found?.sources.length).toBeGreaterThan(0);
      });

      it('does not apply when its condition is not met', () => {
        const plan = c.notApplicable().plan(c.notApplicableAsOf ?? c.asOf);
        const found = stepsWithId(plan.steps, id);
        expect(found.length).toBeGreaterThan(0);
        for (const s of found) expect(['not-applicable', 'cancelled']).toContain(s.status);
        expect(plan.timers.filter((t) => found.some((s) => s.key === t.stepKey))).toEqual([]);
      });
    });
  }
});
