import { describe, expect, it } from 'vitest';
import { findPathway } from '../pathway/registry.js';
import { ROS_2022_V1 } from '../pathway/versions/ros-2022.1.js';
import { ROS_2022_V2 } from '../pathway/versions/ros-2022.2.js';
import { ROS_2022_V3 } from '../pathway/versions/ros-2022.3.js';
import { QA_DENOSUMAB_STOPPING } from '../pathway/versions/ros-2022-citations.js';
import type { Plan } from '../plan/types.js';
import { scenario } from '../testing/scenario.js';
import {
  quotesNotInTheirSources,
  SEED_DOCUMENTS_PRESENT,
} from '../testing/seed-documents.test-support.js';
import { fromEpochDay, toEpochDay } from '../time/civil-date.js';
import {
  buildWrittenPlan,
  patientDate,
  patientWordings,
  placeholdersOf,
  type WrittenPlan,
  type WrittenPlanItem,
  writtenPlanNurseWarnings,
} from './written-plan.js';

const NAME = 'Asha Khan';
const CONTACT = { name: 'Northtown Fracture Liaison Service', telephone: '0161 496 0000' };
const INFO = (() => {
  const info = ROS_2022_V3.patientInformation;
  if (!info) throw new Error('version 3 has patient information');
  return info;
})();

function written(plan: Plan, now = plan.asOf): WrittenPlan {
  const definition = findPathway(plan.pathwayVersion);
  if (!definition) throw new Error(`no pathway ${plan.pathwayVersion}`);
  const result = buildWrittenPlan({ plan, definition, patientName: NAME, now, contact: CONTACT });
  if (!result.ok) throw new Error(result.message);
  return result.plan;
}

const items = (plan: WrittenPlan) => plan.sections.flatMap((s) => s.items);
const allText = (plan: WrittenPlan) =>
  plan.sections
    .flatMap((s) => [s.heading, ...s.items.flatMap((i) => [i.title ?? '', i.text])])
    .join('\n');
const sectionIds = (plan: WrittenPlan) => plan.sections.map((s) => s.id);
const fromRec = (plan: WrittenPlan, id: string): WrittenPlanItem | undefined =>
  items(plan).find((i) => i.from && 'recommendationId' in i.from && i.from.recommendationId === id);
const patientText = (id: string) =>
  ROS_2022_V3.recommendations.find((r) => r.id === id)?.patient?.text.split('{')[0] as string;

// Fracture on Wednesday 6 January 2027; seen on Friday 8 January, moderate pain the day before.
const moderate = () =>
  scenario({ fractureDate: '2027-01-06' }).pain('2027-01-07T10:00:00Z', 5, 6, 'moderate');
const AS_OF = '2027-01-08T12:00:00Z';

describe('patientDate', () => {
  it('writes a date as a patient reads it, and keeps the ISO date', () => {
    expect(patientDate('2027-04-12')).toEqual({ iso: '2027-04-12', words: 'Monday 12 April 2027' });
    expect(patientDate('2028-02-29').words).toBe('Tuesday 29 February 2028');
    expect(() => patientDate('2027-02-29')).toThrow(/not a calendar date/);
  });
});

describe('the written plan (version 3)', () => {
  const plan = moderate().plan(AS_OF);
  const wp = written(plan);

  it('has the sections a patient needs, in order', () => {
    expect(sectionIds(wp)).toEqual([
      'what-happened',
      'your-dates',
      'pain-relief',
      'moving',
      'bones',
      'get-help',
      'support',
    ]);
    expect(wp.patientName).toBe(NAME);
    expect(wp.pathwayVersion).toBe('ros-2022.3');
    expect(wp.producedOn).toEqual({ iso: '2027-01-08', words: 'Friday 8 January 2027' });
    expect(wp.fractureDate.iso).toBe('2027-01-06');
  });

  it('says what to expect: pain usually improves over about 3 months', () => {
    expect(allText(wp)).toContain('It may take about 3 months or longer.');
  });

  it('gives the day the lifting restriction ends: the day the plan stops advising it', () => {
    const ends = wp.restrictionEnds.iso;
    expect(ends).toBe('2027-03-31'); // 12 weeks after 6 January
    const lifting = fromRec(wp, 'lifting-restriction');
    expect(lifting?.text).toContain('Until Wednesday 31 March 2027, do not lift heavy things');
    expect(lifting?.dates).toEqual([{ role: 'restriction-ends', date: wp.restrictionEnds }]);
    // The plan's own rule: the restriction applies the day before and not on the day.
    const ids = (asOf: string) =>
      moderate()
        .plan(asOf)
        .recommendations.map((r) => r.id);
    expect(ids('2027-03-30T12:00:00Z')).toContain('lifting-restriction');
    expect(ids('2027-03-31T12:00:00Z')).not.toContain('lifting-restriction');
  });

  it('every step date equals the plan’s own window date for that step', () => {
    const stepItems = items(wp).filter((i) => i.from && 'stepKey' in i.from);
    expect(stepItems.length).toBeGreaterThanOrEqual(5);
    for (const item of stepItems) {
      const key = (item.from as { stepKey: string }).stepKey;
      const step = plan.steps.find((s) => s.key === key);
      expect(step?.window, key).toBeDefined();
      for (const { role, date, guideline } of item.dates) {
        expect(['opens', 'due']).toContain(role);
        // A deadline moved off a weekend or bank holiday keeps the plan's own date beside it.
        expect((guideline ?? date).iso, `${key} ${role}`).toBe(
          step?.window?.[role as 'opens' | 'due'],
        );
        expect(item.text).toContain(date.words);
      }
    }
    const exercise = stepItems.find((i) => i.title === 'Your exercise programme');
    expect(exercise?.text).toContain('You can start from Wednesday 3 February 2027');
  });

  it('names no date that is not on the structure, and no date the plan does not have', () => {
    const planDates = new Set([
      ...plan.steps.flatMap((s) => (s.window ? [s.window.opens, s.window.due] : [])),
      ...plan.recommendations.flatMap((r) => r.basedOn.map((b) => b.on)),
      wp.restrictionEnds.iso,
    ]);
    for (const item of items(wp)) {
      const named = [
        ...item.text.matchAll(/(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} \w+ \d{4}/g),
      ];
      expect(named.map((m) => m[0])).toEqual(item.dates.map((d) => d.date.words));
      for (const { date } of item.dates) expect(planDates.has(date.iso), date.iso).toBe(true);
    }
  });

  it('gives pain relief for the current band, with the day of the score', () => {
    expect(wp.painAdvice).toEqual({
      kind: 'band',
      recommendationId: 'analgesia-moderate',
      scoreOn: '2027-01-07',
    });
    const pain = wp.sections.find((s) => s.id === 'pain-relief');
    expect(pain?.items.map((i) => i.text)).toEqual([
      ROS_2022_V3.recommendations.find((r) => r.id === 'analgesia-moderate')?.patient?.text,
      'This advice goes by your pain score on Thursday 7 January 2027.',
    ]);
  });

  it('gives bed rest and bracing advice as the guidance gives it, each with its quote', () => {
    expect(fromRec(wp, 'limit-bed-rest')?.source).toMatchObject({
      kind: 'guidance',
      citation: { document: 'ros2022' },
    });
    expect(fromRec(wp, 'no-routine-bracing')?.text).toContain('Try not to use a back brace.');
  });

  it('gives the red-flag signs, what to do at once, and the Royal Osteoporosis Society', () => {
    const text = allText(wp);
    expect(text).toContain('Call 999 or go to A&E.');
    expect(text).toContain('0808 800 0035');
    expect(text).toContain('nurses@theros.org.uk');
    expect(text).toContain('theros.org.uk');
  });

  it('is the same every time for the same inputs (no clock)', () => {
    expect(written(moderate().plan(AS_OF))).toEqual(wp);
  });
});

describe('pain relief by band', () => {
  const band = (rest: number, activity: number) =>
    written(
      scenario({ fractureDate: '2027-01-06' })
        .pain('2027-01-07T10:00:00Z', rest, activity, 'mild')
        .plan(AS_OF),
    ).painAdvice;

  it('follows the worse of the two scores', () => {
    expect(band(1, 2)).toMatchObject({ kind: 'band', recommendationId: 'analgesia-mild' });
    expect(band(2, 5)).toMatchObject({ kind: 'band', recommendationId: 'analgesia-moderate' });
    expect(band(3, 9)).toMatchObject({ kind: 'band', recommendationId: 'analgesia-severe' });
  });

  it('asks the patient to ask the nurse when no pain score is recorded', () => {
    const wp = written(scenario({ fractureDate: '2027-01-06' }).plan(AS_OF));
    expect(wp.painAdvice).toEqual({ kind: 'no-score' });
    const pain = wp.sections.find((s) => s.id === 'pain-relief');
    expect(pain?.items.map((i) => i.text)).toEqual([
      'We do not have a pain score for you yet. Ask your nurse which pain relief is right for you.',
    ]);
  });

  it('does not repeat old advice from a stale score: it names the score’s day and asks for a new one', () => {
    // A moderate score on day 1 (acute phase: 7-day limit), plan on day 20.
    const plan = moderate().plan('2027-01-26T12:00:00Z');
    const wp = written(plan);
    expect(wp.painAdvice).toEqual({
      kind: 'stale',
      scoreOn: '2027-01-07',
      staleSince: '2027-01-15',
      limitDays: 7,
    });
    const text = allText(wp);
    for (const id of ['analgesia-mild', 'analgesia-moderate', 'analgesia-severe'])
      expect(text).not.toContain(patientText(id));
    expect(text).toContain('Your last pain score was taken on Thursday 7 January 2027.');
    expect(text).toContain('Ask your nurse to check your pain again');
  });
});

describe('the warning to the nurse before producing the plan', () => {
  it('warns that the pain score is out of date, from the first day it is, and says since when', () => {
    // Moderate pain on Thursday 7 January 2027, day 1 (acute phase: a 7-day limit).
    expect(writtenPlanNurseWarnings(written(moderate().plan('2027-01-14T23:30:00Z')))).toEqual([]);
    // 00:30 on Friday 15 January in London is the first day the score is 8 days old.
    const wp = written(moderate().plan('2027-01-15T00:30:00Z'));
    expect(writtenPlanNurseWarnings(wp)).toEqual([
      {
        kind: 'pain-score-stale',
        title: 'The pain score is out of date',
        text: 'The latest pain score, of Thu 7 Jan 2027, has been out of date since Fri 15 Jan 2027 (its limit is 7 days). The written plan will give no pain relief advice from it: it asks the patient to have their pain checked again. Record a pain score first, so the plan gives pain relief advice for the patient’s pain today.',
        scoreOn: '2027-01-07',
        staleSince: '2027-01-15',
      },
    ]);
    // The warning agrees with what the patient is told.
    expect(allText(wp)).toContain('Your last pain score was taken on Thursday 7 January 2027.');
  });

  it('warns that no pain score is recorded', () => {
    const wp = written(scenario({ fractureDate: '2027-01-06' }).plan(AS_OF));
    expect(writtenPlanNurseWarnings(wp).map((w) => [w.kind, w.title])).toEqual([
      ['pain-score-missing', 'No pain score is recorded'],
    ]);
  });

  it('gives no warning with a current score, nor on the red-flag branch (no pain relief section)', () => {
    expect(writtenPlanNurseWarnings(written(moderate().plan(AS_OF)))).toEqual([]);
    const redFlag = scenario({ fractureDate: '2027-01-06', neurologicalDeficit: true }).plan(AS_OF);
    const wp = written(redFlag);
    expect(wp.painAdvice).toEqual({ kind: 'specialist-team' });
    expect(writtenPlanNurseWarnings(wp)).toEqual([]);
  });
});

describe('a deadline on a day the service is closed', () => {
  // The bone scan is due 90 days after the fracture. Each case is read 5 days after the fracture.
  const scan = (fractureDate: string) => {
    const s = scenario({ fractureDate }).pain(
      `${fromEpochDay(toEpochDay(fractureDate) + 3)}T10:00:00Z`,
      5,
      6,
      'moderate',
    );
    const asOf = `${fromEpochDay(toEpochDay(fractureDate) + 5)}T12:00:00Z`;
    const plan = s.plan(asOf);
    const item = items(written(plan)).find((i) => i.title === 'Your bone scan');
    const due = plan.steps.find((st) => st.stepId === 'dxa-scan')?.window?.due;
    return { item, due };
  };

  it.each([
    ['a Sunday', '2026-11-30', '2027-02-28', '2027-02-26', 'Sunday', 'Friday 26 February 2027'],
    ['a Saturday', '2026-11-29', '2027-02-27', '2027-02-26', 'Saturday', 'Friday 26 February 2027'],
    [
      'Christmas Day',
      '2026-09-26',
      '2026-12-25',
      '2026-12-24',
      'Christmas Day',
      'Thursday 24 December 2026',
    ],
    [
      'the Boxing Day substitute',
      '2026-09-29',
      '2026-12-28',
      '2026-12-24',
      'Boxing Day',
      'Thursday 24 December 2026',
    ],
    [
      'New Year’s Day',
      '2026-10-03',
      '2027-01-01',
      '2026-12-31',
      'New Year’s Day',
      'Thursday 31 December 2026',
    ],
  ])(
    'due on %s: tells the patient the working day before, never a later day',
    (_, fractureDate, guideline, shown, why, words) => {
      const { item, due } = scan(fractureDate);
      expect(due).toBe(guideline);
      expect(item?.text).toContain(`You should have a bone scan by ${words}.`);
      expect(item?.dates).toEqual([
        {
          role: 'due',
          date: patientDate(shown),
          guideline: { ...patientDate(guideline), notWorkingBecause: why },
        },
      ]);
    },
  );

  it('on an ordinary working day: the plan’s own date, unchanged', () => {
    const { item, due } = scan('2026-11-26');
    expect(due).toBe('2027-02-24');
    expect(item?.text).toContain('You should have a bone scan by Wednesday 24 February 2027.');
    expect(item?.dates).toEqual([{ role: 'due', date: patientDate('2027-02-24') }]);
  });

  it('uses the service’s bank holidays in the plan’s own time zone, whatever the settings say', () => {
    const plan = scenario({ fractureDate: '2026-09-26' }).plan('2026-10-01T12:00:00Z');
    const definition = findPathway(plan.pathwayVersion);
    if (!definition) throw new Error('no pathway');
    const result = buildWrittenPlan({
      plan,
      definition,
      patientName: NAME,
      now: plan.asOf,
      contact: CONTACT,
      settings: {
        timeZone: 'America/New_York',
        clinicTime: '09:00',
        bankHolidays: 'england-and-wales',
      },
    });
    if (!result.ok) throw new Error(result.message);
    const item = items(result.plan).find((i) => i.title === 'Your bone scan');
    expect(item?.text).toContain('by Thursday 24 December 2026');
  });
});

describe('dates that have passed, and doses', () => {
  it('says so when a step is overdue rather than give a past date as if ahead', () => {
    // DXA due 6 April 2027; the plan on 20 April without a scan.
    const wp = written(moderate().plan('2027-04-20T12:00:00Z'));
    const dxa = items(wp).find((i) => i.title === 'Your bone scan');
    expect(dxa?.text).toContain('by Tuesday 6 April 2027');
    expect(dxa?.text).toContain('This date has passed. Your nurse will be in touch about it.');
  });

  it('gives the next denosumab injection on the plan’s due date', () => {
    const plan = moderate()
      .add('2027-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab' })
      .add('2027-01-20T10:05:00Z', { type: 'bone-therapy-dose', drug: 'denosumab' })
      .plan('2027-01-21T12:00:00Z');
    const step = plan.steps.find((s) => s.stepId === 'denosumab-next-dose' && s.window);
    const wp = written(plan);
    const dose = items(wp).find((i) => i.title === 'Your next denosumab injection');
    expect(step?.window?.due).toBeDefined();
    expect(dose?.dates).toEqual([{ role: 'due', date: patientDate(step?.window?.due as string) }]);
    expect(dose?.text).toContain(
      `Your next injection is due on ${patientDate(step?.window?.due as string).words}.`,
    );
  });
});

describe('a late dose', () => {
  const dosed = () =>
    moderate()
      .add('2027-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab' })
      .add('2027-01-20T10:05:00Z', { type: 'bone-therapy-dose', drug: 'denosumab' });
  const next = dosed()
    .plan('2027-01-21T12:00:00Z')
    .steps.find((s) => s.stepId === 'denosumab-next-dose' && s.status === 'upcoming');
  const due = next?.window?.due as string;
  const lateText = `Your injection is late. It was due on ${patientDate(due).words}. Ring your GP surgery today to book it. Stopping it or putting it off can make it more likely that you break a bone.`;
  const doseItem = (at: string) =>
    items(written(dosed().plan(at), at)).find((i) => i.title === 'Your next denosumab injection');

  it('says plainly that an overdue denosumab injection is late and to ring the GP surgery now', () => {
    expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const at = `${fromEpochDay(toEpochDay(due) + 35)}T12:00:00Z`;
    expect(
      dosed()
        .plan(at)
        .steps.find((s) => s.key === next?.key)?.status,
    ).toBe('overdue');
    const dose = doseItem(at);
    expect(dose?.text).toBe(lateText);
    expect(dose?.text).not.toContain('Your nurse will be in touch');
    expect(dose?.dates).toEqual([{ role: 'due', date: patientDate(due) }]);
    expect(dose?.source.kind).toBe('service-standard');
    if (dose?.source.kind === 'service-standard')
      expect(dose.source.explanation).toContain(QA_DENOSUMAB_STOPPING.quote);
  });

  it('says so from the day after the due day, before the plan marks it overdue', () => {
    const after = `${fromEpochDay(toEpochDay(due) + 1)}T12:00:00Z`;
    expect(
      dosed()
        .plan(after)
        .steps.find((s) => s.key === next?.key)?.status,
    ).toBe('due');
    expect(doseItem(after)?.text).toBe(lateText);
    // On the due day itself it is not late yet.
    expect(doseItem(`${due}T12:00:00Z`)?.text).toContain(
      `Your next injection is due on ${patientDate(due).words}.`,
    );
  });
});

describe('the red-flag branch: nothing that contradicts specialist care', () => {
  const routine = ['what-happened', 'pain-relief', 'moving', 'bones'];
  const routineTexts = [
    ...INFO.movement.general.map((w) => w.text),
    ...INFO.whatHappened.map((w) => w.text),
    ...[
      'analgesia-moderate',
      'limit-bed-rest',
      'no-routine-bracing',
      'lifting-restriction',
      'calcium-vitamin-d',
    ].map(patientText),
  ];

  for (const [finding, options] of [
    ['a neurological deficit', { neurologicalDeficit: true }],
    ['suspected malignancy', { suspectedMalignancy: true }],
    ['multiple-column involvement', { columnInvolvement: 'multiple' }],
  ] as const) {
    it(`with ${finding}: the specialist team's care, no routine advice`, () => {
      const plan = scenario({ fractureDate: '2027-01-06', ...options })
        .pain('2027-01-07T10:00:00Z', 5, 6, 'moderate')
        .plan(AS_OF);
      expect(plan.branch).toBe('red-flag');
      const wp = written(plan);
      expect(wp.painAdvice).toEqual({ kind: 'specialist-team' });
      expect(sectionIds(wp)[0]).toBe('specialist-care');
      for (const id of routine) expect(sectionIds(wp)).not.toContain(id);
      const text = allText(wp);
      for (const routineText of routineTexts) expect(text).not.toContain(routineText);
      expect(text).not.toContain('Your exercise programme');
      expect(text).toContain('A specialist team is looking after your back.');
      expect(text).toContain('Call 999 or go to A&E.');
    });
  }

  it('with multiple-column involvement: strict bed rest as the specialist source gives it', () => {
    const wp = written(
      scenario({ fractureDate: '2027-01-06', columnInvolvement: 'multiple' }).plan(AS_OF),
    );
    expect(fromRec(wp, 'strict-bed-rest-multiple-column')?.text).toContain(
      'Stay in bed until your specialist team says you can get up.',
    );
  });
});

describe('refusals', () => {
  it.each([
    ['ros-2022.1', ROS_2022_V1],
    ['ros-2022.2', ROS_2022_V2],
  ])(
    'refuses an episode under %s, which has no patient wording, saying why',
    (version, definition) => {
      const plan = moderate().plan(AS_OF);
      const old = scenario({ fractureDate: '2027-01-06', pathwayVersion: version }).plan(AS_OF);
      expect(
        buildWrittenPlan({
          plan: old,
          definition,
          patientName: NAME,
          now: AS_OF,
          contact: CONTACT,
        }),
      ).toEqual({
        ok: false,
        reason: 'no-patient-wording',
        message: `No written plan can be produced for this episode: it is planned under pathway ${version}, which has no patient wording (written plans start with pathway version 3, ros-2022.3). Give the patient the service's printed information instead, or move the episode to the current version.`,
      });
      expect(plan.pathwayVersion).toBe('ros-2022.3');
    },
  );

  it('refuses wording of another version than the plan’s', () => {
    const old = scenario({ fractureDate: '2027-01-06', pathwayVersion: 'ros-2022.2' }).plan(AS_OF);
    const result = buildWrittenPlan({
      plan: old,
      definition: ROS_2022_V3,
      patientName: NAME,
      now: AS_OF,
      contact: CONTACT,
    });
    expect(result).toMatchObject({ ok: false, reason: 'version-mismatch' });
  });

  it('refuses a plan computed on another day than today, so dates never drift from today’s plan', () => {
    const plan = moderate().plan(AS_OF);
    const result = buildWrittenPlan({
      plan,
      definition: ROS_2022_V3,
      patientName: NAME,
      now: '2027-01-09T09:00:00Z',
      contact: CONTACT,
    });
    expect(result).toMatchObject({ ok: false, reason: 'plan-not-current' });
    if (!result.ok) expect(result.message).toContain('compute the plan as of now');
    // Later the same service day is fine; the London day, not the UTC day, counts.
    expect(
      buildWrittenPlan({
        plan,
        definition: ROS_2022_V3,
        patientName: NAME,
        now: '2027-01-08T23:30:00Z',
        contact: CONTACT,
      }).ok,
    ).toBe(true);
  });

  it('refuses a closed episode: its plan gives the patient nothing more to do', () => {
    const plan = moderate()
      .add('2027-01-08T09:00:00Z', { type: 'closure', reason: 'transferred' })
      .plan(AS_OF);
    expect(
      buildWrittenPlan({
        plan,
        definition: ROS_2022_V3,
        patientName: NAME,
        now: AS_OF,
        contact: CONTACT,
      }),
    ).toMatchObject({ ok: false, reason: 'episode-closed' });
  });

  it('refuses a missing name', () => {
    const plan = moderate().plan(AS_OF);
    expect(
      buildWrittenPlan({
        plan,
        definition: ROS_2022_V3,
        patientName: '  ',
        now: AS_OF,
        contact: CONTACT,
      }),
    ).toMatchObject({ ok: false, reason: 'no-name' });
  });
});

describe('whom to call', () => {
  const plan = moderate().plan(AS_OF);
  const build = (contact: { name: string; telephone?: string; openingHours?: string }) =>
    buildWrittenPlan({ plan, definition: ROS_2022_V3, patientName: NAME, now: AS_OF, contact });
  const getHelp = (wp: WrittenPlan) =>
    wp.sections.find((s) => s.id === 'get-help')?.items.map((i) => i.text) ?? [];

  it('names the service and its telephone in the get-help section, and keeps it on the plan', () => {
    const wp = written(plan);
    expect(getHelp(wp)).toContain(
      'Your fracture liaison nurse team: Northtown Fracture Liaison Service, telephone 0161 496 0000.',
    );
    expect(wp.contact).toEqual(CONTACT);
  });

  it('gives the opening hours when configured', () => {
    const result = build({ ...CONTACT, openingHours: 'Monday to Friday, 9am to 5pm' });
    if (!result.ok) throw new Error(result.message);
    expect(getHelp(result.plan)).toContain(
      'Your fracture liaison nurse team: Northtown Fracture Liaison Service, telephone 0161 496 0000. Open Monday to Friday, 9am to 5pm.',
    );
  });

  it('says how to get the number when no telephone is configured, rather than nothing', () => {
    const result = build({ name: 'Northtown Fracture Liaison Service', telephone: ' ' });
    if (!result.ok) throw new Error(result.message);
    expect(getHelp(result.plan)).toContain(
      "Your fracture liaison nurse team: Northtown Fracture Liaison Service. Ask at your next appointment for the team's telephone number.",
    );
    expect(result.plan.contact).toEqual({ name: 'Northtown Fracture Liaison Service' });
  });

  it('refuses a contact with no name, saying what to set', () => {
    expect(build({ name: ' ' })).toMatchObject({ ok: false, reason: 'no-contact' });
  });
});

// --- The wording itself ------------------------------------------------------------------------

describe('version 3 patient wording', () => {
  const wordings = patientWordings(ROS_2022_V3);

  it('covers what a patient needs to know', () => {
    const stepIds = ROS_2022_V3.steps.filter((s) => s.patient).map((s) => s.id);
    expect(stepIds).toEqual(
      expect.arrayContaining([
        'exercise-programme-referral',
        'falls-risk-assessment',
        'dxa-scan',
        'bone-therapy-decision',
        'fls-follow-up-16-weeks',
        'fls-adherence-52-weeks',
        'denosumab-next-dose',
      ]),
    );
    const recIds = ROS_2022_V3.recommendations.filter((r) => r.patient).map((r) => r.id);
    expect(recIds).toEqual(
      expect.arrayContaining([
        'analgesia-mild',
        'analgesia-moderate',
        'analgesia-severe',
        'limit-bed-rest',
        'no-routine-bracing',
        'lifting-restriction',
        'calcium-vitamin-d',
      ]),
    );
  });

  it('names only steps and recommendations that exist and have wording', () => {
    const info = INFO;
    const recIds = [
      ...info.painRelief.recommendations,
      ...info.movement.recommendations,
      ...info.bones.recommendations,
      ...info.specialistCare.recommendations,
    ];
    for (const id of recIds)
      expect(ROS_2022_V3.recommendations.find((r) => r.id === id)?.patient, id).toBeDefined();
    for (const id of info.dates.steps)
      expect(ROS_2022_V3.steps.find((s) => s.id === id)?.patient, id).toBeDefined();
  });

  it('uses only known placeholders, and dates only in step wording or where the builder has them', () => {
    for (const w of wordings) expect(() => placeholdersOf(w.text)).not.toThrow();
    expect(() => placeholdersOf('until {tomorrow}')).toThrow(/unknown placeholder \{tomorrow\}/);
  });

  it('gives every service-standard wording its reason', () => {
    for (const w of wordings)
      if ('serviceStandard' in w.source)
        expect(w.source.serviceStandard.length, w.text).toBeGreaterThan(30);
  });

  it.skipIf(!SEED_DOCUMENTS_PRESENT)('quotes every cited source word for word', () => {
    const cited = wordings.flatMap((w) => ('serviceStandard' in w.source ? [] : [w.source]));
    expect(quotesNotInTheirSources(cited)).toEqual([]);
  });

  it('quotes the Royal Osteoporosis Society’s helpline, e-mail and website from the guidance', () => {
    const info = INFO;
    for (const [w, needle] of [
      [info.signposting.helpline, '0808 800 0035'],
      [info.signposting.email, 'nurses@theros.org.uk'],
      [info.signposting.website, 'theros.org.uk'],
    ] as const) {
      expect(w.text).toContain(needle);
      expect('quote' in w.source && w.source.quote).toContain(needle);
    }
  });

  it('versions 1 and 2 have none', () => {
    expect(patientWordings(ROS_2022_V1)).toEqual([]);
    expect(patientWordings(ROS_2022_V2)).toEqual([]);
  });
});
