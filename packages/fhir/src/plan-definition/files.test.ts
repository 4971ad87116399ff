import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pathwayVersions } from '@vfx/domain';
import { describe, expect, it } from 'vitest';
import { planDefinitionFiles } from './files.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const REGENERATE =
  'run `npm run docs:plan-definitions` in packages/fhir after changing the pathway or the generator';

describe('docs/fhir/PlanDefinition-<version>.json', () => {
  it.each(planDefinitionFiles().map((file) => [file.path, file] as const))(
    `%s is what the generator writes (${REGENERATE})`,
    (path, file) => {
      let committed: string;
      try {
        committed = readFileSync(`${ROOT}${path}`, 'utf8');
      } catch {
        throw new Error(`${path} is missing: ${REGENERATE}`);
      }
      expect(committed, `${path} is stale: ${REGENERATE}`).toBe(file.text);
    },
  );

  it('holds one file per published version and no others', () => {
    const committed = readdirSync(`${ROOT}docs/fhir`).filter((name) =>
      name.startsWith('PlanDefinition-'),
    );
    expect(committed.sort()).toEqual(
      pathwayVersions()
        .map((version) => `PlanDefinition-${version}.json`)
        .sort(),
    );
  });

  it('is pretty-printed with two spaces and ends with one newline', () => {
    for (const file of planDefinitionFiles()) {
      expect(file.text.startsWith('{\n  "resourceType": "PlanDefinition",\n')).toBe(true);
      expect(file.text.endsWith('}\n')).toBe(true);
      expect(file.text.endsWith('\n\n')).toBe(false);
    }
  });
});
