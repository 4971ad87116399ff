import { type InputIssue, PathwayInputError } from '@vfx/domain';

/**
 * Why a write was refused. Every writer (dashboard, API, seed) maps these codes; nothing was
 * stored when one is thrown.
 */
export type RecordErrorCode = 'invalid-input' | 'not-found' | 'conflict' | 'forbidden';

export class RecordError extends Error {
  override readonly name = 'RecordError';

  constructor(
    readonly code: RecordErrorCode,
    message: string,
    /** Field-level problems (for 'invalid-input'), each naming its path. */
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(message);
  }

  static invalid(issues: readonly InputIssue[]): RecordError {
    return new RecordError('invalid-input', new PathwayInputError(issues).message, issues);
  }
}

/** Runs `parse` and turns a domain validation failure into a list of issues. */
export function collectIssues<T>(issues: InputIssue[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (error instanceof PathwayInputError) {
      issues.push(...error.issues);
      return undefined;
    }
    throw error;
  }
}
