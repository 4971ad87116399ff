import type { PathwayDefinition } from './definition.js';
import { ROS_2022_V1 } from './versions/ros-2022.1.js';

/**
 * Every published pathway version. An episode is planned under the version it was enrolled with;
 * adding a version never changes plans made under an older one. Moving an episode to a newer
 * version is a deliberate act (a new enrolment record) whose plan diff shows what changed.
 */
const VERSIONS: ReadonlyMap<string, PathwayDefinition> = new Map([
  [ROS_2022_V1.version, ROS_2022_V1],
]);

export const CURRENT_PATHWAY_VERSION = ROS_2022_V1.version;

export function pathwayVersions(): string[] {
  return [...VERSIONS.keys()];
}

export function findPathway(version: string): PathwayDefinition | undefined {
  return VERSIONS.get(version);
}
