// Deactivating an account (`user.deactivate`). The permission table refuses it on one's own
// account and on an API key's integration user (revoking the key deactivates that user).
import { revokeSessionsOf } from '../auth/sessions.js';
import {
  type AccountChange,
  accountTarget,
  caseloadSize,
  lockUser,
  patientsPhrase,
} from '../auth/users.js';
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { type ActorId, auditUnchanged, runCommand } from './run-command.js';

const ACTION = 'user.deactivate';

/**
 * Deactivates an account: it can no longer sign in, and its open sessions end now. Refused for
 * one's own account, for an integration user, and while the user still has patients on their
 * caseload (they would have nobody to follow them up): reassign the caseload first.
 */
export async function deactivateUser(
  db: Database,
  userId: string,
  actor: ActorId,
  now = new Date(),
): Promise<AccountChange & { readonly sessionsEnded: number }> {
  return runCommand(
    db,
    actor,
    ACTION,
    async ({ tx, audit }) => {
      const user = await lockUser(tx, userId);
      if (!user.active) {
        const why = 'the account is already deactivated';
        await auditUnchanged({ audit }, { entityType: 'user', entityId: user.id, why }, ACTION);
        return { id: user.id, changed: false, sessionsEnded: 0 };
      }
      const patients = await caseloadSize(tx, user.id);
      if (patients > 0) {
        throw new RecordError(
          'conflict',
          `${user.name} still has ${patientsPhrase(patients)} on their caseload. Reassign the caseload to another nurse first, then deactivate the account.`,
        );
      }
      await tx.user.update({ where: { id: user.id }, data: { active: false } });
      const sessionsEnded = await revokeSessionsOf(tx, user.id, now);
      await audit({
        action: 'user.deactivated',
        entityType: 'user',
        entityId: user.id,
        before: { active: true },
        after: { active: false, sessionsEnded },
        at: now,
      });
      return { id: user.id, changed: true, sessionsEnded };
    },
    { context: (tx) => accountTarget(tx, userId) },
  );
}
