// Every FHIR error is an OperationOutcome whose issues name the element at fault in
// `expression` (a FHIRPath such as "Bundle.entry[1].resource.identifier[0].value").
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueCode = NonNullable<OperationOutcomeIssue['code']>;

export interface FhirIssue {
  readonly severity?: 'fatal' | 'error' | 'warning' | 'information';
  readonly code: IssueCode;
  /** What is wrong, in words a person at the sending system can act on. */
  readonly diagnostics: string;
  /** FHIRPath expressions of the elements at fault; empty when the problem is the whole request. */
  readonly expression?: readonly string[];
}

export function operationOutcome(issues: readonly FhirIssue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => ({
      severity: issue.severity ?? 'error',
      code: issue.code,
      diagnostics: issue.diagnostics,
      ...(issue.expression && issue.expression.length > 0
        ? { expression: [...issue.expression] }
        : {}),
    })),
  };
}

/** A refusal that becomes an OperationOutcome answer with this HTTP status. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issues: readonly FhirIssue[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(issues.map((issue) => issue.diagnostics).join('; '));
    this.name = 'FhirError';
  }
}
