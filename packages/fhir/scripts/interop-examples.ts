// Writes the worked examples of docs/interop.md between its examples markers (see
// src/testing/interop-examples.ts); everything else in the file is left as written.
//   npx tsx packages/fhir/scripts/interop-examples.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  EXAMPLES_END,
  EXAMPLES_START,
  renderResourceExamples,
} from '../src/testing/interop-examples.js';

const DOC = fileURLToPath(new URL('../../../docs/interop.md', import.meta.url));
const doc = readFileSync(DOC, 'utf8');
const from = doc.indexOf(EXAMPLES_START);
const to = doc.indexOf(EXAMPLES_END);
if (from < 0 || to < from) throw new Error(`${DOC} lacks the examples markers`);
writeFileSync(
  DOC,
  `${doc.slice(0, from + EXAMPLES_START.length)}\n\n${renderResourceExamples()}\n${doc.slice(to)}`,
);
console.log(`wrote the worked examples into ${DOC}`);
