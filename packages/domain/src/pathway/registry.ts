import type { PathwayDefinition } from './definition.js';
import { ROS_2022_V1 } from './versions/ros-2022.1.js';
import { ROS_2022_V2 } from './versions/ros-2022.2.js';
import { ROS_2022_V3 } from './versions/ros-2022.3.js';

/**
 * Published pathway versions. An episode is planned under the version it was enrolled with, so
 * publishing a version never changes plans made under an older one; moving an episode to a newer
 * version is a deliberate act whose plan diff shows what changed.
 */
export interface PathwayRegistry {
  readonly current: string;
  versions(): string[];
  find(version: string): PathwayDefinition | undefined;
}

export function createPathwayRegistry(
  definitions: readonly PathwayDefinition[],
  current: string,
): PathwayRegistry {
  const byVersion = new Map<string, PathwayDefinition>();
  for (const definition of definitions) {
    if (byVersion.has(definition.version))
      throw new Error(`Pathway version ${definition.version} is defined twice`);
    byVersion.set(definition.version, deepFreeze(definition));
  }
  if (!byVersion.has(current))
    throw new Error(`Current pathway version ${current} is not among the definitions`);
  return {
    current,
    versions: () => [...byVersion.keys()],
    find: (version) => byVersion.get(version),
  };
}

// A published version must never change under the episodes planned with it.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const PUBLISHED_PATHWAYS: PathwayRegistry = createPathwayRegistry(
  [ROS_2022_V1, ROS_2022_V2, ROS_2022_V3],
  ROS_2022_V3.version,
);

export const CURRENT_PATHWAY_VERSION = PUBLISHED_PATHWAYS.current;

export function pathwayVersions(): string[] {
  return PUBLISHED_PATHWAYS.versions();
}

export function findPathway(version: string): PathwayDefinition | undefined {
  return PUBLISHED_PATHWAYS.find(version);
}
