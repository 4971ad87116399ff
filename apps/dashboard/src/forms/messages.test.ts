import { describe, expect, it } from 'vitest';
import { placeIssues } from './form-state';
import { humanMessage, inWords } from './messages';

const zone = 'Europe/London';

describe('problems in words', () => {
  it('says what to do when a field is empty, by its kind', () => {
    expect(humanMessage('is required', { label: 'Sex', kind: 'choice' }, zone)).toBe('Select sex.');
    expect(
      humanMessage(
        'must be one of: none, mild',
        { label: 'Limitation of daily activities', kind: 'choice' },
        zone,
      ),
    ).toBe('Select limitation of daily activities.');
    expect(humanMessage('is required', { label: 'Date of birth', kind: 'date' }, zone)).toBe(
      'Enter date of birth.',
    );
    expect(humanMessage('is required', { label: 'MRI oedema', kind: 'choice' }, zone)).toBe(
      'Select MRI oedema.',
    );
  });

  it('names the field and writes times in the user’s zone, never ISO or code names', () => {
    const message = humanMessage(
      'must not be after the time it is recorded (2026-12-06T14:05:00.000Z): an event cannot be recorded before it happens',
      { label: 'The date it happened', kind: 'date-time' },
      zone,
    );
    expect(message).toBe('The date it happened must be before now (Sun 6 Dec 2026, 14:05).');
    expect(
      humanMessage(
        'is in the future (2026-12-07; today is 2026-12-06)',
        { label: 'Date of fracture', kind: 'date' },
        zone,
      ),
    ).toBe('Date of fracture must be today or in the past (today is Sun 6 Dec 2026).');
    expect(
      humanMessage(
        'is before the date of fracture or symptom onset (2026-11-02)',
        { label: 'Identified on', kind: 'date' },
        zone,
      ),
    ).toBe(
      'Identified on must not be before the date of fracture or symptom onset (Mon 2 Nov 2026).',
    );
    expect(inWords('is after recordedAt at 2026-07-01T08:00:00Z', zone)).toBe(
      'is after the time it is recorded at Wed 1 Jul 2026, 09:00',
    );
  });

  it('says every problem of a field, each in words', () => {
    const placed = placeIssues(
      [
        {
          path: 'event.fractureDate',
          message: 'is in the future (2026-12-08; today is 2026-12-06)',
        },
        { path: 'event.fractureDate', message: 'is after the date it was identified (2026-12-01)' },
      ],
      { fractureDate: { label: 'Date of fracture', kind: 'date' } },
      'event.',
      zone,
    );
    expect(placed.fieldErrors.fractureDate).toBe(
      'Date of fracture must be today or in the past (today is Sun 6 Dec 2026). Date of fracture must not be after the date it was identified (Tue 1 Dec 2026).',
    );
  });

  it('places each problem beside its field, in words, and the rest on the form', () => {
    const placed = placeIssues(
      [
        { path: 'event.nrsAtRest', message: 'must be a whole number from 0 to 10' },
        { path: 'event.mobility', message: 'must be one of: independent, with-help' },
        { path: 'event.type', message: 'is wrong somehow (2026-01-02)' },
      ],
      {
        nrsAtRest: { label: 'Pain at rest (NRS 0-10)', kind: 'number' },
        mobility: { label: 'Mobility', kind: 'choice' },
      },
      'event.',
      zone,
    );
    expect(placed).toEqual({
      fieldErrors: {
        nrsAtRest: 'Pain at rest (NRS 0-10) must be a whole number from 0 to 10.',
        mobility: 'Select mobility.',
      },
      error: 'Is wrong somehow (Fri 2 Jan 2026).',
    });
  });
});
