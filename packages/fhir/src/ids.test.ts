import { describe, expect, it } from 'vitest';
import {
  cyrb53,
  derivedId,
  entryResourceId,
  fhirId,
  isFhirId,
  ourIdOf,
  parseEntryResourceId,
  parseTaskId,
  stepKeyHash,
  taskId,
} from './ids.js';

describe('FHIR ids from our ids', () => {
  it('uses a UUID or any id of letters, digits and hyphens verbatim', () => {
    const uuid = '0b9c7e4e-3f1d-4c55-9a86-2f0f3c1d9e11';
    expect(fhirId(uuid)).toBe(uuid);
    expect(fhirId('pat-1')).toBe('pat-1');
    expect(ourIdOf(uuid)).toBe(uuid);
  });

  it('escapes ".", "_" and "~" reversibly, so no two of our ids share a FHIR id', () => {
    expect(fhirId('a.b_c~d')).toBe('a.2Eb.5Fc.7Ed');
    expect(ourIdOf('a.2Eb.5Fc.7Ed')).toBe('a.b_c~d');
    // An id that looks like an escape is itself escaped.
    expect(fhirId('a.2E')).toBe('a.2E2E');
    expect(ourIdOf(fhirId('a.2E'))).toBe('a.2E');
    for (const id of ['x_y', 'x.5Fy', '~', '...', 'a-b.c_d~e']) {
      expect(isFhirId(fhirId(id))).toBe(true);
      expect(ourIdOf(fhirId(id))).toBe(id);
    }
  });

  it('hashes what would be longer than 64, and then cannot read it back', () => {
    const long = 'x'.repeat(65);
    const hashed = fhirId(long);
    expect(hashed).toMatch(/^\.h[0-9a-z]{11}$/);
    expect(fhirId(long)).toBe(hashed);
    expect(fhirId(`${'x'.repeat(64)}y`)).not.toBe(hashed);
    expect(ourIdOf(hashed)).toBeUndefined();
    // 40 underscores escape to 160 characters.
    expect(fhirId('_'.repeat(40))).toMatch(/^\.h/);
    expect(fhirId('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('refuses text that is not one of our ids, naming it', () => {
    expect(() => fhirId('')).toThrow(/not a service id/);
    expect(() => fhirId('a b')).toThrow(/"a b"/);
    expect(() => fhirId('x'.repeat(101))).toThrow(/not a service id/);
  });

  it('reads back nothing from ids it did not make', () => {
    expect(ourIdOf('a.b')).toBeUndefined();
    expect(ourIdOf('a.2F')).toBeUndefined();
    expect(ourIdOf('a b')).toBeUndefined();
  });
});

describe('derived ids', () => {
  it('names a Task by its episode and a hash of the step key, and reads both back', () => {
    const id = taskId('ep-1', 'denosumab-next-dose~dmab~2');
    expect(id).toBe(`ep-1.s${stepKeyHash('denosumab-next-dose~dmab~2')}`);
    expect(id).toMatch(/^ep-1\.s[0-9a-z]{11}$/);
    expect(parseTaskId(id)).toEqual({
      episodeId: 'ep-1',
      stepKeyHash: stepKeyHash('denosumab-next-dose~dmab~2'),
    });
    expect(parseTaskId(taskId('ep.1_x', 'dxa-scan'))?.episodeId).toBe('ep.1_x');
    expect(parseTaskId('ep-1')).toBeUndefined();
    expect(parseTaskId('ep-1.lumbar-spine')).toBeUndefined();
  });

  it('gives different step keys different hashes (the keys of a real plan)', () => {
    const keys = [
      'holistic-assessment',
      'self-management-advice',
      'dxa-scan',
      'denosumab-next-dose~dmab~1',
      'denosumab-next-dose~dmab~2',
      'severe-pain-review~pain1',
      'severe-pain-review~pain2',
    ];
    expect(new Set(keys.map(stepKeyHash)).size).toBe(keys.length);
    expect(cyrb53('a')).not.toBe(cyrb53('b'));
    expect(Number.isSafeInteger(cyrb53('anything'))).toBe(true);
  });

  it('names the resources of one entry by the entry and the part, and reads them back', () => {
    expect(entryResourceId('dxa-1', 'lumbar-spine')).toBe('dxa-1.lumbar-spine');
    expect(parseEntryResourceId('dxa-1.lumbar-spine')).toEqual({
      eventId: 'dxa-1',
      part: 'lumbar-spine',
    });
    expect(parseEntryResourceId(entryResourceId('ev_7'))).toEqual({
      eventId: 'ev_7',
      part: undefined,
    });
    expect(parseEntryResourceId(entryResourceId('ev.7', 'rest'))).toEqual({
      eventId: 'ev.7',
      part: 'rest',
    });
    expect(() => derivedId('ev-1', 'Rest')).toThrow(/lowercase/);
    expect(derivedId('x'.repeat(60), 'lumbar-spine')).toMatch(/^\.h/);
    expect(parseEntryResourceId(derivedId('x'.repeat(60), 'lumbar-spine'))).toBeUndefined();
  });
});
