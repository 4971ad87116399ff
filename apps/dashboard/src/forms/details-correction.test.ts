import { EpisodeSchema } from '@vfx/domain';
import { scenario } from '@vfx/domain/testing';
import { describe, expect, it } from 'vitest';
import { detailsFormValues, detailsFromForm } from './details-correction';
import { EVENT_FORMS, valueWords } from './event-fields';

// A T12 fracture on 16 November 2026, admitted at 18:00:30 UTC (seconds the form cannot show).
const episode = EpisodeSchema.parse(
  scenario({
    fractureDate: '2026-11-16',
    admittedAt: '2026-11-16T18:00:30Z',
    enrolledAt: '2026-11-17T10:00:00Z',
  }).episode,
);
const zone = 'Europe/London';
const now = new Date('2026-11-20T12:00:00Z');

describe('the enrolment details correction form', () => {
  it('shows the details as they stand, in the user’s zone', () => {
    expect(detailsFormValues(episode, zone)).toEqual({
      vertebralLevels: 'T12',
      fractureDate: '2026-11-16',
      fractureDateEstimated: 'no',
      identifiedOn: '2026-11-16',
      identification: 'symptomatic-presentation',
      careSetting: 'admitted',
      admittedAt: '2026-11-16T18:00',
    });
    expect(detailsFormValues(episode, 'America/New_York').admittedAt).toBe('2026-11-16T13:00');
  });

  it('sends only what changed; an admission time left as shown keeps its stored instant', () => {
    const shown = detailsFormValues(episode, zone);
    expect(detailsFromForm(shown, episode, zone, now)).toEqual({ kind: 'unchanged' });
    expect(
      detailsFromForm(
        { ...shown, vertebralLevels: 'T12,L1', fractureDate: '2026-11-02' },
        episode,
        zone,
        now,
      ),
    ).toEqual({
      kind: 'changed',
      details: { vertebralLevels: ['T12', 'L1'], fractureDate: '2026-11-02' },
    });
    expect(
      detailsFromForm({ ...shown, admittedAt: '2026-11-16T20:15' }, episode, zone, now),
    ).toEqual({
      kind: 'changed',
      details: { careSetting: { kind: 'admitted', admittedAt: '2026-11-16T20:15:00.000Z' } },
    });
    expect(detailsFromForm({ ...shown, careSetting: 'community' }, episode, zone, now)).toEqual({
      kind: 'changed',
      details: { careSetting: { kind: 'community' } },
    });
    // Admitted at 01:30 BST on the night the clocks go back (the first 01:30): left as shown, it
    // stays; typed again the same, it would be the later 01:30, an hour on.
    const night = EpisodeSchema.parse(
      scenario({
        fractureDate: '2026-10-24',
        admittedAt: '2026-10-25T00:30:00Z',
        enrolledAt: '2026-10-26T10:00:00Z',
      }).episode,
    );
    const nightShown = detailsFormValues(night, zone);
    expect(nightShown.admittedAt).toBe('2026-10-25T01:30');
    expect(detailsFromForm(nightShown, night, zone, now)).toEqual({ kind: 'unchanged' });
    // An unticked estimate box is "no", which is what it already was.
    const { fractureDateEstimated: _, ...unticked } = shown;
    expect(detailsFromForm(unticked, episode, zone, now)).toEqual({ kind: 'unchanged' });
  });

  it('keeps a cleared field as typed, for the domain to name; asks for a readable admission time', () => {
    const shown = detailsFormValues(episode, zone);
    expect(
      detailsFromForm({ ...shown, vertebralLevels: '', fractureDate: '' }, episode, zone, now),
    ).toEqual({
      kind: 'changed',
      details: { vertebralLevels: [], fractureDate: '' },
    });
    expect(detailsFromForm({ ...shown, admittedAt: 'yesterday' }, episode, zone, now)).toEqual({
      kind: 'invalid',
      fieldErrors: {
        admittedAt: 'Enter the date and time of admission, e.g. 16 11 2026 and 18:00.',
      },
    });
  });

  it('words the details for the history', () => {
    const fields = EVENT_FORMS['episode-details-corrected'].fields;
    const field = (name: string) => fields.find((f) => f.name === name) as (typeof fields)[number];
    expect(valueWords(field('fractureDate'), '2026-11-02')).toBe('Mon 2 Nov 2026');
    expect(valueWords(field('vertebralLevels'), ['T12', 'L1'])).toBe('T12, L1');
    expect(valueWords(field('careSetting'), { kind: 'community' })).toBe('Community');
    expect(
      valueWords(
        field('careSetting'),
        { kind: 'admitted', admittedAt: '2026-11-16T18:00:00Z' },
        (iso) => iso.slice(0, 10),
      ),
    ).toBe('Admitted 2026-11-16');
    expect(valueWords(field('identification'), 'incidental-imaging')).toBe('Incidental imaging');
  });
});
