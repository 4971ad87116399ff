// /fhir/R4 on the dashboard's server: one catch-all route hands every request here. The request
// is matched to an interaction of the catalogue (catalog.ts), the API key is authenticated and
// its integration user asked about in the domain's permission table (the same gate and the
// same audit of refusals as /api/v1), the body is read, and the interaction runs. Reads of
// patient data are audited, one INSERT each. Every refusal is an OperationOutcome.
import { loggableErrorLine, RecordError } from '@vfx/database';
import { recordAccess } from '@vfx/database/commands';
import { PathwayInputError } from '@vfx/domain';
import { FhirError, type FhirIssue } from '@vfx/fhir';
import { PATIENT_READS } from '../access';
import { authenticateBearer, authoriseKey, integrationActor } from '../api-key-gate';
import { db } from '../db';
import { FHIR_INTERACTIONS } from './catalog';
import { checkFormat, fhirResponse, outcomeResponse, readFhirJson } from './http';
import type { FhirInteraction } from './interaction';
import { issuesOfInput } from './issues';

export const FHIR_BASE_PATH = '/fhir/R4';
const REALM = 'Bearer realm="vfx-fhir"';

export interface FhirRouteContext {
  readonly params: Promise<{ path?: string[] | undefined }>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The path parameters when `segments` fit the interaction's path, else undefined. */
export function matchPath(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(':')) {
      // A parameter never takes an operation's or a type's place.
      if (segment.startsWith('$') || segment === '') return undefined;
      params[part.slice(1)] = segment;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/** The interactions a path names, literal paths first ("Patient/$everything" over "Patient/:id"). */
function interactionsAt(segments: readonly string[]) {
  return FHIR_INTERACTIONS.map((interaction) => ({
    interaction,
    params: matchPath(interaction.path, segments),
  }))
    .filter((match): match is { interaction: FhirInteraction; params: Record<string, string> } =>
      Boolean(match.params),
    )
    .sort(
      (a, b) =>
        a.interaction.path.filter((part) => part.startsWith(':')).length -
        b.interaction.path.filter((part) => part.startsWith(':')).length,
    );
}

function notRouted(segments: readonly string[]): FhirError {
  const served = new Set(FHIR_INTERACTIONS.map((interaction) => interaction.resourceType));
  const [type] = segments;
  if (type && /^[A-Z][A-Za-z]+$/.test(type) && !served.has(type)) {
    return new FhirError(404, [
      {
        code: 'not-supported',
        diagnostics: `Resource type "${type}" is not served here; GET ${FHIR_BASE_PATH}/metadata lists what is`,
      },
    ]);
  }
  return new FhirError(404, [
    {
      code: 'not-found',
      diagnostics: `${FHIR_BASE_PATH}/${segments.join('/')} is not an interaction of this server; GET ${FHIR_BASE_PATH}/metadata lists them`,
    },
  ]);
}

function baseOf(url: URL): string {
  // Behind a proxy the public origin is what the client used; Next's URL already carries it
  // when the proxy sets the Host and X-Forwarded-Proto headers.
  return `${url.origin}${FHIR_BASE_PATH}`;
}

/** A refusal the client can act on: the domain's input issues as OperationOutcome issues. */
function toFhirError(error: unknown): FhirError {
  if (error instanceof FhirError) return error;
  if (error instanceof PathwayInputError) {
    return new FhirError(422, issuesOfInput(error.issues, 'invalid'));
  }
  if (error instanceof RecordError) {
    const status = { 'invalid-input': 422, 'not-found': 404, conflict: 409, forbidden: 403 }[
      error.code
    ];
    const code: FhirIssue['code'] = {
      'invalid-input': 'invalid',
      'not-found': 'not-found',
      conflict: 'conflict',
      forbidden: 'forbidden',
    }[error.code] as FhirIssue['code'];
    const issues = issuesOfInput(error.issues, code);
    return new FhirError(
      status,
      issues.length > 0 ? issues : [{ code, diagnostics: error.message }],
    );
  }
  // Logged by class, codes and stack frames only: a database's message can quote patient data.
  console.error(`FHIR request failed: ${loggableErrorLine(error)}`);
  return new FhirError(500, [
    {
      severity: 'fatal',
      code: 'exception',
      diagnostics:
        'The service could not complete the request. Nothing was stored; try again, and report it if it keeps happening.',
    },
  ]);
}

async function handle(method: Method, request: Request, context: FhirRouteContext) {
  try {
    const segments = (await context.params).path ?? [];
    const url = new URL(request.url);
    const matches = interactionsAt(segments);
    if (matches.length === 0) throw notRouted(segments);
    const match = matches.find(({ interaction }) => interaction.method === method);
    if (!match) {
      const allowed = [...new Set(matches.map(({ interaction }) => interaction.method))];
      throw new FhirError(
        405,
        [
          {
            code: 'not-supported',
            diagnostics: `${FHIR_BASE_PATH}/${segments.join('/')} supports ${allowed.join(', ')} only`,
          },
        ],
        { Allow: allowed.join(', ') },
      );
    }
    const { interaction, params } = match;
    checkFormat(url, request.headers.get('accept'));
    const operation = operationName(interaction);
    if (interaction.action === 'public') {
      const result = await interaction.run({
        url,
        base: baseOf(url),
        params,
        body: undefined,
        principal: undefined as never,
        actor: undefined as never,
        now: new Date(),
        request,
      });
      return fhirResponse(result.status, result.resource, result.headers);
    }
    const action = interaction.action;
    const authenticated = await authenticateBearer(request.headers.get('authorization'), {
      operation,
      action,
    });
    if (!authenticated.ok) {
      throw new FhirError(
        401,
        [
          {
            code: 'login',
            diagnostics:
              authenticated.reason === 'missing'
                ? 'An API key is required: send it as "Authorization: Bearer <key>". An administrator creates keys on the dashboard (Admin › API keys).'
                : 'The API key is not valid: it is unknown, revoked, or not sent as "Authorization: Bearer <key>".',
          },
        ],
        {
          'WWW-Authenticate':
            authenticated.reason === 'missing' ? REALM : `${REALM}, error="invalid_token"`,
        },
      );
    }
    const actor = integrationActor(authenticated.principal);
    const allowed = await authoriseKey(actor, { operation, action }, interaction.permissionContext);
    if (!allowed.ok) {
      throw new FhirError(403, [{ code: 'forbidden', diagnostics: allowed.reason }]);
    }
    const body = method === 'POST' ? await readFhirJson(request) : undefined;
    const result = await interaction.run({
      url,
      base: baseOf(url),
      params,
      body,
      principal: authenticated.principal,
      actor,
      now: new Date(),
      request,
    });
    if (PATIENT_READS.has(action) && interaction.interaction !== 'create') {
      if (!result.access) {
        throw new Error(`${operation} reads patient data but said nothing to audit`);
      }
    }
    if (result.access) await recordAccess(db(), { ...result.access, actor: actor.id });
    if (result.stream) {
      return new Response(result.stream.body, {
        status: result.status,
        headers: {
          'Content-Type': result.stream.contentType,
          'Cache-Control': 'no-store',
          ...result.headers,
        },
      });
    }
    return fhirResponse(result.status, result.resource, result.headers);
  } catch (error) {
    return outcomeResponse(toFhirError(error));
  }
}

/**
 * How an interaction is named in the audit log and the tests: "fhir:Patient.read",
 * "fhir:Patient.$everything", "fhir:transaction"; the Bulk Data operation's own paths by their
 * first segment ("fhir:$export-status", and "fhir:$export-status.cancel" for its DELETE).
 */
export function operationName(interaction: FhirInteraction): string {
  if (!interaction.resourceType && interaction.interaction === 'operation') {
    return `fhir:${interaction.path[0]}${interaction.method === 'DELETE' ? '.cancel' : ''}`;
  }
  const what = interaction.operation ? `$${interaction.operation}` : interaction.interaction;
  return `fhir:${interaction.resourceType ? `${interaction.resourceType}.` : ''}${what}`;
}

/** The handlers of the catch-all route under /fhir/R4. */
export function fhirRoute(): Record<
  Method,
  (request: Request, context: FhirRouteContext) => Promise<Response>
> {
  return {
    GET: (request, context) => handle('GET', request, context),
    POST: (request, context) => handle('POST', request, context),
    PUT: (request, context) => handle('PUT', request, context),
    PATCH: (request, context) => handle('PATCH', request, context),
    DELETE: (request, context) => handle('DELETE', request, context),
  };
}
