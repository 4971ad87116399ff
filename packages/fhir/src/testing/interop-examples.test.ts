import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_END, EXAMPLES_START, renderResourceExamples } from './interop-examples.js';

const DOC = fileURLToPath(new URL('../../../../docs/interop.md', import.meta.url));

describe("docs/interop.md's worked examples", () => {
  it('are what the mappings make now (npx tsx packages/fhir/scripts/interop-examples.ts rewrites them)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const shown = doc.slice(
      doc.indexOf(EXAMPLES_START) + EXAMPLES_START.length,
      doc.indexOf(EXAMPLES_END),
    );
    expect(shown.trim()).toBe(renderResourceExamples().trim());
  });
});
