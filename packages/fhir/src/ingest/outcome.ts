// What a parse gives back: the domain's input, or every problem found with the HTTP status that
// fits it (400 a request the service cannot read as FHIR, 413 over a named limit, 422 readable
// FHIR whose values the domain refuses), and how the domain's field paths map back to FHIR.
import { FhirError, type FhirIssue } from '../operation-outcome.js';

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: 400 | 413 | 422; readonly issues: readonly FhirIssue[] };

/** The parse's value, or its problems thrown as the FhirError the router answers. */
export function orThrow<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new FhirError(result.status, result.issues);
  return result.value;
}

/**
 * Where each domain field came from. A domain issue's path ("patient.identifier.value",
 * "episode.vertebralLevels[1]") names the FHIR element by the longest registered path that is it
 * or contains it; a path nothing was registered for falls back to `fallback`.
 */
export class PathMap {
  private readonly expressions = new Map<string, string>();

  constructor(private readonly fallback: string) {}

  set(domainPath: string, expression: string): void {
    this.expressions.set(domainPath, expression);
  }

  expressionOf(domainPath: string): string {
    let path = domainPath;
    for (;;) {
      const found = this.expressions.get(path);
      if (found) return found;
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      if (cut <= 0) return this.fallback;
      path = path.slice(0, cut);
    }
  }

  /** The domain's issues as FHIR issues: the domain's own message, on the FHIR element. */
  issuesOf(domainIssues: readonly { path: string; message: string }[]): FhirIssue[] {
    return domainIssues.map((issue) => {
      const expression = this.expressionOf(issue.path);
      const mapped = this.expressions.has(issue.path);
      return {
        code: 'invalid',
        diagnostics: `${expression} ${issue.message}${mapped ? '' : ` (${issue.path})`}`,
        expression: [expression],
      };
    });
  }
}

/** Drops the issues about elements already reported (a missing element the domain reports too). */
export function withoutRepeats(
  first: readonly FhirIssue[],
  then: readonly FhirIssue[],
): FhirIssue[] {
  const named = new Set(first.flatMap((issue) => issue.expression ?? []));
  return [
    ...first,
    ...then.filter((issue) => !(issue.expression ?? []).some((path) => named.has(path))),
  ];
}
