import { describe, expect, it } from 'vitest';
import * as domain from './index.js';

describe('the package entry point', () => {
  it('offers planning, diffing, validation and the calendar to the apps', () => {
    const patient = domain.parsePatient(
      {
        id: 'p1',
        identifier: { kind: 'nhs-number', value: '943 476 5919' },
        dateOfBirth: '1948-02-01',
        sex: 'male',
      },
      { now: '2025-01-07T12:00:00Z' },
    );
    const episode = domain.parseEpisode(
      {
        id: 'e1',
        patientId: 'p1',
        pathwayVersion: domain.CURRENT_PATHWAY_VERSION,
        vertebralLevels: ['L1'],
        fractureDate: '2025-01-06',
        identifiedOn: '2025-01-06',
        identification: 'symptomatic-presentation',
        careSetting: { kind: 'community' },
        columnInvolvement: 'anterior-only',
        neurologicalDeficit: false,
        suspectedMalignancy: false,
        mriOedema: 'not-imaged',
        enrolledAt: '2025-01-06T15:00:00Z',
      },
      { now: '2025-01-07T12:00:00Z', patient },
    );
    const plan = domain.computePlan({ patient, episode, events: [], asOf: '2025-01-07T12:00:00Z' });
    expect(plan.steps.length).toBe(
      domain.findPathway(domain.CURRENT_PATHWAY_VERSION)?.steps.length,
    );
    expect(domain.diffPlans(plan, plan).commands).toEqual([]);
    expect(domain.formatNhsNumber(patient.identifier.value)).toBe('943 476 5919');
    expect(domain.serviceCalendar(domain.DEFAULT_SERVICE_SETTINGS).timeZone).toBe('Europe/London');
    expect(() => domain.computePlan({ patient, episode, events: [], asOf: 'not a date' })).toThrow(
      domain.PathwayInputError,
    );
  });
});
