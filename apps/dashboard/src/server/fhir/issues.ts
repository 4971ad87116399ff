// The domain's and the write path's input issues, as OperationOutcome issues. An interaction
// that knows which FHIR element each of its inputs came from (ingest.ts) maps the paths itself;
// what reaches the router unmapped keeps the record's own path in its words.
import type { InputIssue } from '@vfx/domain';
import type { FhirIssue } from '@vfx/fhir';

export function issuesOfInput(issues: readonly InputIssue[], code: FhirIssue['code']): FhirIssue[] {
  return issues.map((issue) => ({
    code,
    diagnostics: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
  }));
}
