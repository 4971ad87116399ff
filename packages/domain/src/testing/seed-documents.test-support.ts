import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SOURCE_DOCUMENTS, type SourceRef } from '../pathway/sources.js';

/**
 * The clinical source documents sit beside the repository (../shared/seeds), not in it. Every
 * developer machine and the fresh-clone check have them; CI's clean clone does not. So each test
 * that finds a quotation in its source runs where the documents exist and is skipped, by name,
 * where they do not: `it.skipIf(!SEED_DOCUMENTS_PRESENT)(…)`. A test that read a document without
 * this guard failed CI with ENOENT (issue 17's GP-letter dose check).
 */
const SEED_DOCUMENTS_DIRECTORY = fileURLToPath(
  new URL('../../../../../shared/seeds/', import.meta.url),
);

export const SEED_DOCUMENTS_PRESENT = existsSync(SEED_DOCUMENTS_DIRECTORY);

/** PDF text breaks lines and uses typographic quotes; compare words, not layout. */
function normalise(text: string): string {
  return text
    .replace(/-\s*\n\s*/g, '-')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const normalisedTexts = new Map<string, string>();

function normalisedText(file: string): string {
  let text = normalisedTexts.get(file);
  if (text === undefined) {
    text = normalise(readFileSync(`${SEED_DOCUMENTS_DIRECTORY}${file}`, 'utf8'));
    normalisedTexts.set(file, text);
  }
  return text;
}

/**
 * The citations whose quotation is not in its document's text, as "file: "quote"" lines, so a
 * failure names each one. Line breaks, typographic quotes and case are ignored; words are not.
 */
export function quotesNotInTheirSources(
  refs: Iterable<Pick<SourceRef, 'document' | 'quote'>>,
): string[] {
  const missing: string[] = [];
  for (const ref of refs) {
    const file = SOURCE_DOCUMENTS[ref.document].file;
    if (!normalisedText(file).includes(normalise(ref.quote)))
      missing.push(`${file}: "${ref.quote}"`);
  }
  return missing;
}
