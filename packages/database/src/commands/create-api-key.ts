// Creating an API key (`apiKey.create`) and its integration user: the user the key acts as,
// with the key's role, no password, and an address that can never receive mail.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  API_KEY_PREFIX,
  hashSecret,
  integrationEmail,
  NewApiKeySchema,
  VISIBLE_CHARACTERS,
} from '../auth/api-keys.js';
import type { Database } from '../client.js';
import type { Role } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';
import { type ActorId, runCommand } from './run-command.js';

export interface ApiKeyCreated {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly userId: string;
  /** The whole secret. Shown once: it is not stored and cannot be recovered. */
  readonly secret: string;
}

/**
 * Creates a key and its integration user (role = the key's role, no password), audited in the
 * same transaction. `actorId` must be an active administrator.
 */
export async function createApiKey(
  db: Database,
  input: unknown,
  actorId: ActorId,
  now = new Date(),
): Promise<ApiKeyCreated> {
  const parsed = NewApiKeySchema.safeParse(input);
  if (!parsed.success) {
    throw RecordError.invalid(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const { name, role } = parsed.data;
  return runCommand(db, actorId, 'apiKey.create', async ({ tx, audit }) => {
    // Records show "API: <name>", so two working keys with one name could not be told apart.
    const sameName = await tx.apiKey.findFirst({
      where: { name: { equals: name, mode: 'insensitive' }, revokedAt: null },
      select: { id: true },
    });
    if (sameName) {
      throw new RecordError(
        'conflict',
        `A key named "${name}" is already in use; choose another name`,
        [{ path: 'name', message: 'is already the name of a key in use' }],
      );
    }

    const id = randomUUID();
    const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const prefix = secret.slice(0, API_KEY_PREFIX.length + VISIBLE_CHARACTERS);
    const userId = randomUUID();
    await tx.user.create({
      data: {
        id: userId,
        email: integrationEmail(id),
        name: `API: ${name}`,
        role,
        passwordHash: null,
        createdAt: now,
      },
    });
    await tx.apiKey.create({
      data: {
        id,
        name,
        role,
        prefix,
        secretHash: hashSecret(secret),
        userId,
        createdById: actorId,
        createdAt: now,
      },
    });
    await audit({
      action: 'api-key.created',
      entityType: 'api-key',
      entityId: id,
      // The secret and its hash stay out of the audit log.
      after: { name, role, prefix, userId },
      at: now,
    });
    return { id, name, role, prefix, userId, secret };
  });
}
