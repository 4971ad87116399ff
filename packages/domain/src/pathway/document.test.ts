import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pathwayDocument } from './document-file.js';
import { CURRENT_PATHWAY_VERSION, findPathway } from './registry.js';

const DOCUMENT = fileURLToPath(new URL('../../../../docs/pathway.md', import.meta.url));

describe('docs/pathway.md', () => {
  it('is what the definition renders (run `npm run docs:pathway` after changing the pathway)', () => {
    expect(readFileSync(DOCUMENT, 'utf8')).toBe(pathwayDocument());
  });

  it('lists every step with its id and every cited source file', () => {
    const text = pathwayDocument();
    const definition = findPathway(CURRENT_PATHWAY_VERSION);
    for (const step of definition?.steps ?? []) {
      expect(text).toContain(`\`${step.id}\``);
      for (const source of step.sources) expect(text).toContain(source.quote.replace(/\|/g, '\\|'));
    }
  });
});
