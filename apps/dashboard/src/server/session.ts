// The one gate of the dashboard: every page, server action and route handler asks the domain's
// permission table (packages/domain/src/access/permissions.ts) through `requirePermission`, and
// nothing here or in the pages decides who may do what. A refusal is audited before the user is
// sent to /refused, and what the signed-in user reads of patients is audited by `recordRead`.

import { authenticate, type SessionUser } from '@vfx/database/auth';
import { type AccessEntry, recordAccess } from '@vfx/database/commands';
import { type Action, type Actor, may, type PermissionContext, permission } from '@vfx/domain';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from './db';

export const SESSION_COOKIE = 'vfx_session';

/** The signed-in person: their account and, as an `Actor`, what the permission table is asked with. */
export type SignedInUser = SessionUser & Actor;

/** The signed-in user, or undefined. A session is always a person's: API keys never sign in. */
export async function currentUser(): Promise<SignedInUser | undefined> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = (await authenticate(db(), token))?.user;
  return user ? { ...user, kind: 'person' } : undefined;
}

/** Where a refusal of `action` is shown: the refusal page names the action, never a patient. */
export function refusedPath(action: Action): string {
  return `/refused?${new URLSearchParams({ action })}`;
}

/** Audits a refusal: who tried which action, and the table's reason. */
export async function recordRefusal(
  actor: Actor,
  action: Action,
  reason: string,
  where?: string,
): Promise<void> {
  await recordAccess(db(), {
    actor: actor.id,
    action: 'access.refused',
    entityType: 'action',
    entityId: action,
    details: { reason, ...(where ? { where } : {}) },
  });
}

/** Where a user whose password an administrator reset must go first, and may only go. */
export const CHANGE_PASSWORD_PATH = '/account/password';

/**
 * Whether the permission table lets `actor` open anyone's caseload (an administrator's view),
 * rather than only their own: a nurse's pages default to their own caseload.
 */
export function seesEveryCaseload(actor: Actor): boolean {
  return may(actor, 'caseload.view', { caseloadOf: `someone other than ${actor.id}` });
}

/**
 * Signed in, whatever the role: the shell, the start page, the refusal page and the
 * change-password page only. It does not send a user who must change their password to that
 * page (the shell frames it).
 */
export async function requireSignedIn(): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  return user;
}

/**
 * The signed-in user, if the permission table lets them do `action` (in `context`): not signed
 * in goes to the sign-in page; refused is audited and goes to /refused. Called first by every
 * page, server action and route handler.
 */
export async function requirePermission(
  action: Action,
  context?: PermissionContext,
): Promise<SignedInUser> {
  const user = await requireSignedIn();
  // A user whose password an administrator reset may do nothing else until they change it.
  if (user.mustChangePassword && action !== 'password.changeOwn') redirect(CHANGE_PASSWORD_PATH);
  const decision = permission(user, action, context);
  if (!decision.allowed) {
    await recordRefusal(user, action, decision.reason);
    redirect(refusedPath(action));
  }
  return user;
}

/**
 * For a permission that depends on what the page has loaded (the type of the entry a withdrawal
 * withdraws): refused is audited and goes to /refused, like `requirePermission`.
 */
export async function ensurePermitted(
  user: SignedInUser,
  action: Action,
  context: PermissionContext,
): Promise<void> {
  const decision = permission(user, action, context);
  if (decision.allowed) return;
  await recordRefusal(user, action, decision.reason);
  redirect(refusedPath(action));
}

/** Audits what the signed-in user read (one INSERT); the entry's actor is the user. */
export async function recordRead(user: Actor, entry: Omit<AccessEntry, 'actor'>): Promise<void> {
  await recordAccess(db(), { ...entry, actor: user.id });
}

/** Audits that the signed-in user opened one episode of a patient (a page of their record). */
export async function recordPatientView(
  user: Actor,
  seen: {
    readonly episodeId: string;
    readonly patientId: string;
    /** Which page, and what on it, beyond the patient page itself. */
    readonly details?: Record<string, unknown>;
  },
): Promise<void> {
  await recordRead(user, {
    action: 'patient.viewed',
    entityType: 'episode',
    entityId: seen.episodeId,
    patientId: seen.patientId,
    ...(seen.details ? { details: seen.details } : {}),
  });
}
