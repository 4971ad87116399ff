import { PathwayInputError } from '@vfx/domain';
import { scenario } from '@vfx/domain/testing';
import { describe, expect, it } from 'vitest';
import { ENROLMENT_FIELDS } from '@/app/(app)/patients/new/fields';
import { EVENT_FORMS, eventFromForm, RECORDABLE } from './event-fields';
import { placeIssues } from './form-state';
import { PRIOR_THERAPY_FIELDS, priorTherapyFromEnrolment } from './prior-therapy';

// Hazard 4 of issue 12: therapy that started before the fracture can be recorded at enrolment
// and from the patient page. Fracture on 16 November 2026, enrolled the next day.
const TAKEN = '2026-11-17T10:00:00.000Z';

/** The domain's problems with an enrolment history entry, as the write path reports them. */
function problems(entry: Record<string, unknown>) {
  try {
    scenario({ fractureDate: '2026-11-16' })
      .add(TAKEN, entry as never)
      .record('2026-11-17T12:00:00Z');
    return [];
  } catch (error) {
    if (!(error instanceof PathwayInputError)) throw error;
    // The write path reports enrolment history as history[n], where the scenario says events[n].
    return error.issues.map((i) => ({ ...i, path: i.path.replace(/^events/, 'history') }));
  }
}

describe('the enrolment form’s bone therapy before the fracture', () => {
  it('sends nothing when the section is left empty', () => {
    expect(priorTherapyFromEnrolment({ 'episode.fractureDate': '2026-11-16' }, TAKEN)).toBe(
      undefined,
    );
    expect(priorTherapyFromEnrolment({ 'history[0].drug': '  ' }, TAKEN)).toBe(undefined);
  });

  it('maps the typed section to a prior-bone-therapy entry the domain accepts', () => {
    const entry = priorTherapyFromEnrolment(
      {
        'history[0].drug': 'denosumab',
        'history[0].startedOn': '2021-04-12',
        'history[0].takingAtFracture': 'yes',
        'history[0].stoppedOn': '',
        'history[0].lastDoseOn': '2026-09-30',
        'history[0].adherence': 'as-prescribed',
      },
      TAKEN,
    );
    expect(entry).toEqual({
      type: 'prior-bone-therapy',
      drug: 'denosumab',
      startedOn: '2021-04-12',
      takingAtFracture: true,
      lastDoseOn: '2026-09-30',
      adherence: 'as-prescribed',
      occurredAt: TAKEN,
    });
    expect(problems(entry as Record<string, unknown>)).toEqual([]);
  });

  it('sends a partly filled section, and puts each problem beside its own field', () => {
    const entry = priorTherapyFromEnrolment(
      {
        'history[0].startedOn': '2026-11-17',
        'history[0].takingAtFracture': 'no',
        'history[0].adherence': 'doses-missed',
      },
      TAKEN,
    ) as Record<string, unknown>;
    expect(entry).toMatchObject({ type: 'prior-bone-therapy', takingAtFracture: false });
    const placed = placeIssues(problems(entry), ENROLMENT_FIELDS, '', 'Europe/London');
    expect(placed.error).toBeUndefined();
    expect(Object.keys(placed.fieldErrors)).toEqual(['history[0].drug']);
    // With the drug given, the dates are checked against the fracture date.
    const withDrug = placeIssues(
      problems({ ...entry, drug: 'risedronate' }),
      ENROLMENT_FIELDS,
      '',
      'Europe/London',
    );
    expect(withDrug.fieldErrors).toEqual({
      'history[0].startedOn':
        'Started on must not be after the date of fracture (Mon 16 Nov 2026); therapy started since the fracture is recorded as “Bone therapy started”.',
      'history[0].stoppedOn':
        'Stopped on is required when the patient had stopped before the fracture: give the date it stopped (an estimate is fine, say so in the note).',
    });
  });

  it('offers every field of the catalogue’s entry, each reported under its own name', () => {
    expect(PRIOR_THERAPY_FIELDS.map((f) => f.name)).toEqual(
      EVENT_FORMS['prior-bone-therapy'].fields.map((f) => `history[0].${f.name}`),
    );
    for (const field of PRIOR_THERAPY_FIELDS)
      expect(Object.keys(ENROLMENT_FIELDS)).toContain(field.name);
  });
});

describe('the patient page’s entries for therapy before the fracture and its review', () => {
  it('can be recorded from the patient page', () => {
    expect(RECORDABLE).toContain('prior-bone-therapy');
    expect(RECORDABLE).toContain('treatment-review');
  });

  it('maps a treatment review’s answers to the entry', () => {
    expect(
      eventFromForm(EVENT_FORMS['treatment-review'], {
        drug: 'alendronic-acid',
        takingAsPrescribed: 'yes',
        takenCorrectly: 'no',
        outcome: 'change',
      }),
    ).toEqual({
      type: 'treatment-review',
      drug: 'alendronic-acid',
      takingAsPrescribed: true,
      takenCorrectly: false,
      outcome: 'change',
    });
  });
});
