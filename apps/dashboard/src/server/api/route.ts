// Turns the operation descriptions into Next.js route handlers: authenticate the API key, ask
// the domain's permission table about the key's integration actor, validate path, query and body
// against the documented schemas, run, and answer JSON. Reads of patient data and every refusal
// (401 and 403) are audited, one INSERT each. A route file exports every method; those its path
// does not document answer 405 in JSON.

import { recordAccess } from '@vfx/database/commands';
import {
  type Action,
  type Actor,
  actionsOf,
  issuesFromZod,
  type PermissionContext,
} from '@vfx/domain';
import type { z } from 'zod';
import { PATIENT_READS } from '../access';
import { authenticateBearer, authoriseKey, integrationActor } from '../api-key-gate';
import { db } from '../db';
import { API_OPERATIONS } from './catalog';
import { ApiError, errorResponse, toApiError } from './errors';
import { type ApiOperation, HTTP_METHODS, type HttpMethod } from './operation';

/** Larger than any enrolment with a long imported history; anything bigger is a mistake. */
export const MAX_BODY_BYTES = 1_000_000;
const REALM = 'Bearer realm="vfx-api"';

export interface RouteContext {
  readonly params: Promise<Record<string, string | string[] | undefined>>;
}

export type ApiRouteHandler = ((request: Request, context: RouteContext) => Promise<Response>) & {
  /** The documented operation this handler runs, or undefined for a 405 answer. */
  readonly operation: ApiOperation | undefined;
  readonly path: string;
};

/** Refuses (403, audited) unless the table lets `actor` do the operation's action. */
async function authorise(
  operation: ApiOperation,
  action: Action,
  actor: Actor,
  context?: PermissionContext,
) {
  const decision = await authoriseKey(actor, { operation: operation.operationId, action }, context);
  if (!decision.ok) throw new ApiError('forbidden', decision.reason);
}

async function authenticate(request: Request, operation: ApiOperation) {
  const action = operation.action;
  if (action === 'public') return undefined;
  const result = await authenticateBearer(request.headers.get('authorization'), {
    operation: operation.operationId,
    action,
  });
  if (!result.ok) {
    throw result.reason === 'missing'
      ? new ApiError(
          'unauthorized',
          'An API key is required: send it as "Authorization: Bearer <key>". An administrator creates keys on the dashboard (Admin › API keys).',
          [],
          { 'WWW-Authenticate': REALM },
        )
      : new ApiError(
          'unauthorized',
          'The API key is not valid: it is unknown, revoked, or not sent as "Authorization: Bearer <key>".',
          [],
          { 'WWW-Authenticate': `${REALM}, error="invalid_token"` },
        );
  }
  const actor = integrationActor(result.principal);
  // An operation whose permission depends on the request is judged on it once it is valid
  // (below); before that, only a key that may never do the action is refused.
  if (!operation.context || !actionsOf(actor.role, 'integration').includes(action)) {
    await authorise(operation, action, actor);
  }
  return result.principal;
}

function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'path' | 'query' | '',
): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issues = issuesFromZod(where, result.error);
  if (where === '') {
    throw new ApiError(
      'invalid-input',
      `The request body is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'})`,
      issues,
    );
  }
  throw new ApiError(
    'bad-request',
    `The ${where === 'path' ? 'path' : 'query'} parameters are not valid`,
    issues,
  );
}

function queryOf(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    if (values.length > 1) {
      throw new ApiError('bad-request', 'A query parameter is given more than once', [
        { path: `query.${name}`, message: 'must be given at most once' },
      ]);
    }
    query[name] = values[0] as string;
  }
  return query;
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      'unsupported-media-type',
      'Send the body as JSON with "Content-Type: application/json"',
    );
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  const text = declared > MAX_BODY_BYTES ? '' : await request.text();
  if (declared > MAX_BODY_BYTES || Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new ApiError(
      'payload-too-large',
      `The body is larger than ${MAX_BODY_BYTES.toLocaleString('en-GB')} bytes`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError('bad-request', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

function operationHandler(operation: ApiOperation): ApiRouteHandler {
  const handler = async (request: Request, context: RouteContext) => {
    try {
      const principal = await authenticate(request, operation);
      const params = operation.params
        ? validate(operation.params, await context.params, 'path')
        : {};
      const query = operation.query
        ? validate(operation.query, queryOf(new URL(request.url)), 'query')
        : {};
      const body = operation.body ? await readJson(request) : undefined;
      if (operation.body) validate(operation.body, body, '');
      if (principal && operation.action !== 'public' && operation.context) {
        await authorise(
          operation,
          operation.action,
          integrationActor(principal),
          operation.context({ params, body } as Parameters<typeof operation.context>[0]),
        );
      }
      const result = await operation.run({
        params,
        query,
        body,
        principal,
        now: new Date(),
      } as Parameters<ApiOperation['run']>[0]);
      if (principal && operation.action !== 'public' && PATIENT_READS.has(operation.action)) {
        if (!result.access) {
          throw new Error(`${operation.operationId} reads patient data but said nothing to audit`);
        }
        await recordAccess(db(), { ...result.access, actor: principal.user.id });
      }
      return Response.json(result.body, {
        status: operation.success.status,
        headers: { 'Cache-Control': 'no-store', ...result.headers },
      });
    } catch (error) {
      return errorResponse(toApiError(error));
    }
  };
  return Object.assign(handler, { operation, path: operation.path });
}

function methodNotAllowed(path: string, allowed: readonly HttpMethod[]): ApiRouteHandler {
  const handler = async () =>
    errorResponse(
      new ApiError('method-not-allowed', `${path} supports ${allowed.join(', ')} only`, [], {
        Allow: allowed.join(', '),
      }),
    );
  return Object.assign(handler, { operation: undefined, path });
}

/**
 * Handlers for every method of one documented path. A route file exports all of them; the
 * methods the path does not document answer 405.
 */
export function apiRoute(path: string): Record<HttpMethod, ApiRouteHandler> {
  const operations = API_OPERATIONS.filter((operation) => operation.path === path);
  if (operations.length === 0) throw new Error(`No API operation is documented for ${path}`);
  const allowed = operations.map((operation) => operation.method);
  return Object.fromEntries(
    HTTP_METHODS.map((method) => {
      const operation = operations.find((candidate) => candidate.method === method);
      return [method, operation ? operationHandler(operation) : methodNotAllowed(path, allowed)];
    }),
  ) as Record<HttpMethod, ApiRouteHandler>;
}
