import { describe, expect, it } from 'vitest';
import { type Scenario, scenario } from '../testing/scenario.js';
import { computePlan } from './compute-plan.js';
import { diffPlans } from './diff.js';
import type { Plan, PlanStep, StepStatus } from './types.js';

/**
 * Patients drawn from the guidance. Dates are worked out by hand in the comments, so a change in
 * calendar arithmetic shows up as a clinical difference, not a silent one. 2025-01-06 is a Monday.
 */

function step(plan: Plan, key: string): PlanStep {
  const found = plan.steps.find((s) => s.key === key);
  if (!found)
    throw new Error(`no step ${key} in plan; have ${plan.steps.map((s) => s.key).join(', ')}`);
  return found;
}
const status = (plan: Plan, key: string): StepStatus => step(plan, key).status;
const recommended = (plan: Plan) => plan.recommendations.map((r) => r.id);
const recommendation = (plan: Plan, id: string) => {
  const found = plan.recommendations.find((r) => r.id === id);
  if (!found) throw new Error(`no recommendation ${id}; have ${recommended(plan).join(', ')}`);
  return found;
};

interface Case {
  readonly name: string;
  readonly build: () => Scenario;
  readonly asOf: string;
  readonly steps?: Readonly<Record<string, StepStatus>>;
  readonly recommends?: readonly string[];
  readonly doesNotRecommend?: readonly string[];
  readonly check?: (plan: Plan) => void;
}

const CONSERVATIVE_STEPS = ['exercise-programme-referral', 'twelve-week-review'];

const cases: Case[] = [
  // --- Pain bands and analgesia (ROS table: NRS <=3, 4-6, >6, at rest or on activity) ----------
  {
    name: '1. community, mild pain on day 3: paracetamol-based analgesia, no escalation review',
    build: () => scenario().pain('2025-01-09T10:00:00Z', 2, 3, 'mild'),
    asOf: '2025-01-09T12:00:00Z',
    steps: {
      'holistic-assessment': 'completed',
      'severe-pain-review': 'not-applicable',
      'exercise-programme-referral': 'upcoming',
    },
    recommends: [
      'analgesia-mild',
      'pain-expectation-education',
      'limit-bed-rest',
      'lifting-restriction',
    ],
    doesNotRecommend: ['analgesia-moderate', 'analgesia-severe', 'calcitonin-acute-phase'],
    check: (plan) => {
      expect(plan.phase).toBe('acute');
      expect(plan.daysSinceFracture).toBe(3);
      const cautions = recommendation(plan, 'analgesia-mild')
        .cautions.map((c) => c.text)
        .join(' ');
      expect(cautions).toMatch(/laxative/);
      expect(cautions).toMatch(/PPI/);
      expect(cautions).toMatch(/Tramadol is not a first-line/);
      expect(cautions).toMatch(/Muscle relaxants are not for mild pain/);
    },
  },
  {
    name: '2. community, moderate pain on day 5: moderate band, calcitonin shown as contested',
    build: () => scenario().pain('2025-01-11T10:00:00Z', 4, 6, 'moderate'),
    asOf: '2025-01-11T12:00:00Z',
    recommends: ['analgesia-moderate', 'calcitonin-acute-phase'],
    doesNotRecommend: ['analgesia-mild', 'analgesia-severe'],
    check: (plan) => {
      const calcitonin = recommendation(plan, 'calcitonin-acute-phase');
      expect(calcitonin.contested).toBe(true);
      expect(calcitonin.conflicts.map((c) => c.source.file)).toEqual([
        '004_530e6981250197c6.txt',
        '001_8b927ae1016afbc2.txt',
        '000_d0a9342d23c958d2.txt',
      ]);
    },
  },
  {
    name: '3. community, severe pain on day 2: opioid band and a review within 2 days',
    build: () => scenario().pain('2025-01-08T10:00:00Z', 7, 9, 'moderate', { id: 'pain1' }),
    asOf: '2025-01-08T12:00:00Z',
    steps: { 'severe-pain-review~pain1': 'open' },
    recommends: ['analgesia-severe', 'calcitonin-acute-phase'],
    check: (plan) => {
      const review = step(plan, 'severe-pain-review~pain1');
      expect(review.window?.due).toBe('2025-01-10');
      expect(review.window?.transitions.due).toBe('2025-01-10T00:00:00.000Z');
      expect(review.window?.reminders.due).toBe('2025-01-10T09:00:00.000Z');
      expect(recommendation(plan, 'analgesia-severe').reason).toMatch(/severe/);
    },
  },
  {
    name: '4. pain severe only on activity (rest 2, activity 8) counts as severe',
    build: () => scenario().pain('2025-01-08T10:00:00Z', 2, 8, 'moderate'),
    asOf: '2025-01-08T12:00:00Z',
    recommends: ['analgesia-severe'],
    doesNotRecommend: ['analgesia-mild'],
  },
  {
    name: '5. severe pain reviewed and improved: the review is completed by the next assessment',
    build: () =>
      scenario()
        .pain('2025-01-08T10:00:00Z', 8, 9, 'moderate', { id: 'pain1' })
        .pain('2025-01-10T10:00:00Z', 3, 5, 'mild', { id: 'pain2' }),
    asOf: '2025-01-10T12:00:00Z',
    steps: { 'severe-pain-review~pain1': 'completed' },
    recommends: ['analgesia-moderate'],
    check: (plan) =>
      expect(step(plan, 'severe-pain-review~pain1').completion?.eventId).toBe('pain2'),
  },
  {
    name: '6. severe pain after 12 weeks does not start acute escalation reviews',
    build: () => scenario().pain('2025-04-07T10:00:00Z', 8, 8, 'moderate'),
    asOf: '2025-04-07T12:00:00Z',
    steps: { 'severe-pain-review': 'not-applicable' },
    recommends: ['analgesia-severe', 'centrally-acting-therapies', 'persistent-pain-investigation'],
    doesNotRecommend: ['calcitonin-acute-phase'],
  },

  // --- Acute physiotherapy, occupational therapy -----------------------------------------------
  {
    name: '7. severe pain and unable to mobilise in the acute phase: physiotherapy referral due',
    build: () => scenario().pain('2025-01-16T10:00:00Z', 8, 9, 'severe', { mobility: 'unable' }),
    asOf: '2025-01-16T12:00:00Z',
    steps: { 'physiotherapy-referral-acute': 'due', 'occupational-therapy-referral': 'due' },
  },
  {
    name: '8. the physiotherapy referral recorded completes the step',
    build: () =>
      scenario()
        .pain('2025-01-16T10:00:00Z', 8, 9, 'severe', { mobility: 'unable' })
        .referral('2025-01-16T11:00:00Z', 'physiotherapy'),
    asOf: '2025-01-16T12:00:00Z',
    steps: { 'physiotherapy-referral-acute': 'completed' },
  },
  {
    name: '9. unable to mobilise only after the acute phase (day 50): no acute physiotherapy step',
    build: () => scenario().pain('2025-02-25T10:00:00Z', 8, 9, 'moderate', { mobility: 'unable' }),
    asOf: '2025-02-25T12:00:00Z',
    steps: { 'physiotherapy-referral-acute': 'not-applicable' },
    check: (plan) => {
      expect(plan.phase).toBe('subacute');
      expect(step(plan, 'physiotherapy-referral-acute').reason).toMatch(/Waiting for/);
    },
  },
  {
    name: '10. difficulty with self-care alone triggers occupational therapy',
    build: () =>
      scenario().pain('2025-01-20T10:00:00Z', 3, 3, 'mild', { selfCareDifficulty: true }),
    asOf: '2025-01-20T12:00:00Z',
    steps: { 'occupational-therapy-referral': 'due' },
    check: (plan) =>
      expect(step(plan, 'occupational-therapy-referral').window?.overdueFrom).toBe('2025-02-04'),
  },

  // --- 48-hour rule and vertebral augmentation ----------------------------------------------------
  {
    name: '11. admitted: the 48-hour pain review is exactly 48 hours after admission',
    build: () => scenario({ admittedAt: '2025-01-06T10:30:00Z' }),
    asOf: '2025-01-07T10:00:00Z',
    steps: { 'pain-review-48h': 'upcoming' },
    check: (plan) => {
      const review = step(plan, 'pain-review-48h');
      expect(review.window?.transitions).toEqual({
        open: '2025-01-08T10:30:00.000Z',
        due: '2025-01-08T10:30:00.000Z',
        overdue: '2025-01-09T10:30:00.000Z',
      });
    },
  },
  {
    name: '12. admitted, unremitting severe pain at 48h, severe limitation despite analgesia, MRI oedema: consider augmentation (sources disagree)',
    build: () =>
      scenario({ admittedAt: '2025-01-06T10:00:00Z', mriOedema: 'present' }).pain(
        '2025-01-08T11:00:00Z',
        8,
        10,
        'severe',
        {
          onAnalgesia: true,
          mobility: 'unable',
        },
      ),
    asOf: '2025-01-08T12:00:00Z',
    steps: { 'pain-review-48h': 'completed', 'vertebral-augmentation-mdt': 'due' },
    recommends: ['vertebral-augmentation-evidence'],
    check: (plan) => {
      const va = recommendation(plan, 'vertebral-augmentation-evidence');
      expect(va.contested).toBe(true);
      const positions = va.conflicts.map((c) => c.position).join(' ');
      expect(positions).toMatch(/NICE TA279/);
      expect(positions).toMatch(/SIGN/);
      expect(positions).toMatch(/AAOS/);
      expect(positions).toMatch(/3 months/);
    },
  },
  {
    name: '13. same but MRI shows no oedema: augmentation does not apply',
    build: () =>
      scenario({ admittedAt: '2025-01-06T10:00:00Z', mriOedema: 'absent' }).pain(
        '2025-01-08T11:00:00Z',
        8,
        10,
        'severe',
        {
          onAnalgesia: true,
        },
      ),
    asOf: '2025-01-08T12:00:00Z',
    steps: { 'vertebral-augmentation-mdt': 'not-applicable' },
    doesNotRecommend: ['vertebral-augmentation-evidence'],
    check: (plan) =>
      expect(step(plan, 'vertebral-augmentation-mdt').reason).toMatch(
        /^Applies only when the patient was admitted to hospital and MRI shows vertebral body oedema\.$/,
      ),
  },
  {
    name: '14. same but analgesia not yet started: not "in spite of initiation of therapy"',
    build: () =>
      scenario({ admittedAt: '2025-01-06T10:00:00Z', mriOedema: 'present' }).pain(
        '2025-01-08T11:00:00Z',
        8,
        10,
        'severe',
        {
          onAnalgesia: false,
        },
      ),
    asOf: '2025-01-08T12:00:00Z',
    steps: { 'vertebral-augmentation-mdt': 'not-applicable' },
  },
  {
    name: '15. severe pain before 48 hours has not yet met the rule',
    build: () =>
      scenario({ admittedAt: '2025-01-06T10:00:00Z', mriOedema: 'present' }).pain(
        '2025-01-07T11:00:00Z',
        9,
        10,
        'severe',
        {
          onAnalgesia: true,
        },
      ),
    asOf: '2025-01-07T12:00:00Z',
    steps: { 'vertebral-augmentation-mdt': 'not-applicable', 'pain-review-48h': 'upcoming' },
  },
  {
    name: '16. MRI oedema reported after the 48-hour review: augmentation becomes due',
    build: () =>
      scenario({ admittedAt: '2025-01-06T10:00:00Z', mriOedema: 'not-imaged' })
        .pain('2025-01-08T11:00:00Z', 8, 10, 'severe', { onAnalgesia: true })
        .add('2025-01-09T09:00:00Z', { type: 'clinical-findings', mriOedema: 'present' }),
    asOf: '2025-01-09T10:00:00Z',
    steps: { 'vertebral-augmentation-mdt': 'due' },
  },
  {
    name: '17. community patient meeting the pain criteria: the 48-hour rule is for admitted patients',
    build: () =>
      scenario({ mriOedema: 'present' }).pain('2025-01-09T11:00:00Z', 8, 10, 'severe', {
        onAnalgesia: true,
      }),
    asOf: '2025-01-09T12:00:00Z',
    steps: { 'vertebral-augmentation-mdt': 'not-applicable', 'pain-review-48h': 'not-applicable' },
  },

  // --- Red flags ------------------------------------------------------------------------------------
  {
    name: '18. neurological deficit: immediate spinal surgical referral, urgent, off the conservative pathway',
    build: () => scenario({ neurologicalDeficit: true, enrolledAt: '2025-01-06T14:00:00Z' }),
    asOf: '2025-01-06T14:05:00Z',
    steps: {
      'red-flag-neurological-deficit': 'due',
      'exercise-programme-referral': 'not-applicable',
      'twelve-week-review': 'not-applicable',
      'fracture-risk-assessment': 'open',
    },
    recommends: ['red-flag-specialist-care'],
    check: (plan) => {
      expect(plan.branch).toBe('red-flag');
      expect(plan.redFlags).toEqual(['neurological deficit']);
      const flag = step(plan, 'red-flag-neurological-deficit');
      expect(flag.urgent).toBe(true);
      expect(flag.window?.transitions.overdue).toBe('2025-01-06T18:00:00.000Z');
      for (const key of CONSERVATIVE_STEPS)
        expect(step(plan, key).reason).toMatch(/red flag \(neurological deficit\)/);
      expect(
        plan.timers
          .filter((t) => t.stepKey === 'red-flag-neurological-deficit')
          .every((t) => t.urgent),
      ).toBe(true);
    },
  },
  {
    name: '19. neurological deficit not actioned in 4 hours: overdue and urgent',
    build: () => scenario({ neurologicalDeficit: true, enrolledAt: '2025-01-06T14:00:00Z' }),
    asOf: '2025-01-06T18:00:00Z',
    steps: { 'red-flag-neurological-deficit': 'overdue' },
  },
  {
    name: '20. suspected malignancy: MRI with contrast and oncology pathway, completed by recording it',
    build: () =>
      scenario({ suspectedMalignancy: true }).completeStep(
        '2025-01-06T15:00:00Z',
        'red-flag-suspected-malignancy',
      ),
    asOf: '2025-01-06T16:00:00Z',
    steps: {
      'red-flag-suspected-malignancy': 'completed',
      'exercise-programme-referral': 'not-applicable',
    },
    check: (plan) =>
      expect(step(plan, 'red-flag-suspected-malignancy').completion?.outcome).toBe('done'),
  },
  {
    name: '21. multiple-column involvement: strict bed rest and surgical opinion; the sources on bed rest disagree',
    build: () =>
      scenario({ columnInvolvement: 'multiple' }).referral(
        '2025-01-06T15:00:00Z',
        'spinal-surgery',
      ),
    asOf: '2025-01-06T16:00:00Z',
    steps: { 'red-flag-multiple-column': 'completed' },
    recommends: ['strict-bed-rest-multiple-column', 'red-flag-specialist-care'],
    doesNotRecommend: ['limit-bed-rest'],
    check: (plan) => {
      const files = recommendation(plan, 'strict-bed-rest-multiple-column').conflicts.map(
        (c) => c.source.file,
      );
      expect(files).toEqual(['000_d0a9342d23c958d2.txt', '004_530e6981250197c6.txt']);
    },
  },
  {
    name: '22. a neurological deficit found on day 20 moves the patient off the conservative pathway from then',
    build: () =>
      scenario().add('2025-01-26T10:00:00Z', {
        type: 'clinical-findings',
        neurologicalDeficit: true,
      }),
    asOf: '2025-01-26T11:00:00Z',
    steps: {
      'red-flag-neurological-deficit': 'due',
      'exercise-programme-referral': 'not-applicable',
    },
    check: (plan) =>
      expect(step(plan, 'red-flag-neurological-deficit').window?.due).toBe(
        '2025-01-26T10:00:00.000Z',
      ),
  },
  {
    name: '23. malignancy excluded later: the red flag step no longer applies and routine care resumes',
    build: () =>
      scenario({ suspectedMalignancy: true }).add('2025-01-10T10:00:00Z', {
        type: 'clinical-findings',
        suspectedMalignancy: false,
      }),
    asOf: '2025-01-10T11:00:00Z',
    steps: {
      'red-flag-suspected-malignancy': 'not-applicable',
      'exercise-programme-referral': 'upcoming',
    },
    check: (plan) => expect(plan.branch).toBe('conservative'),
  },

  // --- Rehabilitation -----------------------------------------------------------------------------
  {
    name: '24. exercise programme: opens at 4 weeks, due by 12 weeks, overdue the day after',
    build: () => scenario(),
    asOf: '2025-04-01T09:00:00Z',
    steps: { 'exercise-programme-referral': 'overdue' },
    check: (plan) => {
      const w = step(plan, 'exercise-programme-referral').window;
      expect([w?.opens, w?.due, w?.overdueFrom]).toEqual([
        '2025-02-03',
        '2025-03-31',
        '2025-04-01',
      ]);
      // 31 March 2025 is in British Summer Time: 09:00 local is 08:00 UTC.
      expect(w?.reminders.due).toBe('2025-03-31T08:00:00.000Z');
    },
  },
  {
    name: '25. referred at 2 weeks once acute pain had settled: completed early, as the guidance allows',
    build: () =>
      scenario()
        .pain('2025-01-17T10:00:00Z', 2, 3, 'mild')
        .referral('2025-01-20T10:00:00Z', 'individualised-exercise-programme'),
    asOf: '2025-01-20T12:00:00Z',
    steps: { 'exercise-programme-referral': 'completed' },
    check: (plan) =>
      expect(step(plan, 'exercise-programme-referral').notes.join(' ')).toMatch(
        /acute pain settled/,
      ),
  },
  {
    name: '26. referred at 2 weeks while pain was still severe: completed, with the early referral questioned',
    build: () =>
      scenario()
        .pain('2025-01-17T10:00:00Z', 8, 9, 'moderate')
        .referral('2025-01-20T10:00:00Z', 'individualised-exercise-programme'),
    asOf: '2025-01-20T12:00:00Z',
    steps: { 'exercise-programme-referral': 'completed' },
    check: (plan) =>
      expect(step(plan, 'exercise-programme-referral').notes.join(' ')).toMatch(
        /had not been recorded as settled/,
      ),
  },
  {
    name: '27. 12-week review with persisting moderate pain: imaging, pain clinic; lifting restriction over',
    build: () => scenario().pain('2025-04-02T10:00:00Z', 5, 6, 'moderate'),
    asOf: '2025-04-02T12:00:00Z',
    steps: { 'twelve-week-review': 'completed', 'pain-clinic-referral': 'due' },
    recommends: [
      'persistent-pain-investigation',
      'resume-activity-progressive-training',
      'analgesia-moderate',
    ],
    doesNotRecommend: [
      'lifting-restriction',
      'centrally-acting-therapies',
      'calcitonin-acute-phase',
    ],
    check: (plan) => expect(plan.phase).toBe('chronic'),
  },
  {
    name: '28. 12-week review with little pain: no pain clinic',
    build: () => scenario().pain('2025-04-02T10:00:00Z', 1, 2, 'none'),
    asOf: '2025-04-02T12:00:00Z',
    steps: { 'twelve-week-review': 'completed', 'pain-clinic-referral': 'not-applicable' },
    doesNotRecommend: ['persistent-pain-investigation'],
  },

  // --- Holistic assessment ----------------------------------------------------------------------
  {
    name: '29. psychological screen positive for anxiety, catastrophising and fear of falling',
    build: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'psychological-screen',
        anxietyOrLowMood: true,
        painCatastrophising: true,
        fearOfFalling: true,
      }),
    asOf: '2025-01-20T12:00:00Z',
    steps: { 'psychological-screen': 'completed' },
    recommends: [
      'anxiety-low-mood-support',
      'pain-catastrophising-support',
      'fear-of-falling-support',
    ],
  },
  {
    name: '30. aged 74 with two falls last year: falls service referral due',
    build: () =>
      scenario({ dateOfBirth: '1950-05-17' }).add('2025-01-20T10:00:00Z', {
        type: 'falls-risk-assessment',
        fallsInLastYear: 2,
        presentedWithFall: false,
        gaitOrBalanceDifficulty: false,
        result: 'at-risk',
      }),
    asOf: '2025-01-20T12:00:00Z',
    steps: { 'falls-risk-assessment': 'completed', 'falls-service-referral': 'due' },
    check: (plan) =>
      expect(step(plan, 'falls-risk-assessment').notes).toContain(
        'Aged 65 or over: falls risk assessment is part of the FLS standard (Appendix B) as well as the key practice points.',
      ),
  },
  {
    name: '31. aged 58, not at risk and no falls: assessed (key practice points: all patients), no referral',
    build: () =>
      scenario({ dateOfBirth: '1966-09-01' }).add('2025-01-20T10:00:00Z', {
        type: 'falls-risk-assessment',
        fallsInLastYear: 0,
        presentedWithFall: false,
        gaitOrBalanceDifficulty: false,
        result: 'not-at-risk',
      }),
    asOf: '2025-01-20T12:00:00Z',
    steps: { 'falls-risk-assessment': 'completed', 'falls-service-referral': 'not-applicable' },
    check: (plan) =>
      expect(step(plan, 'falls-risk-assessment').notes.join(' ')).toMatch(
        /Under 65: the FLS standard .* so it applies here too/,
      ),
  },

  // --- Secondary fracture prevention ------------------------------------------------------------
  {
    name: '32. FLS assessment: FRAX, DXA, laboratory screen and therapy decision due within 90 days',
    build: () => scenario(),
    asOf: '2025-04-07T09:00:00Z',
    steps: {
      'fracture-risk-assessment': 'overdue',
      'dxa-scan': 'overdue',
      'laboratory-screen': 'overdue',
      'bone-therapy-decision': 'overdue',
    },
    check: (plan) => {
      // 2025-01-06 + 90 days = Sunday 2025-04-06: reminded on Friday 4 April, overdue Monday 7 April.
      const w = step(plan, 'dxa-scan').window;
      expect(w?.due).toBe('2025-04-06');
      expect(w?.transitions.overdue).toBe('2025-04-06T23:00:00.000Z');
      expect(w?.reminders.due).toBe('2025-04-04T08:00:00.000Z');
      expect(w?.reminders.overdue).toBe('2025-04-07T08:00:00.000Z');
      expect(w?.timing.kind).toBe('service-standard');
      expect(step(plan, 'dxa-scan').kpi).toBe('DXA within 90 days');
    },
  },
  {
    name: '33. very high fracture risk: do not wait for DXA to start therapy',
    build: () =>
      scenario().add('2025-01-20T10:00:00Z', {
        type: 'fracture-risk-assessment',
        tool: 'FRAX',
        majorOsteoporoticFractureRisk: 32,
        hipFractureRisk: 9.5,
        category: 'very-high',
      }),
    asOf: '2025-01-20T12:00:00Z',
    recommends: ['do-not-delay-therapy-for-dxa'],
  },
  {
    name: '34. very high risk and therapy already started: the DXA warning goes',
    build: () =>
      scenario()
        .add('2025-01-20T10:00:00Z', {
          type: 'fracture-risk-assessment',
          tool: 'QFracture',
          majorOsteoporoticFractureRisk: 30,
          category: 'very-high',
        })
        .add('2025-01-21T10:00:00Z', { type: 'bone-therapy-started', drug: 'alendronic-acid' }),
    asOf: '2025-01-21T12:00:00Z',
    steps: { 'bone-therapy-decision': 'completed', 'fls-adherence-52-weeks': 'upcoming' },
    doesNotRecommend: ['do-not-delay-therapy-for-dxa'],
  },
  {
    name: '35. FLS follow-up: a contact before 12 weeks does not count, one at 13 weeks does',
    build: () =>
      scenario()
        .add('2025-03-10T10:00:00Z', { type: 'follow-up-contact', mode: 'telephone' })
        .add('2025-04-07T10:00:00Z', {
          type: 'follow-up-contact',
          mode: 'telephone',
          treatmentStatus: 'started',
          fallsReferralActioned: 'yes',
          id: 'contact13w',
        }),
    asOf: '2025-04-07T12:00:00Z',
    steps: { 'fls-follow-up-16-weeks': 'completed' },
    check: (plan) =>
      expect(step(plan, 'fls-follow-up-16-weeks').completion?.eventId).toBe('contact13w'),
  },

  {
    name: '35b. 16-week contact: treatment not started and falls referral not actioned are followed up',
    build: () =>
      scenario().add('2025-04-07T10:00:00Z', {
        type: 'follow-up-contact',
        mode: 'telephone',
        treatmentStatus: 'not-started',
        fallsReferralActioned: 'no',
      }),
    asOf: '2025-04-07T12:00:00Z',
    steps: { 'fls-follow-up-16-weeks': 'completed' },
    recommends: ['treatment-not-started-at-follow-up', 'falls-referral-not-actioned'],
    doesNotRecommend: ['not-taking-as-prescribed'],
  },
  {
    name: '35c. 52-week contact: not taking bone therapy as prescribed',
    build: () =>
      scenario()
        .add('2025-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'alendronic-acid' })
        .add('2025-12-15T10:00:00Z', {
          type: 'follow-up-contact',
          mode: 'face-to-face',
          treatmentStatus: 'started',
          takingAsPrescribed: false,
        }),
    asOf: '2025-12-15T12:00:00Z',
    steps: { 'fls-adherence-52-weeks': 'completed' },
    recommends: ['not-taking-as-prescribed'],
    doesNotRecommend: ['treatment-not-started-at-follow-up'],
  },

  // --- Bone therapy maintenance -----------------------------------------------------------------
  {
    name: '36. denosumab on time: dose 2 given, dose 3 due 6 months later (a Sunday, so reminded Monday)',
    build: () =>
      scenario()
        .add('2025-02-03T10:00:00Z', {
          type: 'bone-therapy-started',
          drug: 'denosumab',
          id: 'dmab',
        })
        .add('2025-08-01T10:00:00Z', { type: 'bone-therapy-dose', drug: 'denosumab' }),
    asOf: '2025-08-01T12:00:00Z',
    steps: { 'denosumab-next-dose~dmab~2': 'completed', 'denosumab-next-dose~dmab~3': 'upcoming' },
    doesNotRecommend: ['denosumab-dose-late'],
    check: (plan) => {
      const next = step(plan, 'denosumab-next-dose~dmab~3').window;
      expect(next?.due).toBe('2026-02-01');
      // The window opens and is due on Sunday 1 February; a reminder never comes before the window
      // opens, so it lands on Monday 2 February, 09:00 GMT.
      expect(next?.transitions.due).toBe('2026-02-01T00:00:00.000Z');
      expect(next?.reminders.due).toBe('2026-02-02T09:00:00.000Z');
    },
  },
  {
    name: '37. denosumab more than 4 weeks late: overdue, urgent, and an urgent recommendation',
    build: () =>
      scenario().add('2025-02-03T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'denosumab',
        id: 'dmab',
      }),
    asOf: '2025-09-02T10:00:00Z',
    steps: { 'denosumab-next-dose~dmab~2': 'overdue' },
    recommends: ['denosumab-dose-late'],
    check: (plan) => {
      const late = step(plan, 'denosumab-next-dose~dmab~2');
      expect(late.urgent).toBe(true);
      // Due 2025-08-03 (Sunday); overdue after 6 months 4 weeks = 2025-08-31, so from Monday 1 September.
      expect(late.window?.overdueFrom).toBe('2025-09-01');
      expect(recommendation(plan, 'denosumab-dose-late').priority).toBe('urgent');
      const timers = plan.timers.filter((t) => t.stepKey === late.key);
      expect(timers.find((t) => t.transition === 'overdue')?.urgent).toBe(true);
      expect(timers.find((t) => t.transition === 'due')?.urgent).toBe(false);
    },
  },
  {
    name: '38. denosumab 2 weeks late: due, not yet urgent',
    build: () =>
      scenario().add('2025-02-03T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'denosumab',
        id: 'dmab',
      }),
    asOf: '2025-08-18T10:00:00Z',
    steps: { 'denosumab-next-dose~dmab~2': 'due' },
    doesNotRecommend: ['denosumab-dose-late'],
    check: (plan) => expect(step(plan, 'denosumab-next-dose~dmab~2').urgent).toBe(false),
  },
  {
    name: '39. denosumab stopped: the dose step is cancelled and the risk of stopping is shown',
    build: () =>
      scenario()
        .add('2025-02-03T10:00:00Z', {
          type: 'bone-therapy-started',
          drug: 'denosumab',
          id: 'dmab',
        })
        .add('2025-05-01T10:00:00Z', {
          type: 'bone-therapy-stopped',
          drug: 'denosumab',
          reason: 'patient choice',
        }),
    asOf: '2025-05-01T12:00:00Z',
    steps: { 'denosumab-next-dose~dmab~2': 'cancelled' },
    recommends: ['denosumab-stopped'],
  },
  {
    name: '40. zoledronic acid: yearly infusion and a 3-year treatment review',
    build: () =>
      scenario().add('2025-03-03T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'zoledronic-acid',
        id: 'zol',
      }),
    asOf: '2025-03-03T12:00:00Z',
    steps: {
      'zoledronic-acid-next-dose~zol~2': 'upcoming',
      'intravenous-bisphosphonate-review~zol': 'upcoming',
    },
    check: (plan) => {
      expect(step(plan, 'zoledronic-acid-next-dose~zol~2').window?.due).toBe('2026-03-03');
      expect(step(plan, 'intravenous-bisphosphonate-review~zol').window?.due).toBe('2028-03-03');
    },
  },
  {
    name: '41. alendronic acid: 5-year review and the 52-week adherence check',
    build: () =>
      scenario().add('2025-02-10T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'alendronic-acid',
        id: 'aln',
      }),
    asOf: '2025-02-10T12:00:00Z',
    steps: { 'oral-bisphosphonate-review~aln': 'upcoming', 'fls-adherence-52-weeks': 'upcoming' },
    check: (plan) => {
      expect(step(plan, 'oral-bisphosphonate-review~aln').window?.due).toBe('2030-02-10');
      expect(step(plan, 'fls-adherence-52-weeks').window?.due).toBe('2026-01-05');
    },
  },
  {
    name: '42. teriparatide: follow-on antiresorptive due at 24 months, opening a month before',
    build: () =>
      scenario().add('2025-02-10T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'teriparatide',
        id: 'teri',
      }),
    asOf: '2027-01-15T12:00:00Z',
    steps: { 'teriparatide-follow-on~teri': 'open' },
    recommends: ['follow-on-antiresorptive'],
    check: (plan) =>
      expect(step(plan, 'teriparatide-follow-on~teri').window?.due).toBe('2027-02-10'),
  },
  {
    name: '43. teriparatide stopped at 10 months: the follow-on is due now, not at 24 months',
    build: () =>
      scenario()
        .add('2025-02-10T10:00:00Z', {
          type: 'bone-therapy-started',
          drug: 'teriparatide',
          id: 'teri',
        })
        .add('2025-12-10T10:00:00Z', { type: 'bone-therapy-stopped', drug: 'teriparatide' }),
    asOf: '2025-12-10T12:00:00Z',
    steps: { 'teriparatide-follow-on~teri': 'due' },
    check: (plan) =>
      expect(step(plan, 'teriparatide-follow-on~teri').window?.due).toBe('2025-12-10'),
  },
  {
    name: '44. romosozumab followed by denosumab: follow-on done, denosumab schedule starts',
    build: () =>
      scenario()
        .add('2025-02-10T10:00:00Z', {
          type: 'bone-therapy-started',
          drug: 'romosozumab',
          id: 'romo',
        })
        .add('2026-02-09T10:00:00Z', { type: 'bone-therapy-stopped', drug: 'romosozumab' })
        .add('2026-02-10T10:00:00Z', {
          type: 'bone-therapy-started',
          drug: 'denosumab',
          id: 'dmab',
        }),
    asOf: '2026-02-10T12:00:00Z',
    steps: { 'romosozumab-follow-on~romo': 'completed', 'denosumab-next-dose~dmab~2': 'upcoming' },
  },

  // --- Time: clock changes and bank holidays ---------------------------------------------------------
  {
    name: '45. admitted over the spring clock change: 48 hours is elapsed time; day reminders stay at 09:00 local',
    build: () => scenario({ fractureDate: '2025-03-29', admittedAt: '2025-03-29T10:00:00Z' }),
    asOf: '2025-03-29T11:00:00Z',
    check: (plan) => {
      // Clocks go forward at 01:00 UTC on Sunday 30 March 2025.
      expect(step(plan, 'pain-review-48h').window?.transitions.due).toBe(
        '2025-03-31T10:00:00.000Z',
      );
      // Enrolled on a Saturday: the "at once" advice step is due that Saturday and, by the
      // service standard, overdue from Monday; no working day comes before that, so there is no
      // due reminder and the overdue reminder on Monday at 09:00 BST is the first, as it says.
      const advice = step(plan, 'self-management-advice');
      expect(advice.status).toBe('due');
      expect(advice.window?.reminders).toEqual({ overdue: '2025-03-31T08:00:00.000Z' });
      expect(advice.reason).toContain('the escalation goes out on Mon 31 Mar 2025 at 09:00');
      // Psychological screen due 6 weeks later, 10 May 2025 (Saturday) -> Friday 9 May, 09:00 BST.
      expect(step(plan, 'psychological-screen').window?.reminders.due).toBe(
        '2025-05-09T08:00:00.000Z',
      );
    },
  },
  {
    name: '46. admitted over the autumn clock change: 48 hours is still elapsed time',
    build: () => scenario({ fractureDate: '2025-10-24', admittedAt: '2025-10-25T12:00:00Z' }),
    asOf: '2025-10-25T13:00:00Z',
    check: (plan) => {
      expect(step(plan, 'pain-review-48h').window?.transitions.due).toBe(
        '2025-10-27T12:00:00.000Z',
      );
      // 12 weeks from 24 October 2025 is 16 January 2026 (GMT): 09:00 local is 09:00 UTC.
      expect(step(plan, 'exercise-programme-referral').window?.reminders.due).toBe(
        '2026-01-16T09:00:00.000Z',
      );
    },
  },
  {
    name: '47. a deadline on Good Friday is reminded on the Thursday; overdue waits until after Easter Monday',
    build: () => scenario({ fractureDate: '2025-01-24' }),
    asOf: '2025-01-24T15:00:00Z',
    check: (plan) => {
      const w = step(plan, 'exercise-programme-referral').window;
      expect(w?.due).toBe('2025-04-18');
      // Due on Good Friday (from its start), overdue from Saturday: the due reminder goes out on
      // the Thursday, the overdue one on the Tuesday after Easter Monday.
      expect(w?.transitions.due).toBe('2025-04-17T23:00:00.000Z');
      expect(w?.reminders.due).toBe('2025-04-17T08:00:00.000Z');
      expect(w?.transitions.overdue).toBe('2025-04-18T23:00:00.000Z');
      expect(w?.reminders.overdue).toBe('2025-04-22T08:00:00.000Z');
      expect(w?.adjustments).toEqual([
        'Reminder brought back to Thu 17 Apr 2025: due Fri 18 Apr 2025 (Good Friday, a bank holiday) and the next working day is not before the step is overdue from Sat 19 Apr 2025',
        'Escalation on Tue 22 Apr 2025: overdue from Sat 19 Apr 2025 (a Saturday)',
      ]);
      // The 12-week review opens and is due on Good Friday: due from then, reminded on Tuesday.
      const review = step(plan, 'twelve-week-review').window;
      expect(review?.transitions.open).toBe('2025-04-17T23:00:00.000Z');
      expect(review?.transitions.due).toBe('2025-04-17T23:00:00.000Z');
      expect(review?.reminders.due).toBe('2025-04-22T08:00:00.000Z');
      // Overdue from Saturday 3 May; Monday 5 May is the Early May bank holiday.
      expect(review?.reminders.overdue).toBe('2025-05-06T08:00:00.000Z');
    },
  },

  // --- Corrections, time travel and closure ---------------------------------------------------------
  {
    name: '48. a severe pain score corrected to mild: the escalation review disappears',
    build: () =>
      scenario()
        .pain('2025-01-08T10:00:00Z', 8, 9, 'moderate', { id: 'pain1' })
        .pain('2025-01-08T10:00:00Z', 2, 3, 'mild', { id: 'pain1fix', supersedes: 'pain1' }),
    asOf: '2025-01-08T12:00:00Z',
    steps: { 'severe-pain-review': 'not-applicable' },
    recommends: ['analgesia-mild'],
    doesNotRecommend: ['analgesia-severe'],
  },
  {
    name: '49. a referral entered in error is withdrawn: the step is open again',
    build: () =>
      scenario()
        .add('2025-02-10T10:00:00Z', {
          type: 'referral',
          referralType: 'individualised-exercise-programme',
          id: 'ref',
        })
        .add('2025-02-10T11:00:00Z', {
          type: 'retraction',
          supersedes: 'ref',
          note: 'wrong patient',
        }),
    asOf: '2025-02-10T12:00:00Z',
    steps: { 'exercise-programme-referral': 'open' },
  },
  {
    name: '50. death closes the episode: every pending step cancelled, no reminders, no recommendations',
    build: () =>
      scenario()
        .pain('2025-01-08T10:00:00Z', 2, 2, 'mild')
        .add('2025-02-01T10:00:00Z', { type: 'closure', reason: 'died' }),
    asOf: '2025-02-01T12:00:00Z',
    steps: {
      'holistic-assessment': 'completed',
      'exercise-programme-referral': 'cancelled',
      'dxa-scan': 'cancelled',
    },
    check: (plan) => {
      expect(plan.timers).toEqual([]);
      expect(plan.recommendations).toEqual([]);
      expect(plan.closure).toEqual({ reason: 'died', at: '2025-02-01T10:00:00.000Z' });
      expect(step(plan, 'dxa-scan').reason).toMatch(/closed \(died\)/);
    },
  },
  {
    name: '51. incidental finding 5 months after the fracture: the FLS assessment is already overdue',
    build: () =>
      scenario({
        fractureDate: '2025-01-06',
        identifiedOn: '2025-06-09',
        identification: 'incidental-imaging',
      }),
    asOf: '2025-06-09T15:00:00Z',
    steps: { 'fracture-risk-assessment': 'overdue', 'holistic-assessment': 'due' },
    check: (plan) => expect(plan.phase).toBe('chronic'),
  },
];

describe('clinical scenarios', () => {
  it('has at least 30 patients', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const c of cases) {
    it(c.name, () => {
      const plan = c.build().plan(c.asOf);
      for (const [key, expected] of Object.entries(c.steps ?? {})) {
        expect(status(plan, key), key).toBe(expected);
      }
      for (const id of c.recommends ?? []) expect(recommended(plan), id).toContain(id);
      for (const id of c.doesNotRecommend ?? []) expect(recommended(plan), id).not.toContain(id);
      c.check?.(plan);
      // Every step a person can act on says why it has its status.
      for (const s of plan.steps) expect(s.reason.length, s.key).toBeGreaterThan(10);
    });
  }
});

describe('plan changes between entries', () => {
  it('correcting a severe pain score cancels the escalation review timers and says why', () => {
    const before = scenario().pain('2025-01-08T10:00:00Z', 8, 9, 'moderate', { id: 'pain1' });
    const planBefore = before.plan('2025-01-08T11:00:00Z');
    const after = scenario()
      .pain('2025-01-08T10:00:00Z', 8, 9, 'moderate', { id: 'pain1' })
      .pain('2025-01-08T10:00:00Z', 2, 3, 'mild', {
        id: 'pain1fix',
        supersedes: 'pain1',
        recordedAt: '2025-01-08T11:30:00Z',
      });
    const diff = diffPlans(planBefore, after.plan('2025-01-08T12:00:00Z'));
    const cancels = diff.commands.filter((c) => c.kind === 'cancel');
    expect(cancels.map((c) => `${c.stepKey}/${c.transition}`)).toEqual([
      'severe-pain-review~pain1/due-day',
      'severe-pain-review~pain1/due',
      'severe-pain-review~pain1/open',
      'severe-pain-review~pain1/overdue-day',
      'severe-pain-review~pain1/overdue',
    ]);
    expect(diff.commands.some((c) => c.kind !== 'cancel')).toBe(false);
    expect(diff.changes.find((c) => c.stepKey === 'severe-pain-review~pain1')?.kind).toBe(
      'removed',
    );
  });

  it('a plan seen before an entry was recorded does not know it (time travel)', () => {
    const s = scenario().pain('2025-01-08T10:00:00Z', 8, 9, 'moderate', {
      recordedAt: '2025-01-09T10:00:00Z',
    });
    const record = s.record('2025-01-10T00:00:00Z');
    expect(record.events).toHaveLength(1);
    const early = s.plan('2025-01-10T00:00:00Z');
    expect(recommended(early)).toContain('analgesia-severe');
    // Same record planned as of the 8th: the assessment had not been entered yet.
    const asOfEighth = computePlan({ ...record, asOf: '2025-01-08T12:00:00Z' });
    expect(recommended(asOfEighth)).not.toContain('analgesia-severe');
    expect(asOfEighth.steps.find((st) => st.key === 'holistic-assessment')?.status).not.toBe(
      'completed',
    );
  });

  it('denosumab given: the due dose completes and the next dose is scheduled, nothing is rescheduled', () => {
    const base = () =>
      scenario().add('2025-02-03T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'denosumab',
        id: 'dmab',
      });
    const before = base().plan('2025-08-01T09:30:00Z');
    const after = base()
      .add('2025-08-01T10:00:00Z', { type: 'bone-therapy-dose', drug: 'denosumab' })
      .plan('2025-08-01T12:00:00Z');
    const { commands } = diffPlans(before, after);
    expect(
      commands.filter((c) => c.stepKey === 'denosumab-next-dose~dmab~2').map((c) => c.kind),
    ).toEqual(['cancel', 'cancel', 'cancel', 'cancel']);
    expect(
      commands.filter((c) => c.stepKey === 'denosumab-next-dose~dmab~3').map((c) => c.kind),
    ).toEqual(['schedule', 'schedule', 'schedule', 'schedule']);
    expect(commands.some((c) => c.kind === 'reschedule')).toBe(false);
  });
});
