// Giving a user another role (`user.changeRole`). The permission table refuses it on one's own
// account and on an API key's integration user (whose role is the key's, shown on its page).
import {
  type AccountChange,
  accountTarget,
  CASELOAD_ROLES,
  caseloadSize,
  lockUser,
  patientsPhrase,
  RoleSchema,
} from '../auth/users.js';
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { type ActorId, auditUnchanged, runCommand } from './run-command.js';

const ACTION = 'user.changeRole';

/**
 * Gives a user another role. Refused for one's own account (another administrator must do it, so
 * the service is never left without one by mistake), for an integration user, and when the new
 * role cannot have a caseload while the user still has one.
 */
export async function changeUserRole(
  db: Database,
  input: { readonly userId: string; readonly role: unknown },
  actor: ActorId,
): Promise<AccountChange> {
  const role = RoleSchema.safeParse(input.role);
  if (!role.success) {
    throw RecordError.invalid([{ path: 'role', message: 'must be nurse, scheduler or admin' }]);
  }
  return runCommand(
    db,
    actor,
    ACTION,
    async ({ tx, audit }) => {
      const user = await lockUser(tx, input.userId);
      if (user.role === role.data) {
        const why = `the user already has the role ${user.role}`;
        await auditUnchanged({ audit }, { entityType: 'user', entityId: user.id, why }, ACTION);
        return { id: user.id, changed: false };
      }
      if (!CASELOAD_ROLES.includes(role.data)) {
        const patients = await caseloadSize(tx, user.id);
        if (patients > 0) {
          throw new RecordError(
            'conflict',
            `${user.name} still has ${patientsPhrase(patients)} on their caseload, and a ${role.data} cannot have one. Reassign the caseload to another nurse first, then change the role.`,
          );
        }
      }
      await tx.user.update({ where: { id: user.id }, data: { role: role.data } });
      await audit({
        action: 'user.role-changed',
        entityType: 'user',
        entityId: user.id,
        before: { role: user.role },
        after: { role: role.data },
      });
      return { id: user.id, changed: true };
    },
    { context: (tx) => accountTarget(tx, input.userId) },
  );
}
