import type {
  Condition,
  PathwayDefinition,
  RecommendationDefinition,
  StepDefinition,
} from '../definition.js';
import { ROS_2022_V1 } from './ros-2022.1.js';

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

/** What changed from version 1, for the pathway document and the plan diff of a moved episode. */
export const CHANGES: readonly string[] = [
  'Phases in one place: every condition on the time since the fracture names a phase (acute, subacute, chronic) from the version’s phase limits. Version 1 counted day 84 as within 12 weeks for steps but as chronic for recommendations.',
];

export const ROS_2022_V2: PathwayDefinition = {
  ...ROS_2022_V1,
  version: 'ros-2022.2',
  title: 'Vertebral fragility fracture pathway (Royal Osteoporosis Society 2022), version 2',
  publishedOn: '2026-12-06',
  steps: revise(ROS_2022_V1.steps, STEP_REVISIONS),
  recommendations: revise(ROS_2022_V1.recommendations, RECOMMENDATION_REVISIONS),
};
