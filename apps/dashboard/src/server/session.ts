import { authenticate, type Role, type SessionUser } from '@vfx/database/auth';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from './db';

export const SESSION_COOKIE = 'vfx_session';

/** The signed-in user, or undefined. */
export async function currentUser(): Promise<SessionUser | undefined> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return (await authenticate(db(), token))?.user;
}

/** An administrator may do everything; other roles only what they are given. */
export function mayAct(user: SessionUser, roles: readonly Role[]): boolean {
  return user.role === 'admin' || roles.includes(user.role);
}

/** Where a user whose password an administrator reset must go first, and may only go. */
export const CHANGE_PASSWORD_PATH = '/account/password';

/**
 * The signed-in user, for the shell and the change-password page only: it does not send a user
 * who must change their password to that page (it is that page).
 */
export async function requireSignedIn(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  return user;
}

/**
 * The signed-in user, checked on the server for every page, server action and route handler
 * that calls it: not signed in goes to the sign-in page, a user whose password an administrator
 * reset goes to change it (and can do nothing else until they have), a role without access is
 * refused.
 */
export async function requireUser(roles?: readonly Role[]): Promise<SessionUser> {
  const user = await requireSignedIn();
  if (user.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
  if (roles && !mayAct(user, roles)) redirect('/refused');
  return user;
}
