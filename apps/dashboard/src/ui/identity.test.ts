import { describe, expect, it } from 'vitest';
import { formatIdentifier, patientName } from './identity';

describe('identity as pages show it', () => {
  it('writes a patient’s name given then family, as entered', () => {
    expect(patientName({ givenName: 'Tobias', familyName: 'Sorrel' })).toBe('Tobias Sorrel');
    expect(patientName({ givenName: 'Mary-Jane', familyName: "O'Neill " })).toBe(
      "Mary-Jane O'Neill",
    );
    expect(patientName({ givenName: 'Aoife', familyName: 'de la Cruz' })).toBe('Aoife de la Cruz');
  });

  it('reads identifiers as colleagues say them', () => {
    expect(formatIdentifier('mrn', 'A1234')).toBe('MRN A1234');
  });
});
