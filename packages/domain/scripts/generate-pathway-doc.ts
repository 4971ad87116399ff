/**
 * Writes docs/pathway.md from the pathway definition. `npm run docs:pathway` runs it; a test
 * fails when the committed document differs from what this would write.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pathwayDocument } from '../src/pathway/document-file.js';

const target = fileURLToPath(new URL('../../../docs/pathway.md', import.meta.url));
await writeFile(target, pathwayDocument());
console.log(`Wrote ${target}`);
