// A signed-in person changes their own password: the current one must be right, the new one
// must meet the password policy, and every other session of theirs ends (a password is changed
// because someone else may know it). Also how a user forced by an administrator's reset chooses
// their own password, which lifts the force.

import { hashPassword, verifyPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-policy.js';
import { revokeSessionsOf } from '../auth/sessions.js';
import type { Queryable } from '../client.js';
import { RecordError } from '../records/errors.js';
import { runCommand } from './run-command.js';

export interface ChangeOwnPasswordInput {
  readonly currentPassword: string;
  readonly newPassword: string;
  /** The token of the session the change is made from: it stays signed in, the others end. */
  readonly keepSessionToken?: string;
}

export interface PasswordChanged {
  readonly userId: string;
  /** The user's other sessions that were ended. */
  readonly sessionsEnded: number;
}

export async function changeOwnPassword(
  db: Queryable,
  actorId: string,
  input: ChangeOwnPasswordInput,
  now = new Date(),
): Promise<PasswordChanged> {
  return runCommand(db, actorId, 'password.changeOwn', async ({ tx, actor, audit }) => {
    const [user] = await tx.$queryRaw<
      { id: string; email: string; name: string; password_hash: string | null }[]
    >`SELECT id, email, name, password_hash FROM users WHERE id = ${actor.id} FOR UPDATE`;
    if (!user?.password_hash) {
      throw new RecordError('conflict', 'This account has no password to change');
    }
    const issues = [];
    if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
      issues.push({ path: 'currentPassword', message: 'is not your current password' });
    }
    const problem =
      input.newPassword === input.currentPassword
        ? 'must be different from your current password'
        : passwordProblem(input.newPassword, [user.email, user.name]);
    if (problem) issues.push({ path: 'newPassword', message: problem });
    if (issues.length > 0) throw RecordError.invalid(issues);

    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false },
    });
    const sessionsEnded = await revokeSessionsOf(tx, user.id, now, input.keepSessionToken);
    await audit({
      action: 'user.password-changed',
      entityType: 'user',
      entityId: user.id,
      after: { sessionsEnded },
      at: now,
    });
    return { userId: user.id, sessionsEnded };
  });
}
