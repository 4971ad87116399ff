import { describe, expect, it } from 'vitest';
import { scenario } from '../../testing/scenario.js';
import type { Condition, PathwayDefinition } from '../definition.js';
import { ROS_2022_V1 } from './ros-2022.1.js';
import { ROS_2022_V2 } from './ros-2022.2.js';

const PHASE_LIMITS = [ROS_2022_V1.phases.acuteUntilDay, ROS_2022_V1.phases.subacuteUntilDay];
const DAY_COUNT_FACTS = ['daysSinceFracture', 'daysAfterFracture', 'latestPainDaysAfterFracture'];

/**
 * Every test of days since the fracture against one of the phase limits (42 or 84) in a version's
 * steps and recommendations. Other day limits (calcitonin's 4 weeks) are not phases.
 */
function dayLimitTests(definition: PathwayDefinition): string[] {
  const found: string[] = [];
  const walk = (condition: Condition | undefined) => {
    if (!condition) return;
    if ('all' in condition) condition.all.forEach(walk);
    else if ('any' in condition) condition.any.forEach(walk);
    else if ('not' in condition) walk(condition.not);
    else if (
      DAY_COUNT_FACTS.includes(condition.fact) &&
      [condition.lt, condition.lte, condition.gt, condition.gte].some((limit) =>
        PHASE_LIMITS.includes(limit as number),
      )
    )
      found.push(JSON.stringify(condition));
  };
  for (const step of definition.steps) {
    walk(step.appliesWhen);
    if ('where' in step.trigger) walk(step.trigger.where);
    for (const rule of step.completedBy) walk(rule.where);
  }
  for (const rec of definition.recommendations) walk(rec.when);
  return found;
}

describe('ros-2022.2: phases in one place', () => {
  it('names a phase wherever version 1 wrote a day limit', () => {
    expect(dayLimitTests(ROS_2022_V1).length).toBeGreaterThan(0);
    expect(dayLimitTests(ROS_2022_V2)).toEqual([]);
  });

  // Severe pain recorded on day 84: version 1 opened both the acute severe-pain review
  // ("<= 84") and the persisting-pain referral (">= 84"), while its recommendations and the
  // plan's phase already said chronic. Version 2 says chronic everywhere.
  it('reads day 84 as chronic for steps, recommendations and the plan alike', () => {
    const day84 = '2025-03-31T10:00:00Z'; // fracture 2025-01-06 + 84 days
    const plan = (pathwayVersion: string) =>
      scenario({ pathwayVersion }).pain(day84, 8, 8, 'moderate').plan('2025-03-31T12:00:00Z');
    const v1 = plan(ROS_2022_V1.version);
    const v2 = plan(ROS_2022_V2.version);
    const statusOf = (p: typeof v1, id: string) => p.steps.find((s) => s.stepId === id)?.status;
    expect(v1.phase).toBe('chronic');
    expect(statusOf(v1, 'severe-pain-review')).toBe('open');
    expect(v2.phase).toBe('chronic');
    expect(statusOf(v2, 'severe-pain-review')).toBe('not-applicable');
    expect(statusOf(v2, 'pain-clinic-referral')).not.toBe('not-applicable');
    expect(v2.recommendations.map((r) => r.id)).toContain('persistent-pain-investigation');
    // Day 83 is still within 12 weeks for both.
    const day83 = scenario()
      .pain('2025-03-30T10:00:00Z', 8, 8, 'moderate')
      .plan('2025-03-30T12:00:00Z');
    expect(day83.phase).toBe('subacute');
    expect(statusOf(day83, 'severe-pain-review')).not.toBe('not-applicable');
    expect(statusOf(day83, 'pain-clinic-referral')).toBe('not-applicable');
  });
});
