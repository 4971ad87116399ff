// Every refusal of the JSON API has one shape: { error: { code, message, issues? } }, with the
// HTTP status the code implies. Nothing else, and never a stack trace, leaves the server.
import { loggableErrorLine, RecordError, type RecordErrorCode } from '@vfx/database';
import { type InputIssue, PathwayInputError } from '@vfx/domain';

export const API_ERRORS = {
  'bad-request': { status: 400, description: 'Malformed JSON, or a bad path or query parameter' },
  unauthorized: { status: 401, description: 'No API key, or an unknown or revoked one' },
  forbidden: { status: 403, description: "The key's role may not do this" },
  'not-found': { status: 404, description: 'No such patient or episode' },
  'method-not-allowed': { status: 405, description: 'The path does not support this method' },
  conflict: { status: 409, description: 'Conflicts with what is already recorded' },
  'payload-too-large': { status: 413, description: 'The request body is too large' },
  'unsupported-media-type': { status: 415, description: 'The body is not application/json' },
  'invalid-input': { status: 422, description: 'The body is not valid; issues name each field' },
  'internal-error': { status: 500, description: 'The service failed; nothing was stored' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;
export const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues: readonly InputIssue[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return API_ERRORS[this.code].status;
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled record error code: ${String(value)}`);
}

function fromRecordErrorCode(code: RecordErrorCode): ApiErrorCode {
  switch (code) {
    case 'invalid-input':
      return 'invalid-input';
    case 'not-found':
      return 'not-found';
    case 'conflict':
      return 'conflict';
    case 'forbidden':
      return 'forbidden';
    default:
      return assertUnreachable(code);
  }
}

/** The API error for anything a handler threw; unknown failures become a bare 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RecordError) {
    return new ApiError(fromRecordErrorCode(error.code), error.message, error.issues);
  }
  if (error instanceof PathwayInputError) {
    return new ApiError('invalid-input', error.message, error.issues);
  }
  // Logged for the operators by class, codes and stack frames only: a database's message (often
  // several lines, which the frames of a stack used to keep) can quote patient data.
  console.error(`JSON API request failed: ${loggableErrorLine(error)}`);
  return new ApiError(
    'internal-error',
    'The service could not complete the request. Nothing was stored; try again, and report it if it keeps happening.',
  );
}

export function errorResponse(error: ApiError): Response {
  return Response.json(
    {
      error: {
        code: error.code,
        message: error.message,
        ...(error.issues.length > 0
          ? { issues: error.issues.map(({ path, message }) => ({ path, message })) }
          : {}),
      },
    },
    { status: error.status, headers: { 'Cache-Control': 'no-store', ...error.headers } },
  );
}
