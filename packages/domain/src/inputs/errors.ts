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
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return { path: joinPath(prefix, issue.path), message };
  });
}
