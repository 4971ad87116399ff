/**
 * Writes docs/fhir/PlanDefinition-<version>.json for every published pathway version.
 * `npm run docs:plan-definitions` (in packages/fhir) runs it; a test fails when a committed file
 * differs from what this would write.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planDefinitionFiles } from '../src/plan-definition/files.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
for (const file of planDefinitionFiles()) {
  const target = `${root}${file.path}`;
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, file.text);
  console.log(`Wrote ${target}`);
}
