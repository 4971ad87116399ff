import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathwayInputError } from '../inputs/errors.js';
import { ROS_2022_V1 } from '../pathway/versions/ros-2022.1.js';
import { ROS_2022_V2 } from '../pathway/versions/ros-2022.2.js';
import { type Scenario, scenario } from '../testing/scenario.js';
import { serviceCalendar } from '../time/settings.js';
import type { Plan } from './types.js';

// Hazard 4 of issue 12: therapy that started before the fracture could not be recorded. Fracture
// on Monday 2025-01-06 (the scenario's default); the history is taken the next day.
const TAKEN = '2025-01-07T10:00:00Z';
const AS_OF = '2025-01-07T12:00:00Z';

type PriorFields = {
  drug?: string;
  startedOn?: string;
  takingAtFracture?: boolean;
  stoppedOn?: string;
  lastDoseOn?: string;
  adherence?: string;
  id?: string;
};

const prior = (fields: PriorFields = {}) =>
  ({
    type: 'prior-bone-therapy',
    drug: 'alendronic-acid',
    startedOn: '2022-03-01',
    takingAtFracture: true,
    adherence: 'as-prescribed',
    ...fields,
  }) as never;

const withPrior = (fields: PriorFields = {}, s: Scenario = scenario()) =>
  s.add(TAKEN, prior(fields));

/** The problems validation reports, as "path message" lines. */
function problems(s: Scenario, now = AS_OF): string[] {
  try {
    s.record(now);
  } catch (error) {
    if (error instanceof PathwayInputError)
      return error.issues.map((i) => `${i.path} ${i.message}`);
    throw error;
  }
  return [];
}

const step = (plan: Plan, key: string) => plan.steps.find((s) => s.key === key);

describe('prior bone therapy: refused with a message that says what to do', () => {
  it('accepts a course that began years before the fracture', () => {
    expect(problems(withPrior())).toEqual([]);
    expect(problems(withPrior({ takingAtFracture: false, stoppedOn: '2024-06-30' }))).toEqual([]);
  });

  it('refuses a start after the fracture or in the future', () => {
    expect(problems(withPrior({ startedOn: '2025-01-07' }))).toEqual([
      'events[0].startedOn is after the date of fracture (2025-01-06); therapy started since the fracture is recorded as bone-therapy-started',
    ]);
    expect(problems(withPrior({ startedOn: '2025-02-01' }))).toEqual([
      'events[0].startedOn is in the future (2025-02-01; this history was taken on 2025-01-07)',
    ]);
  });

  it('refuses a stop that is missing, before the start, after the fracture, or given while still taking it', () => {
    expect(problems(withPrior({ takingAtFracture: false }))).toEqual([
      'events[0].stoppedOn is required when the patient had stopped before the fracture: give the date it stopped (an estimate is fine, say so in the note)',
    ]);
    expect(problems(withPrior({ takingAtFracture: false, stoppedOn: '2021-01-01' }))).toEqual([
      'events[0].stoppedOn is before the course started (2022-03-01)',
    ]);
    expect(problems(withPrior({ takingAtFracture: false, stoppedOn: '2025-01-07' }))).toEqual([
      'events[0].stoppedOn is after the date of fracture (2025-01-06), so the patient was still taking it then: answer "yes" to taking it at the fracture and record the stop as bone-therapy-stopped',
    ]);
    expect(problems(withPrior({ stoppedOn: '2024-01-01' }))).toEqual([
      'events[0].stoppedOn must be left out when the patient was still taking it at the fracture; record a stop since then as bone-therapy-stopped',
    ]);
  });

  it('asks for the last dose of denosumab or zoledronic acid, between the start and the day of the history', () => {
    expect(problems(withPrior({ drug: 'denosumab' }))).toEqual([
      'events[0].lastDoseOn is required for Denosumab still taken at the fracture: the next dose is planned from it',
    ]);
    expect(problems(withPrior({ drug: 'denosumab', lastDoseOn: '2022-01-01' }))).toEqual([
      'events[0].lastDoseOn is before the course started (2022-03-01)',
    ]);
    expect(problems(withPrior({ drug: 'zoledronic-acid', lastDoseOn: '2025-01-08' }))).toEqual([
      'events[0].lastDoseOn is in the future (2025-01-08; this history was taken on 2025-01-07)',
    ]);
    expect(
      problems(
        withPrior({
          drug: 'denosumab',
          takingAtFracture: false,
          stoppedOn: '2024-01-01',
          lastDoseOn: '2024-06-01',
        }),
      ),
    ).toEqual(['events[0].lastDoseOn is after the course stopped (2024-01-01)']);
    expect(problems(withPrior({ lastDoseOn: '2024-06-01' }))).toEqual([
      'events[0].lastDoseOn applies only to denosumab and zoledronic acid, not Alendronic acid; leave it out',
    ]);
  });

  it('points a start dated before the fracture to prior therapy', () => {
    const s = scenario().add('2025-01-05T10:00:00Z', {
      type: 'bone-therapy-started',
      drug: 'alendronic-acid',
      recordedAt: TAKEN,
    });
    expect(problems(s)).toEqual([
      'events[0].occurredAt is before the date of fracture or symptom onset (2025-01-06); for therapy the patient was already taking, record prior-bone-therapy (today, with the real start date) instead',
    ]);
  });

  it('refuses a second start of a drug the patient was already taking, and a duplicate course', () => {
    const started = withPrior().add('2025-01-08T10:00:00Z', {
      type: 'bone-therapy-started',
      drug: 'alendronic-acid',
    });
    expect(problems(started, '2025-01-08T12:00:00Z')).toEqual([
      'events[1].drug a course of alendronic-acid is already running (taken since 2022-03-01, recorded as prior therapy); record bone-therapy-stopped before starting another',
    ]);
    expect(problems(withPrior({}, withPrior()))).toEqual([
      'events[1].drug a course of alendronic-acid is already running; record bone-therapy-stopped before starting another',
    ]);
  });

  it('refuses a dose recorded on or before the last dose the prior therapy reported', () => {
    const s = withPrior({ drug: 'denosumab', lastDoseOn: '2025-01-07' }).add(
      '2025-01-07T11:00:00Z',
      { type: 'bone-therapy-dose', drug: 'denosumab' },
    );
    expect(problems(s)).toEqual([
      'events[1].occurredAt is on or before the last dose reported with the prior therapy (2025-01-07, entry ev1); correct that entry if this dose is the latest',
    ]);
  });

  it('refuses a fracture date corrected to before the prior course began', () => {
    const s = withPrior({ startedOn: '2024-12-01' }).add('2025-01-08T10:00:00Z', {
      type: 'episode-details-corrected',
      fractureDate: '2024-11-20',
      note: 'fracture seen on an older radiograph',
    });
    expect(problems(s, '2025-01-08T12:00:00Z')).toContain(
      'events[1].fractureDate would leave entry ev1 (prior-bone-therapy) inconsistent: its startedOn is after the date of fracture (2024-11-20); therapy started since the fracture is recorded as bone-therapy-started; correct that entry first',
    );
  });

  it('is refused under the frozen version 1, which plans courses only from starts', () => {
    expect(problems(withPrior({}, scenario({ pathwayVersion: ROS_2022_V1.version })))).toEqual([
      'events[0].type cannot be recorded under pathway ros-2022.1, which plans every course from a start recorded since the fracture; pathway ros-2022.3 and later read therapy taken before the fracture',
    ]);
  });
});

describe('treatment review: refused with a message that says what to do', () => {
  const review = (fields: Record<string, unknown>) =>
    ({
      type: 'treatment-review',
      drug: 'alendronic-acid',
      takingAsPrescribed: true,
      outcome: 'continue',
      ...fields,
    }) as never;

  it('asks whether an oral bisphosphonate is taken as directed, and only for one', () => {
    expect(problems(withPrior().add('2025-01-07T11:00:00Z', review({})))).toEqual([
      'events[1].takenCorrectly is required for Alendronic acid: say whether it is taken as the leaflet directs (fasting, with plain water, staying upright), since an oral bisphosphonate taken otherwise is poorly absorbed',
    ]);
    const denosumab = withPrior({ drug: 'denosumab', lastDoseOn: '2024-11-01' });
    expect(
      problems(
        denosumab.add('2025-01-07T11:00:00Z', review({ drug: 'denosumab', takenCorrectly: true })),
      ),
    ).toEqual([
      'events[1].takenCorrectly applies only to oral bisphosphonates, not Denosumab; leave it out',
    ]);
  });

  it('refuses a review of a drug the patient is not taking', () => {
    const s = withPrior({ takingAtFracture: false, stoppedOn: '2024-06-30' }).add(
      '2025-01-07T11:00:00Z',
      review({ takenCorrectly: true }),
    );
    expect(problems(s)).toEqual([
      'events[1].drug names alendronic-acid, but no course of it is running at the time of the review; record prior-bone-therapy (taken before the fracture) or bone-therapy-started first',
    ]);
  });
});

describe('prior therapy: reviews and doses run from the real start and last dose', () => {
  it('puts the oral bisphosphonate review 5 years after the real start, not after the fracture', () => {
    const plan = withPrior({ id: 'prior1', startedOn: '2022-03-01' }).plan(AS_OF);
    const review = step(plan, 'oral-bisphosphonate-review~prior1');
    expect([review?.window?.opens, review?.window?.due]).toEqual(['2027-03-01', '2027-03-01']);
    expect(review?.window?.anchor).toContain('started Tue 1 Mar 2022, before the fracture');
  });

  it('puts the intravenous review 3 years after the real start and the next infusion a year after the last', () => {
    const plan = withPrior({
      id: 'z',
      drug: 'zoledronic-acid',
      startedOn: '2023-02-01',
      lastDoseOn: '2024-02-12',
    }).plan(AS_OF);
    expect(step(plan, 'intravenous-bisphosphonate-review~z')?.window?.due).toBe('2026-02-01');
    expect(step(plan, 'zoledronic-acid-next-dose~z~2')?.window?.due).toBe('2025-02-12');
  });

  it('plans the next denosumab dose 6 months after the real last dose, and the one after from the dose given', () => {
    const s = withPrior({
      id: 'dmab',
      drug: 'denosumab',
      startedOn: '2021-05-01',
      lastDoseOn: '2024-10-15',
    });
    const plan = s.plan(AS_OF);
    const next = step(plan, 'denosumab-next-dose~dmab~2');
    expect([next?.status, next?.window?.due]).toEqual(['upcoming', '2025-04-15']);
    const given = s
      .add('2025-04-14T10:00:00Z', { type: 'bone-therapy-dose', drug: 'denosumab', id: 'd2' })
      .plan('2025-04-14T12:00:00Z');
    expect(step(given, 'denosumab-next-dose~dmab~2')?.status).toBe('completed');
    expect(step(given, 'denosumab-next-dose~dmab~3')?.window?.due).toBe('2025-10-14');
  });

  it('ends a teriparatide course 24 months after its real start', () => {
    const plan = withPrior({ id: 't', drug: 'teriparatide', startedOn: '2023-09-10' }).plan(AS_OF);
    expect(step(plan, 'teriparatide-follow-on~t')?.window?.due).toBe('2025-09-10');
  });

  it('leaves a course stopped before the fracture as history, but warns when it was denosumab', () => {
    const plan = withPrior({
      drug: 'denosumab',
      startedOn: '2021-05-01',
      takingAtFracture: false,
      stoppedOn: '2024-03-01',
      lastDoseOn: '2023-09-01',
    }).plan(AS_OF);
    expect(
      plan.steps.filter((s) => s.stepId === 'denosumab-next-dose').map((s) => s.status),
    ).toEqual(['not-applicable']);
    expect(plan.recommendations.map((r) => r.id)).toContain('denosumab-stopped');
  });

  it('property: every oral bisphosphonate review falls 5 years after the reported start', () => {
    const calendar = serviceCalendar();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 365 }), (daysBefore) => {
        const startedOn = calendar.addToDate('2025-01-06', { days: -daysBefore });
        const plan = withPrior({ id: 'p', startedOn }).plan(AS_OF);
        expect(step(plan, 'oral-bisphosphonate-review~p')?.window?.due).toBe(
          calendar.addToDate(startedOn, { years: 5 }),
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('fracture on treatment', () => {
  const review = (outcome: string) =>
    ({
      type: 'treatment-review',
      drug: 'alendronic-acid',
      takingAsPrescribed: true,
      takenCorrectly: true,
      outcome,
      id: 'rev',
    }) as never;

  it('opens a review only after the minimum time on treatment (12 months, a service standard)', () => {
    const status = (fields: PriorFields) =>
      step(withPrior(fields).plan(AS_OF), 'fracture-on-treatment-review')?.status;
    expect(status({ startedOn: '2024-01-06' })).toBe('open');
    expect(status({ startedOn: '2024-01-07' })).toBe('not-applicable');
    expect(status({ takingAtFracture: false, stoppedOn: '2024-12-01' })).toBe('not-applicable');
    expect(step(scenario().plan(AS_OF), 'fracture-on-treatment-review')?.status).toBe(
      'not-applicable',
    );
    expect(ROS_2022_V2.priorTherapy?.minimumOnTreatment).toEqual({ months: 12 });
    expect(ROS_2022_V2.priorTherapy?.basis.kind).toBe('service-standard');
  });

  it('property: the review applies exactly when the start is 12 months or more before the fracture', () => {
    const calendar = serviceCalendar();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 365 }), (daysBefore) => {
        const startedOn = calendar.addToDate('2025-01-06', { days: -daysBefore });
        const status = step(
          withPrior({ startedOn }).plan(AS_OF),
          'fracture-on-treatment-review',
        )?.status;
        const onTreatment = calendar.addToDate(startedOn, { months: 12 }) <= '2025-01-06';
        expect(status === 'not-applicable').toBe(!onTreatment);
      }),
      { numRuns: 60 },
    );
  });

  it('a treatment review completes it and the bone therapy recommendation; prior therapy alone completes neither', () => {
    const before = withPrior().plan(AS_OF);
    expect(step(before, 'bone-therapy-decision')?.status).toBe('open');
    const after = withPrior().add('2025-01-07T11:00:00Z', review('continue')).plan(AS_OF);
    expect(step(after, 'fracture-on-treatment-review')?.completion?.eventId).toBe('rev');
    expect(step(after, 'bone-therapy-decision')?.completion?.eventId).toBe('rev');
  });

  it('leaves version 1 as published: a treatment review does not complete its recommendation', () => {
    const plan = scenario({ pathwayVersion: ROS_2022_V1.version })
      .add('2025-01-07T09:00:00Z', { type: 'bone-therapy-started', drug: 'alendronic-acid' })
      .add('2025-01-07T11:00:00Z', review('continue'))
      .plan(AS_OF);
    expect(step(plan, 'bone-therapy-decision')?.completion?.eventType).toBe('bone-therapy-started');
    expect(plan.steps.some((s) => s.stepId === 'fracture-on-treatment-review')).toBe(false);
    expect(ROS_2022_V1.priorTherapy).toBeUndefined();
  });
});
