import type {
  Condition,
  PathwayDefinition,
  PriorTherapyRules,
  RecommendationDefinition,
  StepDefinition,
} from '../definition.js';
import type { SourceRef } from '../sources.js';
import { ROS_2022_V1 } from './ros-2022.1.js';
import {
  FLS_90_DAYS,
  ROS_48H_RULE,
  ROS_FLS_AUDIT,
  ROS_FLS_TREATMENT_TAKEN,
  ROS_FOLLOW_UP_OPTIMISE,
  ROS_FRACTURE_RISK,
  ROS_LABS,
  ROS_LIFTING_12_WEEKS,
  ROS_PAIN_ESCALATE,
  ROS_PSYCHOLOGY,
  ros,
} from './ros-2022-citations.js';

/**
 * Version 2 of the vertebral fragility fracture pathway: version 1 with the changes listed in
 * CHANGES, each with its reason. Version 1 stays published and frozen for the episodes enrolled
 * under it; new episodes are planned under this one. Every change is written here as a revision
 * of a named step or recommendation, so the difference between the versions reads in one file.
 */

type StepRevision = (step: StepDefinition) => StepDefinition;
type RecommendationRevision = (rec: RecommendationDefinition) => RecommendationDefinition;

/**
 * Applies each set of revisions in turn, by id; a revision naming no item of version 1 is a
 * mistake, not a no-op.
 */
function revise<T extends { readonly id: string }>(
  items: readonly T[],
  ...revisionSets: readonly Readonly<Record<string, (item: T) => T>>[]
): T[] {
  return revisionSets.reduce<T[]>(
    (revised, revisions) => {
      const unknown = Object.keys(revisions).filter((id) => !items.some((item) => item.id === id));
      if (unknown.length > 0)
        throw new Error(`ros-2022.2 revises unknown ids: ${unknown.join(', ')}`);
      return revised.map((item) => revisions[item.id]?.(item) ?? item);
    },
    [...items],
  );
}

// --- Phases in one place ----------------------------------------------------------------------
// Version 1 wrote the 42- and 84-day limits as literals, and not consistently: steps read "up to
// and including day 84" as acute or subacute while the recommendations and the plan's phase read
// day 84 as chronic. Here every condition names a phase, read from `phases` below.

const IN_FIRST_12_WEEKS: Condition = { fact: 'phase', in: ['acute', 'subacute'] };
const AFTER_12_WEEKS: Condition = { fact: 'phase', eq: 'chronic' };
const IN_ACUTE_PHASE: Condition = { fact: 'phase', eq: 'acute' };

/** Replaces a test of days since (or after) the fracture with the phase it stands for. */
function phaseInsteadOfDays(condition: Condition): Condition {
  if ('all' in condition) return { all: condition.all.map(phaseInsteadOfDays) };
  if ('any' in condition) return { any: condition.any.map(phaseInsteadOfDays) };
  if ('not' in condition) return { not: phaseInsteadOfDays(condition.not) };
  const byDays: Record<string, string> = {
    daysSinceFracture: 'phase',
    daysAfterFracture: 'phaseAtEvent',
    latestPainDaysAfterFracture: 'latestPainPhase',
  };
  const fact = byDays[condition.fact];
  if (!fact) return condition;
  const { acuteUntilDay, subacuteUntilDay } = ROS_2022_V1.phases;
  const limit = condition.lt ?? condition.lte ?? condition.gte ?? condition.gt;
  const named = (phases: Condition) => ({ ...phases, fact }) as Condition;
  if ((condition.lt ?? condition.lte) === subacuteUntilDay) return named(IN_FIRST_12_WEEKS);
  if ((condition.lt ?? condition.lte) === acuteUntilDay) return named(IN_ACUTE_PHASE);
  if ((condition.gte ?? condition.gt) === subacuteUntilDay) return named(AFTER_12_WEEKS);
  throw new Error(`ros-2022.2: no phase for ${condition.fact} limit ${limit}`);
}

const withPhaseConditions: StepRevision & RecommendationRevision = <
  T extends StepDefinition | RecommendationDefinition,
>(
  item: T,
): T => {
  if ('when' in item) return { ...item, when: phaseInsteadOfDays(item.when) };
  const step = item as StepDefinition;
  const trigger = step.trigger;
  if ((trigger.kind === 'each-event' || trigger.kind === 'first-event') && trigger.where) {
    return { ...item, trigger: { ...trigger, where: phaseInsteadOfDays(trigger.where) } };
  }
  return item;
};

// --- Therapy before the fracture -------------------------------------------------------------
// Version 1 knew only starts recorded since the fracture, so a patient already on bone therapy
// was entered as a new start on the fracture date: counted as a new recommendation, with the
// treatment review measured from the wrong day. Here prior therapy is recorded as it was
// (prior-bone-therapy): reviews and the next dose run from its real start and last dose, and a
// fracture on treatment opens a review of that treatment.

const ROS_FLS_FRACTURE_ON_TREATMENT = ros(
  'Appendix B: Secondary fracture prevention',
  'A new fracture occurring whilst a patient is taking an osteoporosis drug treatment',
);
const ROS_ADHERENCE = ros(
  'Osteoporosis and secondary fracture prevention',
  'They should talk to their doctor about assessing their risk, the treatment options available to them and the importance of adherence to treatment.',
);

const PRIOR_THERAPY: PriorTherapyRules = {
  minimumOnTreatment: { months: 12 },
  basis: {
    kind: 'service-standard',
    explanation:
      'The guidance asks the FLS to identify "a new fracture occurring whilst a patient is taking an osteoporosis drug treatment" but gives no minimum time on treatment. This service counts a fracture as on treatment once the drug had been taken for 12 months by the date of fracture, so that a fracture soon after a start (when the drug has had little time to act) is not read as a fracture despite treatment; the clinical lead may change it. Adherence is checked at the follow-up contacts either way.',
    source: ROS_FLS_FRACTURE_ON_TREATMENT,
  },
};

const FRACTURE_ON_TREATMENT_REVIEW: StepDefinition = {
  id: 'fracture-on-treatment-review',
  title: 'Fracture on treatment: review the bone therapy',
  why: 'The fracture happened while the patient was taking bone therapy: the fracture liaison service checks that it is taken as prescribed and absorbed, looks again for causes, and decides whether to change it.',
  category: 'secondary-prevention',
  sources: [ROS_FLS_FRACTURE_ON_TREATMENT, ROS_FLS_TREATMENT_TAKEN, ROS_ADHERENCE, ROS_LABS],
  branch: 'all',
  appliesOnlyWhen:
    'the fracture happened after the patient had been taking bone therapy for at least 12 months',
  appliesWhen: { fact: 'fractureOnTreatment', eq: true },
  waitingFor:
    'bone therapy taken before the fracture, for at least the minimum time on treatment, to be recorded',
  trigger: { kind: 'episode', anchor: 'fracture-date' },
  window: {
    granularity: 'day',
    opens: {},
    due: { days: 90 },
    overdueAfter: { days: 90 },
    timing: FLS_90_DAYS,
  },
  completedBy: [{ event: 'treatment-review', from: 'episode' }],
  urgency: 'routine',
  action:
    'Review the treatment with the patient: doses missed? For an oral bisphosphonate, taken as the leaflet directs (fasting, with plain water, staying upright) so it is absorbed? Check the laboratory screen for secondary causes, then decide to continue, change or stop it; record a treatment review (and any stop or new start as their own entries).',
};

/**
 * For a patient already on therapy, the recommendation is a decision about that therapy: a
 * treatment review (continue, change or stop) completes it. Being on therapy alone does not: the
 * guidance asks that treatment be optimised and taken appropriately, which someone must check.
 */
const withTreatmentReview: StepRevision = (step) => ({
  ...step,
  sources: [...step.sources, ROS_FOLLOW_UP_OPTIMISE],
  completedBy: [...step.completedBy, { event: 'treatment-review', from: 'episode' }],
  action: `${step.action} For a patient already taking bone therapy, record a treatment review (continue, change or stop) instead of a start.`,
});

const PRIOR_THERAPY_STEP_REVISIONS: Record<string, StepRevision> = {
  'bone-therapy-decision': withTreatmentReview,
};

const PHASE_STEP_REVISIONS: Record<string, StepRevision> = {
  'severe-pain-review': withPhaseConditions,
  'physiotherapy-referral-acute': withPhaseConditions,
  'pain-clinic-referral': withPhaseConditions,
};

const PHASE_RECOMMENDATION_REVISIONS: Record<string, RecommendationRevision> = {
  'pain-expectation-education': withPhaseConditions,
  'limit-bed-rest': withPhaseConditions,
  'no-routine-bracing': withPhaseConditions,
  'lifting-restriction': withPhaseConditions,
  'resume-activity-progressive-training': withPhaseConditions,
  'persistent-pain-investigation': withPhaseConditions,
  'centrally-acting-therapies': withPhaseConditions,
};

// --- Entries made before a window opens -------------------------------------------------------
// Version 1 already counted these entries only from the window's opening; the page did not say
// why, so a nurse recording the 48-hour review early saw it stay upcoming without a word. Each
// reason below comes from what the step is for.

/** The first completion rule of a step, with the reason an early entry does not count. */
const earlyEntryReason =
  (text: string, source?: SourceRef): StepRevision =>
  (step) => ({
    ...step,
    completedBy: step.completedBy.map((rule) =>
      rule.from === 'opens' ? { ...rule, early: source ? { text, source } : { text } } : rule,
    ),
  });

const EARLY_ENTRY_REVISIONS: Record<string, StepRevision> = {
  'pain-review-48h': earlyEntryReason(
    'A pain assessment made before 48 hours after admission does not complete this review: the guidance asks whether pain is still unremitting after 48 hours, which an earlier score cannot show. An earlier assessment is kept, and it updates the pain band and the analgesia advice.',
    ROS_48H_RULE,
  ),
  'twelve-week-review': earlyEntryReason(
    'An assessment or contact before the 12-week point does not complete this review: it reviews pain and function once the 12 weeks of healing and of the lifting restriction are over.',
    ROS_LIFTING_12_WEEKS,
  ),
  'fls-follow-up-16-weeks': earlyEntryReason(
    'A contact before 12 weeks after the fracture does not count: the FLS audit standard is a monitoring contact 12 to 16 weeks after the fracture, when treatment should have started.',
    ROS_FLS_AUDIT,
  ),
  'fls-adherence-52-weeks': earlyEntryReason(
    'A contact before week 48 does not count: adherence is checked at one year (FLS audit standard).',
    ROS_FLS_AUDIT,
  ),
};

// --- Stale inputs ------------------------------------------------------------------------------
// Version 1 gave advice from the latest pain score, psychological screen and follow-up contact
// however old they were, and did not say how old (issue 12, hazard 3: analgesia for moderate pain
// from a score 219 days old). Here each recorded value has a limit; the plan states every value's
// date, and a value older than its limit gives a request to assess again instead of its advice.
// The guidance writes no such interval, so each limit is a service standard, explained.

const STALENESS: NonNullable<PathwayDefinition['staleness']> = {
  'pain-assessment': {
    days: { acute: 7, subacute: 14, chronic: 28 },
    basis: {
      kind: 'service-standard',
      explanation:
        'The analgesia table applies to the patient’s current pain, and in the acute phase pain is most intense and treatment is escalated quickly on the response; the guidance gives no interval after which a score stops being current. This service acts on a pain score for 7 days when it was recorded in the acute phase (weeks 0-6), 14 days in the subacute phase (weeks 6-12) and 28 days after that, and asks for a new assessment before acting on an older one.',
      source: ROS_PAIN_ESCALATE,
    },
    reassess: 'Reassess pain',
    action:
      'Ask for the pain scores at rest and on activity again and record a pain assessment; the analgesia and pain advice then follows from the new scores.',
  },
  'psychological-screen': {
    days: 84,
    basis: {
      kind: 'service-standard',
      explanation:
        'The guidance asks for anxiety, low mood, pain catastrophising and fear-related beliefs to be assessed because they influence whether symptoms persist, but gives no interval for screening again. They change as recovery goes on; this service acts on a screen for 12 weeks (the acute and subacute phases together) and screens again before acting on an older one.',
      source: ROS_PSYCHOLOGY,
    },
    reassess: 'Screen again for psychological factors',
    action:
      'Ask again about anxiety, low mood, pain catastrophising and fear of falling or movement, and record a psychological screen; the support advice then follows from the new screen.',
  },
  'follow-up-contact': {
    days: 84,
    basis: {
      kind: 'service-standard',
      explanation:
        'A follow-up contact finds whether treatment has been started and taken and whether the falls referral was actioned; the guidance gives no interval after which such a finding stops holding. The FLS-DB contacts are 36 weeks apart (16 and 52 weeks), so this service acts on a finding for 12 weeks and contacts the patient again before acting on an older one.',
      source: ROS_FLS_TREATMENT_TAKEN,
    },
    reassess: 'Contact the patient again',
    action:
      'Check again whether bone therapy has been started and is taken as prescribed and whether the falls referral was actioned, and record a follow-up contact.',
  },
  'fracture-risk-assessment': {
    days: null,
    basis: {
      kind: 'service-standard',
      explanation:
        'No limit: the guidance asks for one fracture risk assessment (FRAX or QFracture) in secondary prevention and gives no interval for repeating it, and the advice that reads it (do not wait for DXA) applies only while the DXA scan and the bone-therapy decision are still to be done. The plan still states the assessment’s date.',
      source: ROS_FRACTURE_RISK,
    },
    reassess: 'Assess fracture risk again',
    action: 'Repeat the fracture risk assessment (FRAX or QFracture) and record it.',
  },
};

/** What changed from version 1, for the pathway document and the plan diff of a moved episode. */
export const CHANGES: readonly string[] = [
  'Entries made before a window opens: the 48-hour review, the 12-week review and the FLS follow-ups say why an earlier entry does not count, with the source.',
  'Phases in one place: every condition on the time since the fracture names a phase (acute, subacute, chronic) from the version’s phase limits. Version 1 counted day 84 as within 12 weeks for steps but as chronic for recommendations.',
  'Therapy before the fracture: bone therapy the patient was taking is recorded as prior therapy with its real dates, so treatment reviews run from the real start and the next denosumab or zoledronic acid dose from the real last dose. A fracture after at least 12 months on a drug (service standard) opens a fracture-on-treatment review; a treatment review completes the bone therapy recommendation for a patient already on therapy. Version 1 refuses prior therapy.',
  'Stale inputs: advice read from the latest pain assessment, psychological screen or follow-up contact states that entry’s date, and an entry older than its limit (pain 7/14/28 days by phase when recorded; screen and follow-up 12 weeks; service standards) gives a request to assess again instead of its advice. Version 1 repeated advice from entries of any age without their dates.',
];

export const ROS_2022_V2: PathwayDefinition = {
  ...ROS_2022_V1,
  version: 'ros-2022.2',
  title: 'Vertebral fragility fracture pathway (Royal Osteoporosis Society 2022), version 2',
  publishedOn: '2026-12-06',
  steps: [
    ...revise(
      ROS_2022_V1.steps,
      PHASE_STEP_REVISIONS,
      EARLY_ENTRY_REVISIONS,
      PRIOR_THERAPY_STEP_REVISIONS,
    ),
    FRACTURE_ON_TREATMENT_REVIEW,
  ],
  recommendations: revise(ROS_2022_V1.recommendations, PHASE_RECOMMENDATION_REVISIONS),
  priorTherapy: PRIOR_THERAPY,
  staleness: STALENESS,
};
