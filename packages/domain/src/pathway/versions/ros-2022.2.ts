import type {
  Condition,
  PathwayDefinition,
  RecommendationDefinition,
  StepDefinition,
} from '../definition.js';
import { ROS_2022_V1 } from './ros-2022.1.js';
import {
  ROS_FLS_TREATMENT_TAKEN,
  ROS_FRACTURE_RISK,
  ROS_PAIN_ESCALATE,
  ROS_PSYCHOLOGY,
} from './ros-2022-citations.js';

/**
 * Version 2 of the vertebral fragility fracture pathway: version 1 with the changes listed in
 * CHANGES, each with its reason. Version 1 stays published and frozen for the episodes enrolled
 * under it; new episodes are planned under this one. Every change is written here as a revision
 * of a named step or recommendation, so the difference between the versions reads in one file.
 */

type StepRevision = (step: StepDefinition) => StepDefinition;
type RecommendationRevision = (rec: RecommendationDefinition) => RecommendationDefinition;

/** Applies revisions by id; a revision naming no step of version 1 is a mistake, not a no-op. */
function revise<T extends { readonly id: string }>(
  items: readonly T[],
  revisions: Readonly<Record<string, (item: T) => T>>,
): T[] {
  const unknown = Object.keys(revisions).filter((id) => !items.some((item) => item.id === id));
  if (unknown.length > 0) throw new Error(`ros-2022.2 revises unknown ids: ${unknown.join(', ')}`);
  return items.map((item) => revisions[item.id]?.(item) ?? item);
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

const STEP_REVISIONS: Record<string, StepRevision> = {
  'severe-pain-review': withPhaseConditions,
  'physiotherapy-referral-acute': withPhaseConditions,
  'pain-clinic-referral': withPhaseConditions,
};

const RECOMMENDATION_REVISIONS: Record<string, RecommendationRevision> = {
  'pain-expectation-education': withPhaseConditions,
  'limit-bed-rest': withPhaseConditions,
  'no-routine-bracing': withPhaseConditions,
  'lifting-restriction': withPhaseConditions,
  'resume-activity-progressive-training': withPhaseConditions,
  'persistent-pain-investigation': withPhaseConditions,
  'centrally-acting-therapies': withPhaseConditions,
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
  'Phases in one place: every condition on the time since the fracture names a phase (acute, subacute, chronic) from the version’s phase limits. Version 1 counted day 84 as within 12 weeks for steps but as chronic for recommendations.',
  'Stale inputs: advice read from the latest pain assessment, psychological screen or follow-up contact states that entry’s date, and an entry older than its limit (pain 7/14/28 days by phase when recorded; screen and follow-up 12 weeks; service standards) gives a request to assess again instead of its advice. Version 1 repeated advice from entries of any age without their dates.',
];

export const ROS_2022_V2: PathwayDefinition = {
  ...ROS_2022_V1,
  version: 'ros-2022.2',
  title: 'Vertebral fragility fracture pathway (Royal Osteoporosis Society 2022), version 2',
  publishedOn: '2026-12-06',
  steps: revise(ROS_2022_V1.steps, STEP_REVISIONS),
  recommendations: revise(ROS_2022_V1.recommendations, RECOMMENDATION_REVISIONS),
  staleness: STALENESS,
};
