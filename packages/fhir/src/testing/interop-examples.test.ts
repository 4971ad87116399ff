import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_END, EXAMPLES_START, renderResourceExamples } from './interop-examples.js';

const DOC = fileURLToPath(new URL('../../../../docs/interop.md', import.meta.url));

/** Each example's heading and its JSON, parsed: the formatter may lay the JSON out its own way. */
function examplesIn(markdown: string) {
  return [...markdown.matchAll(/^### (.+)\n[\s\S]*?```json\n([\s\S]*?)\n```/gm)].map((match) => ({
    title: match[1],
    resource: JSON.parse(match[2] ?? 'null') as unknown,
  }));
}

describe("docs/interop.md's worked examples", () => {
  it('are what the mappings make now (npx tsx packages/fhir/scripts/interop-examples.ts rewrites them)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const shown = doc.slice(
      doc.indexOf(EXAMPLES_START) + EXAMPLES_START.length,
      doc.indexOf(EXAMPLES_END),
    );
    const made = examplesIn(renderResourceExamples());
    expect(made.length).toBeGreaterThanOrEqual(10);
    expect(examplesIn(shown)).toEqual(made);
    // Loading both validators' definitions takes seconds on a busy machine.
  }, 60_000);
});
