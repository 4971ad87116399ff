// The one gate of every API-key request, JSON API (/api/v1) and FHIR (/fhir/R4) alike: the key
// is authenticated, its integration user is asked about in the domain's permission table, and
// every refusal (401 and 403) is written to the audit log, one INSERT each. The callers turn a
// refusal into their own error shape (a JSON error, or an OperationOutcome).
import { type ApiKeyPrincipal, authenticateApiKey } from '@vfx/database/auth';
import { ANONYMOUS_ACTOR, apiKeyPrefixOf, recordAccess } from '@vfx/database/commands';
import { type Action, type Actor, type PermissionContext, permission } from '@vfx/domain';
import { db } from './db';

/** The key's integration user, as the permission table is asked about it. */
export function integrationActor(principal: ApiKeyPrincipal): Actor {
  return { id: principal.user.id, role: principal.user.role, kind: 'integration' };
}

export type KeyRefusal =
  | { readonly ok: false; readonly status: 401; readonly reason: 'missing' | 'invalid' }
  | { readonly ok: false; readonly status: 403; readonly reason: string };

/**
 * The principal of an `Authorization: Bearer <key>` header, or a 401 refusal (audited as
 * 'anonymous', with the key's visible prefix when it was well formed).
 */
export async function authenticateBearer(
  header: string | null,
  request: { readonly operation: string; readonly action: Action },
): Promise<{ readonly ok: true; readonly principal: ApiKeyPrincipal } | KeyRefusal> {
  const match = header ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  const principal = match ? await authenticateApiKey(db(), match[1] as string) : undefined;
  if (principal) return { ok: true, principal };
  const secret = header === null ? undefined : (match?.[1] ?? '');
  const keyPrefix = apiKeyPrefixOf(secret);
  await recordAccess(db(), {
    actor: ANONYMOUS_ACTOR,
    action: 'access.refused',
    entityType: 'action',
    entityId: request.action,
    details: {
      status: 401,
      operation: request.operation,
      ...(keyPrefix ? { keyPrefix } : { key: secret === undefined ? 'none' : 'malformed' }),
    },
  });
  return { ok: false, status: 401, reason: header === null ? 'missing' : 'invalid' };
}

/** Allowed, or a 403 refusal (audited) with the table's reason, in words. */
export async function authoriseKey(
  actor: Actor,
  request: { readonly operation: string; readonly action: Action },
  context?: PermissionContext,
): Promise<{ readonly ok: true } | KeyRefusal> {
  const decision = permission(actor, request.action, context);
  if (decision.allowed) return { ok: true };
  await recordAccess(db(), {
    actor: actor.id,
    action: 'access.refused',
    entityType: 'action',
    entityId: request.action,
    details: { status: 403, operation: request.operation, reason: decision.reason },
  });
  return { ok: false, status: 403, reason: decision.reason };
}
