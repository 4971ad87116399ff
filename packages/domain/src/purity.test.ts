import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    // Test support may read files (the seed documents a quote test checks); it never ships.
    const isTestSupport = /\.test\.ts$|\.test-support\.ts$|\.child\.ts$/.test(entry.name);
    return entry.name.endsWith('.ts') && !isTestSupport ? [path] : [];
  });
}

// The domain decides from its inputs alone: the instant is always passed in, and nothing is read
// from or written to the outside world. These patterns are the ways code usually breaks that.
const FORBIDDEN: ReadonlyArray<readonly [RegExp, string]> = [
  [/Date\.now\s*\(/, 'reads the clock (Date.now)'],
  [/new Date\(\s*\)/, 'reads the clock (new Date())'],
  [/performance\.now/, 'reads the clock (performance.now)'],
  [/Temporal\.Now/, 'reads the clock (Temporal.Now)'],
  [/Math\.random/, 'is not deterministic (Math.random)'],
  [/process\.(env|argv|cwd)/, 'reads the process environment'],
  [/from ['"]node:/, 'imports a Node.js I/O module'],
  [/\bfetch\s*\(/, 'does network I/O'],
  [/console\./, 'writes to the console'],
];

describe('packages/domain source', () => {
  const files = sourceFiles(SRC);

  it('finds the source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('never reads the clock, the environment or does I/O', () => {
    const problems = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(
        ([, why]) => `${file.slice(SRC.length)} ${why}`,
      );
    });
    expect(problems).toEqual([]);
  });
});
