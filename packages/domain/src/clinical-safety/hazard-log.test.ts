import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The hazard log (docs/clinical-safety/hazard-log.md) names, for each control, the automated test
// that proves it: a test file in backticks followed by the test's name in double quotes. A control
// whose test is renamed or deleted no longer has its evidence, so this fails until the log is
// brought up to date with the test that now proves the control.

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const LOG = join(ROOT, 'docs/clinical-safety/hazard-log.md');

interface TestReference {
  readonly hazard: string;
  readonly file: string;
  readonly name: string;
}

/**
 * Every "`path/to/file.test.ts`, "test name"" reference in the log, under the hazard heading it
 * belongs to. A file may be followed by several names ("a", "b" and "c").
 */
function testReferences(log: string): TestReference[] {
  const references: TestReference[] = [];
  let hazard = '';
  for (const section of log.split(/^## /m)) {
    hazard = section.split('\n', 1)[0]?.trim() ?? hazard;
    const pattern = /`([^`\s]+\.(?:test|e2e)\.tsx?)`((?:[\s,(]*(?:and\s+)?"[^"]+")*)/g;
    for (const match of section.replace(/\n\s*/g, ' ').matchAll(pattern)) {
      const names = [...(match[2] ?? '').matchAll(/"([^"]+)"/g)].map((name) => name[1] ?? '');
      for (const name of names) references.push({ hazard, file: match[1] ?? '', name });
    }
  }
  return references;
}

describe('docs/clinical-safety/hazard-log.md', () => {
  const log = readFileSync(LOG, 'utf8');
  const references = testReferences(log);

  it('names, for every hazard, at least one automated test', () => {
    const hazards = [...log.matchAll(/^## (HAZ-\d{3})/gm)].map((m) => m[1]);
    expect(hazards.length).toBeGreaterThan(0);
    for (const hazard of hazards) {
      expect(
        references.some((r) => r.hazard === hazard),
        `${hazard} cites no test`,
      ).toBe(true);
    }
  });

  it('cites only tests that exist, by file and by name', () => {
    const missing = references.filter(({ file, name }) => {
      const path = join(ROOT, file);
      if (!existsSync(path)) return true;
      const text = readFileSync(path, 'utf8');
      // The name as a test's own name (a string literal), and not a test that is skipped.
      const named = ["'", '"', '`'].some((quote) => text.includes(`${quote}${name}`));
      const skipped = /\.(skip|todo)\(\s*$/.test(text.slice(0, text.indexOf(name) - 1));
      return !named || skipped;
    });
    expect(missing).toEqual([]);
  });

  it('reads references the way the log writes them', () => {
    const sample = [
      '## HAZ-900',
      'Tests: `a/b.test.ts`, "first" and "second";',
      '`c/d.e2e.ts` ("third").',
    ].join('\n');
    expect(testReferences(sample)).toEqual([
      { hazard: 'HAZ-900', file: 'a/b.test.ts', name: 'first' },
      { hazard: 'HAZ-900', file: 'a/b.test.ts', name: 'second' },
      { hazard: 'HAZ-900', file: 'c/d.e2e.ts', name: 'third' },
    ]);
  });
});
