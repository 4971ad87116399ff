import type { PlanRecommendation } from './types.js';

/**
 * The order in which a plan's recommendations need reading: most pressing first. "urgent" is the
 * pathway's word for advice that must be acted on today (a denosumab dose more than 4 weeks late,
 * a red flag), "high" for what the next contact must cover, "routine" for the rest.
 */
export const RECOMMENDATION_PRIORITIES = [
  'urgent',
  'high',
  'routine',
] as const satisfies readonly PlanRecommendation['priority'][];

export type RecommendationPriority = (typeof RECOMMENDATION_PRIORITIES)[number];

/** 0 for urgent, 1 for high, 2 for routine. */
export function recommendationPriorityRank(priority: RecommendationPriority): number {
  const rank = RECOMMENDATION_PRIORITIES.indexOf(priority);
  if (rank < 0) throw new Error(`Unknown recommendation priority "${String(priority)}"`);
  return rank;
}

/** Urgent before high before routine; equal priorities compare as 0 (a stable sort keeps them). */
export function compareRecommendationPriority(
  a: Pick<PlanRecommendation, 'priority'>,
  b: Pick<PlanRecommendation, 'priority'>,
): number {
  return recommendationPriorityRank(a.priority) - recommendationPriorityRank(b.priority);
}

/**
 * The recommendations in priority order. Within a priority they keep the order given, which for a
 * plan is the pathway definition's order, so the list reads the same on every visit. A new array:
 * the plan is not changed.
 */
export function byRecommendationPriority<T extends Pick<PlanRecommendation, 'priority'>>(
  recommendations: readonly T[],
): T[] {
  return recommendations
    .map((rec, index) => ({ rec, index }))
    .sort((a, b) => compareRecommendationPriority(a.rec, b.rec) || a.index - b.index)
    .map(({ rec }) => rec);
}
