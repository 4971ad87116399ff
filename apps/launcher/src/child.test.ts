import { describe, expect, it } from 'vitest';
import { describeExit } from './child.js';

describe('an exit in words', () => {
  it('names the signal a child was killed by', () => {
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('killed by SIGKILL');
  });

  it('reads a code above 128 as the signal npx reports that way', () => {
    expect(describeExit({ code: 137, signal: null })).toBe('exit code 137, i.e. killed by SIGKILL');
    expect(describeExit({ code: 143, signal: null })).toBe('exit code 143, i.e. killed by SIGTERM');
  });

  it('gives other codes as they are', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('exit code 1');
    expect(describeExit({ code: 0, signal: null })).toBe('exit code 0');
    expect(describeExit({ code: 255, signal: null })).toBe('exit code 255');
  });
});
