import { describe, expect, it } from 'vitest';
import { diffPlans } from '../plan/diff.js';
import { scenario } from '../testing/scenario.js';
import type { PathwayDefinition } from './definition.js';
import { createPathwayRegistry, findPathway, PUBLISHED_PATHWAYS } from './registry.js';
import { ROS_2022_V1 } from './versions/ros-2022.1.js';

// A hypothetical later version that opens the exercise programme at 6 weeks instead of 4.
const V2: PathwayDefinition = {
  ...ROS_2022_V1,
  version: 'ros-2022.2-test',
  steps: ROS_2022_V1.steps.map((step) =>
    step.id === 'exercise-programme-referral' && step.window.granularity === 'day'
      ? { ...step, window: { ...step.window, opens: { weeks: 6 } } }
      : step,
  ),
};
const registry = createPathwayRegistry([ROS_2022_V1, V2], V2.version);

describe('pathway versions', () => {
  it('are frozen once published, so nobody can edit a version in place', () => {
    const published = findPathway(ROS_2022_V1.version) as PathwayDefinition;
    expect(Object.isFrozen(published)).toBe(true);
    expect(Object.isFrozen(published.steps[0]?.window)).toBe(true);
    expect(() => {
      (published.steps as StepArray).push(published.steps[0] as never);
    }).toThrow(TypeError);
  });

  it('publishing a new version does not change a plan made under the old one', () => {
    const v1 = { pathwayVersion: ROS_2022_V1.version };
    const underPublished = scenario(v1).plan('2025-01-07T12:00:00Z');
    const underRegistryWithV2 = scenario({ ...v1, pathways: registry }).plan(
      '2025-01-07T12:00:00Z',
    );
    expect(underRegistryWithV2).toEqual(underPublished);
    expect(underRegistryWithV2.pathwayVersion).toBe('ros-2022.1');
  });

  it('an episode enrolled under the new version gets its windows, and the diff says the version changed', () => {
    const v1 = scenario({ pathways: registry, pathwayVersion: ROS_2022_V1.version }).plan(
      '2025-01-07T12:00:00Z',
    );
    const v2 = scenario({ pathways: registry, pathwayVersion: V2.version }).plan(
      '2025-01-07T12:00:00Z',
    );
    const opens = (plan: typeof v1) =>
      plan.steps.find((s) => s.stepId === 'exercise-programme-referral')?.window?.opens;
    expect(opens(v1)).toBe('2025-02-03');
    expect(opens(v2)).toBe('2025-02-17');
    const { changes, commands } = diffPlans(v1, v2);
    expect(changes[0]).toMatchObject({
      kind: 'pathway-version',
      before: 'ros-2022.1',
      after: 'ros-2022.2-test',
    });
    expect(commands.map((c) => `${c.kind} ${c.stepKey} ${c.transition}`)).toEqual([
      'reschedule exercise-programme-referral open',
    ]);
  });

  it('rejects an episode naming a version that does not exist, listing the known ones', () => {
    expect(() => scenario({ pathwayVersion: 'ros-1999.1' }).plan('2025-01-07T12:00:00Z')).toThrow(
      /episode.pathwayVersion names an unknown pathway version "ros-1999.1" \(known: ros-2022.1, ros-2022.2, ros-2022.3\)/,
    );
  });

  it('refuses a registry with a duplicate version or a missing current version', () => {
    expect(() => createPathwayRegistry([ROS_2022_V1, ROS_2022_V1], ROS_2022_V1.version)).toThrow(
      /defined twice/,
    );
    expect(() => createPathwayRegistry([ROS_2022_V1], 'nope')).toThrow(/not among/);
    expect(PUBLISHED_PATHWAYS.versions()).toEqual(['ros-2022.1', 'ros-2022.2', 'ros-2022.3']);
    expect(PUBLISHED_PATHWAYS.current).toBe('ros-2022.3');
  });
});

type StepArray = PathwayDefinition['steps'][number][];
