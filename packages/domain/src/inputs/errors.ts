import type { z } from 'zod';

export interface InputIssue {
  /** Where the problem is, e.g. "episode.fractureDate" or "events[2].nrsAtRest". */
  readonly path: string;
  /** What is wrong and what is expected. */
  readonly message: string;
}

/**
 * Input the pathway cannot accept. Carries every problem found, each naming its field, so a form
 * can show them beside the fields and an API can return them in one response.
 */
export class PathwayInputError extends Error {
  readonly code = 'INVALID_PATHWAY_INPUT';
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(
      issues.length === 1
        ? `Invalid input: ${formatIssue(issues[0] as InputIssue)}`
        : `Invalid input (${issues.length} problems): ${issues.map(formatIssue).join('; ')}`,
    );
    this.name = 'PathwayInputError';
    this.issues = issues;
  }
}

function formatIssue(issue: InputIssue): string {
  return issue.path ? `${issue.path} ${issue.message}` : issue.message;
}

/** "events[2].nrsAtRest" from a zod path under a prefix. */
export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export function issuesFromZod(prefix: string, error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => {
    // An unknown key is reported on the object; name the key itself so the typo is visible.
    if (issue.code === 'unrecognized_keys') {
      return {
        path: joinPath(prefix, issue.path),
        message: `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
      };
    }
    // A missing field is reported as a wrong type, value or union member with no input: say so.
    const missing =
      issue.input === undefined &&
      (issue.code === 'invalid_type' ||
        issue.code === 'invalid_value' ||
        issue.code === 'invalid_union');
    const message = missing ? 'is required' : issue.message;
    return { path: joinPath(prefix, issue.path), message };
  });
}

const INSTANT_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant passed in by the caller (`now`, `asOf`): epoch milliseconds, or ISO text with a zone.
 * Text without a zone is refused: it would be read in the server's own time zone.
 */
export function parseInstant(value: string | number, path: string): number {
  const ms =
    typeof value === 'number'
      ? value
      : INSTANT_WITH_ZONE.test(value)
        ? Date.parse(value)
        : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new PathwayInputError([
      {
        path,
        message:
          'must be epoch milliseconds or a date and time with a time zone, e.g. 2025-03-14T09:30:00Z',
      },
    ]);
  }
  return ms;
}
