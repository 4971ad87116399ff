import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pathwayDocument } from './document-file.js';
import { CURRENT_PATHWAY_VERSION, findPathway } from './registry.js';
import { stepEntries } from './step-entries.js';

const DOCUMENT = fileURLToPath(new URL('../../../../docs/pathway.md', import.meta.url));

describe('docs/pathway.md', () => {
  it('is what the definition renders (run `npm run docs:pathway` after changing the pathway)', () => {
    expect(readFileSync(DOCUMENT, 'utf8')).toBe(pathwayDocument());
  });

  it('shows, for every step, what satisfies it: its entries, the generic entry, early entries', () => {
    const text = pathwayDocument();
    const definition = findPathway(CURRENT_PATHWAY_VERSION);
    for (const step of definition?.steps ?? []) {
      const row = text.split('\n').find((line) => line.includes(`\`${step.id}\``)) ?? '';
      const entries = stepEntries(step);
      for (const offer of entries.offers) expect(row).toContain(`\`${offer.event}\``);
      expect(row).toContain(entries.generic ? '`step-completed` as' : '`step-completed`: refused');
      if (entries.early) expect(row).toContain('*Early entries:*');
    }
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
