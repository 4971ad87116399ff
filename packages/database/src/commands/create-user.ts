// Adding a staff account (`user.create`): by an administrator on the dashboard, or by the
// server's own tools ("system:user-create", "system:seed"), which may do anything.
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/password.js';
import { parseNewUser } from '../auth/users.js';
import type { Queryable } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import type { Role } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';
import { type ActorId, runCommand } from './run-command.js';

/** Creates an active account. `actor` is who creates it (a user id, or "system:<tool>"). */
export async function createUser(
  db: Queryable,
  input: unknown,
  actor: ActorId,
): Promise<{ id: string; email: string; role: Role }> {
  const { password, ...account } = parseNewUser(input);
  return createHashedUser(db, { ...account, passwordHash: await hashPassword(password) }, actor);
}

/**
 * Creates an active account whose password is already hashed: the demo's accounts, which share
 * one published password, so one hash (a deliberately slow step) serves them all.
 */
export async function createHashedUser(
  db: Queryable,
  account: { email: string; name: string; role: Role; passwordHash: string },
  actor: ActorId,
): Promise<{ id: string; email: string; role: Role }> {
  const { email, name, role, passwordHash } = account;
  try {
    return await runCommand(db, actor, 'user.create', async ({ tx, audit }) => {
      const user = await tx.user.create({
        data: { id: randomUUID(), email, name, role, passwordHash },
        select: { id: true, email: true, role: true },
      });
      await audit({
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        after: { email, name, role },
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new RecordError('conflict', `A user with the e-mail address ${email} already exists`);
    }
    throw error;
  }
}
