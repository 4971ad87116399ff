// An administrator's password reset: the user gets a temporary password (chosen by the
// administrator and given to the user in person or by phone, never by e-mail), every session of
// theirs ends, and at their next sign-in they must choose their own password before anything
// else (users.must_change_password). An API key's integration user never has a password: the
// permission table refuses the reset.

import { hashPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-policy.js';
import { revokeSessionsOf } from '../auth/sessions.js';
import type { Queryable } from '../client.js';
import type { Role } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';
import { runCommand } from './run-command.js';

export interface ResetPasswordInput {
  readonly userId: string;
  readonly temporaryPassword: string;
}

export interface PasswordReset {
  readonly userId: string;
  readonly sessionsEnded: number;
}

export async function resetUserPassword(
  db: Queryable,
  actorId: string,
  input: ResetPasswordInput,
  now = new Date(),
): Promise<PasswordReset> {
  return runCommand(
    db,
    actorId,
    'user.resetPassword',
    async ({ tx, audit }) => {
      const [user] = await tx.$queryRaw<{ id: string; email: string; name: string }[]>`
        SELECT id, email, name FROM users WHERE id = ${input.userId} FOR UPDATE`;
      if (!user) throw new RecordError('not-found', `User "${input.userId}" does not exist`);
      const problem = passwordProblem(input.temporaryPassword, [user.email, user.name]);
      if (problem) throw RecordError.invalid([{ path: 'temporaryPassword', message: problem }]);
      await tx.user.update({
        where: { id: user.id },
        data: {
          passwordHash: await hashPassword(input.temporaryPassword),
          mustChangePassword: true,
        },
      });
      const sessionsEnded = await revokeSessionsOf(tx, user.id, now);
      await audit({
        action: 'user.password-reset',
        entityType: 'user',
        entityId: user.id,
        after: { mustChangePassword: true, sessionsEnded },
        at: now,
      });
      return { userId: user.id, sessionsEnded };
    },
    {
      context: async (tx) => {
        const target = await tx.user.findUnique({
          where: { id: input.userId },
          select: { id: true, role: true, apiKey: { select: { id: true } } },
        });
        return target
          ? {
              target: {
                id: target.id,
                role: target.role as Role,
                kind: target.apiKey ? ('integration' as const) : ('person' as const),
              },
            }
          : {};
      },
    },
  );
}
