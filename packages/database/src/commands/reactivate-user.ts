// Reactivating an account (`user.reactivate`). The permission table refuses it on an API key's
// integration user: a revoked key's user stays inactive, or the key would work again.
import { type AccountChange, accountTarget, lockUser } from '../auth/users.js';
import type { Database } from '../client.js';
import { type ActorId, auditUnchanged, runCommand } from './run-command.js';

const ACTION = 'user.reactivate';

/** Lets a deactivated account sign in again (with its existing password). */
export async function reactivateUser(
  db: Database,
  userId: string,
  actor: ActorId,
): Promise<AccountChange> {
  return runCommand(
    db,
    actor,
    ACTION,
    async ({ tx, audit }) => {
      const user = await lockUser(tx, userId);
      if (user.active) {
        const why = 'the account is already active';
        await auditUnchanged({ audit }, { entityType: 'user', entityId: user.id, why }, ACTION);
        return { id: user.id, changed: false };
      }
      await tx.user.update({ where: { id: user.id }, data: { active: true } });
      await audit({
        action: 'user.reactivated',
        entityType: 'user',
        entityId: user.id,
        before: { active: false },
        after: { active: true },
      });
      return { id: user.id, changed: true };
    },
    { context: (tx) => accountTarget(tx, userId) },
  );
}
