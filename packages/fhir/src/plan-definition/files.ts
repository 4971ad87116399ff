// The committed PlanDefinitions (docs/fhir/PlanDefinition-<version>.json): one per published
// pathway version, written by `npm run docs:plan-definitions` (scripts/generate-plan-definitions.ts)
// and compared with what the generator produces by files.test.ts, as docs/pathway.md is.
import { pathwayVersions } from '@vfx/domain';
import { CANONICAL_BASE } from '../systems.js';
import { planDefinition } from './plan-definition.js';

/**
 * The base the committed files are written with: the service's canonical base, which every
 * CarePlan's instantiatesCanonical names too (a canonical URL identifies the definition; it is
 * not the address of the server that serves it).
 */
export const DOCUMENTED_CANONICAL_BASE = CANONICAL_BASE;

export interface GeneratedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly text: string;
}

/** Pretty-printed JSON, two spaces, keys in the order the generator writes them, final newline. */
export function planDefinitionJson(version: string, canonicalBase: string): string {
  return `${JSON.stringify(planDefinition(version, { canonicalBase }), null, 2)}\n`;
}

export function planDefinitionFiles(): GeneratedFile[] {
  return pathwayVersions().map((version) => ({
    path: `docs/fhir/PlanDefinition-${version}.json`,
    text: planDefinitionJson(version, DOCUMENTED_CANONICAL_BASE),
  }));
}
