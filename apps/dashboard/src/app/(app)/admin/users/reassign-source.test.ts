import { describe, expect, it } from 'vitest';
import { caseloadPhrase, fromNurseIdOf, NOBODYS_CASELOAD } from './reassign-source';

describe("the reassign form's source", () => {
  it("reads nobody's caseload as fromNurseId null, any other value as the user's id", () => {
    expect(fromNurseIdOf(NOBODYS_CASELOAD)).toBeNull();
    expect(fromNurseIdOf('nurse-1')).toBe('nurse-1');
    expect(fromNurseIdOf('3f2b6c1e-8d0a-4b7e-9c51-2a4d6e8f0b13')).toBe(
      '3f2b6c1e-8d0a-4b7e-9c51-2a4d6e8f0b13',
    );
  });

  it('names the caseload in the review', () => {
    expect(caseloadPhrase(null, 'nobody’s caseload')).toBe('the patients on nobody’s caseload');
    expect(caseloadPhrase('nurse-1', 'Asha Khan')).toBe('Asha Khan’s caseload');
  });
});
