import type {
  Condition,
  PathwayDefinition,
  RecommendationDefinition,
  StepDefinition,
} from '../definition.js';
import type { SourceRef } from '../sources.js';
import { ROS_2022_V1 } from './ros-2022.1.js';
import { ROS_48H_RULE, ROS_FLS_AUDIT, ROS_LIFTING_12_WEEKS } from './ros-2022-citations.js';

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

/** What changed from version 1, for the pathway document and the plan diff of a moved episode. */
export const CHANGES: readonly string[] = [
  'Entries made before a window opens: the 48-hour review, the 12-week review and the FLS follow-ups say why an earlier entry does not count, with the source.',
  'Phases in one place: every condition on the time since the fracture names a phase (acute, subacute, chronic) from the version’s phase limits. Version 1 counted day 84 as within 12 weeks for steps but as chronic for recommendations.',
];

export const ROS_2022_V2: PathwayDefinition = {
  ...ROS_2022_V1,
  version: 'ros-2022.2',
  title: 'Vertebral fragility fracture pathway (Royal Osteoporosis Society 2022), version 2',
  publishedOn: '2026-12-06',
  steps: revise(ROS_2022_V1.steps, PHASE_STEP_REVISIONS, EARLY_ENTRY_REVISIONS),
  recommendations: revise(ROS_2022_V1.recommendations, PHASE_RECOMMENDATION_REVISIONS),
};
