import { describe, expect, it } from 'vitest';
import { computePlan } from '../plan/compute-plan.js';
import { diffPlans } from '../plan/diff.js';
import type { Plan, PlanStep } from '../plan/types.js';
import { scenario } from '../testing/scenario.js';
import { changedDetails, effectiveEpisode, effectiveEpisodeWithout } from './episode-details.js';
import { PathwayInputError } from './errors.js';
import { ClinicalEventSchema, EpisodeSchema } from './schemas.js';
import { parseEvent } from './validate.js';

// A community patient born 1950-05-17 with a fracture on Monday 6 January 2025, identified and
// enrolled that day at 14:00 (testing/scenario.ts). Worked by hand from the pathway definition:
// - dxa-scan: opens on the fracture date, due day 90 (2025-04-06, a Sunday, so the reminder goes
//   on Friday 2025-04-04), overdue from 2025-04-07.
// - With the fracture on Monday 30 December 2024 instead: due day 90 is Sunday 2025-03-30, the
//   reminder goes on Friday 2025-03-28 (09:00 GMT), overdue from Monday 2025-03-31.

const correctedAt = '2025-02-03T10:00:00Z';

const correction = (details: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'episode-details-corrected' as const,
  note: 'Fracture date mistyped at enrolment',
  ...details,
  ...extra,
});

function step(plan: Plan, key: string): PlanStep {
  const found = plan.steps.find((s) => s.key === key);
  if (!found) throw new Error(`no step ${key}`);
  return found;
}

/** The issues a scenario's record is refused with, as "path message". */
function refusal(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof PathwayInputError)
      return error.issues.map((i) => `${i.path} ${i.message}`);
    throw error;
  }
  throw new Error('expected the record to be refused');
}

describe('episode-details-corrected: the entry itself', () => {
  const base = {
    id: 'c1',
    type: 'episode-details-corrected',
    occurredAt: correctedAt,
    recordedAt: correctedAt,
    recordedBy: 'nurse-1',
    note: 'Typo',
  };

  it('needs a reason and at least one detail, each valid as at enrolment', () => {
    expect(ClinicalEventSchema.safeParse({ ...base, fractureDate: '2025-01-02' }).success).toBe(
      true,
    );
    const messages = (input: unknown) =>
      ClinicalEventSchema.safeParse(input).error?.issues.map(
        (i) => `${i.path.join('.')} ${i.message}`,
      );
    expect(messages({ ...base })).toEqual([
      'type must correct at least one detail: vertebralLevels, fractureDate, fractureDateEstimated, identifiedOn, identification, careSetting',
    ]);
    expect(messages({ ...base, note: ' ', identification: 'bone-densitometry' })).toEqual([
      'note must say why the enrolment details are corrected',
    ]);
    expect(messages({ ...base, vertebralLevels: ['T12', 'T12'] })).toEqual([
      'vertebralLevels lists the same vertebral level more than once',
    ]);
    expect(messages({ ...base, careSetting: { kind: 'admitted' } })?.[0]).toMatch(
      /^careSetting\.admittedAt /,
    );
    // Findings are updated with clinical-findings, not here.
    expect(messages({ ...base, neurologicalDeficit: true })?.[0]).toMatch(/unrecognized|unknown/i);
  });
});

describe('episode-details-corrected: the plan follows the corrected episode', () => {
  const planAt = '2025-02-03T12:00:00Z';

  it('moves windows anchored on the fracture date and says so in the anchor and reasons', () => {
    const before = scenario().plan(planAt);
    const after = scenario()
      .add(correctedAt, correction({ fractureDate: '2024-12-30' }))
      .plan(planAt);

    expect(step(before, 'dxa-scan').window).toMatchObject({
      due: '2025-04-06',
      overdueFrom: '2025-04-07',
      anchor: 'the fracture on Mon 6 Jan 2025',
    });
    const dxa = step(after, 'dxa-scan');
    expect(dxa.window).toMatchObject({
      opens: '2024-12-30',
      due: '2025-03-30',
      overdueFrom: '2025-03-31',
      anchor: 'the fracture on Mon 30 Dec 2024 (corrected; enrolled as Mon 6 Jan 2025)',
    });
    expect(dxa.window?.reminders.due).toBe('2025-03-28T09:00:00.000Z');
    expect(dxa.reason).toBe(
      'Open since Mon 30 Dec 2024; due Sun 30 Mar 2025. Sun 30 Mar 2025 is a Sunday and the next working day is not before the step is overdue: the reminder goes out on Fri 28 Mar 2025 at 09:00, the last working day before.',
    );
    expect(before.daysSinceFracture).toBe(28);
    expect(after.daysSinceFracture).toBe(35);
    // Enrolment-anchored steps stay where they were.
    expect(step(after, 'holistic-assessment').window).toEqual(
      step(before, 'holistic-assessment').window,
    );
  });

  it('reschedules the moved timers (new ids) and leaves the others alone', () => {
    const base = scenario();
    const before = base.plan(correctedAt);
    const after = base
      .add(correctedAt, correction({ fractureDate: '2024-12-30' }))
      .plan(correctedAt);
    const { commands, changes } = diffPlans(before, after);
    const dxa = commands.filter((c) => c.stepKey === 'dxa-scan');
    // The window opens on the fracture date, so all its status changes and reminders move.
    expect(dxa.map((c) => [c.kind, c.transition])).toEqual([
      ['reschedule', 'due-day'],
      ['reschedule', 'due'],
      ['reschedule', 'open'],
      ['reschedule', 'overdue-day'],
      ['reschedule', 'overdue'],
    ]);
    expect(dxa[1]).toMatchObject({
      fireAt: '2025-03-28T09:00:00.000Z',
      previousFireAt: '2025-04-04T08:00:00.000Z',
    });
    expect(commands.some((c) => c.stepKey === 'holistic-assessment')).toBe(false);
    expect(changes.find((c) => c.stepKey === 'dxa-scan')).toMatchObject({ kind: 'window' });
  });

  it('an admission given later brings the admission-anchored review; community care removes it', () => {
    const admittedAt = '2025-01-06T11:00:00Z';
    const admitted = scenario()
      .add(correctedAt, correction({ careSetting: { kind: 'admitted', admittedAt } }))
      .plan(planAt);
    const review = step(admitted, 'pain-review-48h');
    expect(review.window?.anchor).toBe(
      'admission on Mon 6 Jan 2025, 11:00 (corrected; enrolled as community care)',
    );
    expect(review.window?.transitions.due).toBe('2025-01-08T11:00:00.000Z');
    expect(step(scenario().plan(planAt), 'pain-review-48h').status).toBe('not-applicable');

    const backToCommunity = scenario({ admittedAt })
      .add(correctedAt, correction({ careSetting: { kind: 'community' } }))
      .plan(planAt);
    expect(step(backToCommunity, 'pain-review-48h').status).toBe('not-applicable');
  });

  it('the latest correction in effect wins; correcting or withdrawing it behaves as for any entry', () => {
    const dxaDue = (plan: Plan) => step(plan, 'dxa-scan').window?.due;
    const first = scenario().add(
      correctedAt,
      correction({ fractureDate: '2024-12-30' }, { id: 'c1' }),
    );
    expect(dxaDue(first.plan(planAt))).toBe('2025-03-30');

    const later = scenario()
      .add(correctedAt, correction({ fractureDate: '2024-12-30' }, { id: 'c1' }))
      .add('2025-02-03T11:00:00Z', correction({ fractureDate: '2025-01-02' }, { id: 'c2' }));
    expect(dxaDue(later.plan(planAt))).toBe('2025-04-02');

    const corrected = scenario()
      .add(correctedAt, correction({ fractureDate: '2024-12-30' }, { id: 'c1' }))
      .add(
        '2025-02-03T11:00:00Z',
        correction({ fractureDate: '2025-01-01' }, { id: 'c1b', supersedes: 'c1' }),
      );
    expect(dxaDue(corrected.plan(planAt))).toBe('2025-04-01');

    const withdrawn = scenario()
      .add(correctedAt, correction({ fractureDate: '2024-12-30' }, { id: 'c1' }))
      .add('2025-02-03T11:00:00Z', {
        type: 'retraction',
        supersedes: 'c1',
        note: 'Wrong patient',
      });
    expect(dxaDue(withdrawn.plan(planAt))).toBe('2025-04-06');
  });

  it('a correction carrying only some details keeps the others from the corrections before it', () => {
    const record = scenario()
      .add(correctedAt, correction({ fractureDate: '2024-12-30' }))
      .add('2025-02-03T11:00:00Z', correction({ vertebralLevels: ['T12', 'L1'] }))
      .record(planAt);
    const episode = effectiveEpisode(record.episode, record.events);
    expect(episode).toMatchObject({ fractureDate: '2024-12-30', vertebralLevels: ['T12', 'L1'] });
    // The enrolment record itself is untouched; asOf sees only what was recorded by then.
    expect(record.episode.fractureDate).toBe('2025-01-06');
    expect(effectiveEpisode(record.episode, record.events, Date.parse(correctedAt))).toMatchObject({
      fractureDate: '2024-12-30',
      vertebralLevels: ['T12'],
    });
    // A plan as of a moment before the correction uses the details as they were then.
    const earlier = computePlan({ ...record, asOf: '2025-02-03T09:00:00Z' });
    expect(earlier.daysSinceFracture).toBe(28);
  });

  it('sets one correction aside (the basis of its correction) without bringing back what it replaced', () => {
    const record = scenario()
      .add(correctedAt, correction({ fractureDate: '2024-12-30' }, { id: 'c1' }))
      .add(
        '2025-02-03T11:00:00Z',
        correction({ vertebralLevels: ['T12', 'L1'] }, { id: 'c2', supersedes: 'c1' }),
      )
      .record(planAt);
    // c2 replaced c1 and carries only the levels, so the enrolled fracture date stands.
    expect(effectiveEpisode(record.episode, record.events)).toMatchObject({
      fractureDate: '2025-01-06',
      vertebralLevels: ['T12', 'L1'],
    });
    expect(effectiveEpisodeWithout(record.episode, record.events, 'c2')).toMatchObject({
      fractureDate: '2025-01-06',
      vertebralLevels: ['T12'],
    });
  });

  it('compares details by meaning: levels in another order, an instant at another offset', () => {
    const episode = EpisodeSchema.parse({
      ...scenario({ admittedAt: '2025-01-06T11:00:00Z' }).episode,
      vertebralLevels: ['T12', 'L1'],
    });
    expect(
      changedDetails(episode, {
        ...episode,
        vertebralLevels: ['L1', 'T12'],
        careSetting: { kind: 'admitted', admittedAt: '2025-01-06T12:00:00+01:00' },
      }),
    ).toEqual([]);
    expect(changedDetails(episode, { ...episode, careSetting: { kind: 'community' } })).toEqual([
      'careSetting',
    ]);
  });
});

describe('episode-details-corrected: validated as at enrolment, naming the field', () => {
  const now = '2025-02-03T12:00:00Z';

  it('refuses a fracture date after identification, in the future or before birth', () => {
    expect(
      refusal(() =>
        scenario({ fractureDate: '2025-01-06', identifiedOn: '2025-01-08' })
          .add(correctedAt, correction({ fractureDate: '2025-01-09' }))
          .record(now),
      ),
    ).toEqual([
      'events[0].fractureDate with this correction, the date identified (2025-01-08) is before the date of fracture or symptom onset (2025-01-09); the fracture cannot be identified before it happened',
    ]);
    expect(
      refusal(() =>
        scenario()
          .add(correctedAt, correction({ fractureDate: '2025-02-04', identifiedOn: '2025-02-04' }))
          .record(now),
      ),
    ).toEqual(
      expect.arrayContaining([
        'events[0].fractureDate is in the future (2025-02-04; today is 2025-02-03)',
        'events[0].identifiedOn is in the future (2025-02-04; today is 2025-02-03)',
      ]),
    );
    expect(
      refusal(() =>
        scenario()
          .add(correctedAt, correction({ fractureDate: '1950-05-16' }))
          .record(now),
      ),
    ).toEqual(["events[0].fractureDate is before the patient's date of birth (1950-05-17)"]);
  });

  it('refuses an identification date after enrolment, and an admission before the fracture or in the future', () => {
    expect(
      refusal(() =>
        scenario()
          .add(correctedAt, correction({ identifiedOn: '2025-01-07' }))
          .record(now),
      ),
    ).toEqual([
      'events[0].identifiedOn with this correction, the enrolment time (2025-01-06T14:00:00Z) is before the date the fracture was identified (2025-01-07)',
    ]);
    expect(
      refusal(() =>
        scenario()
          .add(
            correctedAt,
            correction({ careSetting: { kind: 'admitted', admittedAt: '2025-01-05T23:00:00Z' } }),
          )
          .record(now),
      ),
    ).toEqual([
      'events[0].careSetting.admittedAt is before the date of fracture or symptom onset (2025-01-06); for a fracture that happened in hospital, give the time it was diagnosed',
    ]);
    expect(
      refusal(() =>
        scenario()
          .add(
            correctedAt,
            correction({ careSetting: { kind: 'admitted', admittedAt: '2025-02-03T10:30:00Z' } }),
          )
          .record(now),
      ),
    ).toEqual(['events[0].careSetting.admittedAt is in the future']);
  });

  it('a later fracture date may not leave an entry before it', () => {
    const base = scenario({ fractureDate: '2025-01-06', identifiedOn: '2025-01-20' }).pain(
      '2025-01-10T09:00:00Z',
      5,
      6,
      'moderate',
      { recordedAt: '2025-01-21T09:00:00Z' },
    );
    expect(
      refusal(() =>
        base
          .add(correctedAt, correction({ fractureDate: '2025-01-15', note: 'Onset was later' }))
          .record(now),
      ),
    ).toEqual([
      'events[1].fractureDate would leave entry ev1 (pain-assessment of 2025-01-10) before the date of fracture or symptom onset (2025-01-15); correct or withdraw that entry first',
    ]);
  });

  it('refuses a correction that changes nothing', () => {
    expect(
      refusal(() =>
        scenario()
          .add(correctedAt, correction({ fractureDate: '2025-01-06', vertebralLevels: ['T12'] }))
          .record(now),
      ),
    ).toEqual([
      'events[0].type changes nothing: the episode already has these details (vertebralLevels, fractureDate); a correction must change at least one',
    ]);
  });

  it('later entries are checked against the corrected fracture date', () => {
    const moved = scenario().add(correctedAt, correction({ fractureDate: '2024-12-30' }));
    // Between the corrected and the enrolled date: accepted now.
    expect(() =>
      moved.pain('2025-01-02T09:00:00Z', 3, 4, 'mild', { recordedAt: now }).record(now),
    ).not.toThrow();
    const later = scenario({ fractureDate: '2024-12-30', identifiedOn: '2025-01-06' }).add(
      correctedAt,
      correction({ fractureDate: '2025-01-03' }),
    );
    expect(
      refusal(() =>
        later.pain('2025-01-02T09:00:00Z', 3, 4, 'mild', { recordedAt: now }).record(now),
      ),
    ).toEqual([
      'events[1].occurredAt is before the date of fracture or symptom onset (2025-01-03)',
    ]);
  });

  it('refuses withdrawing a correction when the details it brings back no longer fit the log', () => {
    // Moved earlier, then an entry in the gap: bringing back the enrolled date would strand it.
    expect(
      refusal(() =>
        scenario()
          .add(correctedAt, correction({ fractureDate: '2024-12-30' }, { id: 'c1' }))
          .pain('2025-01-02T09:00:00Z', 3, 4, 'mild', { recordedAt: '2025-02-03T10:30:00Z' })
          .add('2025-02-03T11:00:00Z', {
            type: 'retraction',
            supersedes: 'c1',
            note: 'Entered on the wrong patient',
          })
          .record(now),
      ),
    ).toEqual([
      'events[2].supersedes would bring back the date of fracture 2025-01-06, leaving entry ev2 (pain-assessment of 2025-01-02) before it; correct or withdraw that entry first',
    ]);
  });

  it('parseEvent checks a single new correction against the stored record', () => {
    const { patient, episode, events } = scenario().record(now);
    const event = parseEvent(
      {
        id: 'c9',
        occurredAt: now,
        recordedAt: now,
        recordedBy: 'nurse-1',
        ...correction({ fractureDate: '2025-01-05', fractureDateEstimated: true }),
      },
      { now, patient, episode, history: events },
    );
    expect(event).toMatchObject({ fractureDate: '2025-01-05', fractureDateEstimated: true });
    expect(() =>
      parseEvent(
        {
          id: 'c9',
          occurredAt: now,
          recordedAt: now,
          recordedBy: 'nurse-1',
          ...correction({ fractureDate: '2025-01-05' }),
        },
        { now, episode, history: events },
      ),
    ).toThrow(/needs context.patient/);
  });
});
