// Revoking an API key (`apiKey.revoke`): the key stops working at once and its integration user
// is deactivated (and cannot be reactivated: the permission table refuses it).
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { type ActorId, auditUnchanged, runCommand } from './run-command.js';

const ACTION = 'apiKey.revoke';

/**
 * Revokes a key at once and deactivates its integration user, audited. Revoking a key that is
 * already revoked changes nothing and returns when it was revoked.
 */
export async function revokeApiKey(
  db: Database,
  keyId: string,
  actorId: ActorId,
  now = new Date(),
): Promise<{ readonly id: string; readonly name: string; readonly revokedAt: Date }> {
  return runCommand(db, actorId, ACTION, async ({ tx, audit }) => {
    // Locked so two administrators revoking together write one revocation, not two.
    const [key] = await tx.$queryRaw<{ id: string; revoked_at: Date | null }[]>`
      SELECT id, revoked_at FROM api_keys WHERE id = ${keyId} FOR UPDATE`;
    if (!key) throw new RecordError('not-found', `API key "${keyId}" does not exist`);
    const row = await tx.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    if (key.revoked_at) {
      const why = `the key was already revoked at ${key.revoked_at.toISOString()}`;
      await auditUnchanged({ audit }, { entityType: 'api-key', entityId: keyId, why }, ACTION);
      return { id: row.id, name: row.name, revokedAt: key.revoked_at };
    }
    await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: now } });
    await tx.user.update({ where: { id: row.userId }, data: { active: false } });
    await audit({
      action: 'api-key.revoked',
      entityType: 'api-key',
      entityId: keyId,
      before: { name: row.name, role: row.role, prefix: row.prefix, revokedAt: null },
      after: { revokedAt: now.toISOString(), userDeactivated: row.userId },
      at: now,
    });
    return { id: row.id, name: row.name, revokedAt: now };
  });
}
