// API keys for other systems calling the JSON API (/api/v1). A key is a random secret shown once
// to the administrator who creates it; the database keeps only its SHA-256 (like sessions), so a
// copy of the table lets nobody in, plus a short prefix to tell keys apart in lists.
//
// Each key acts as its own integration user: clinical_events.recorded_by and the audit log name a
// user, and "API: Radiology alerts" in a patient's history says exactly who recorded an event.
// That user has no password, so it can never sign in; revoking the key deactivates it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../client.js';
import type { Role } from '../generated/prisma/client.js';
import { audit } from '../records/audit.js';
import { RecordError } from '../records/errors.js';
import type { SessionUser } from './sessions.js';

/** Every secret starts with this, so a leaked one is recognisable (and greppable) as ours. */
export const API_KEY_PREFIX = 'vfx_';
/** Characters of the secret after API_KEY_PREFIX kept as the visible prefix (48 of 256 bits). */
const VISIBLE_CHARACTERS = 8;
/** 32 random bytes in base64url: 43 characters. */
const SECRET_PATTERN = /^vfx_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is written at most this often per key, so reads rarely cost a write. */
export const API_KEY_TOUCH_EVERY_MS = 60_000;

/** Integration users get an address on the reserved .invalid domain: it can never receive mail. */
const integrationEmail = (keyId: string) => `api-key-${keyId}@integrations.invalid`;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const API_KEY_ROLES = ['nurse', 'scheduler', 'admin'] as const;

const NewApiKeySchema = z.strictObject({
  name: z
    .string({ error: 'must be given: the system that will use the key, e.g. "Radiology alerts"' })
    .trim()
    .min(1, { error: 'must not be empty: name the system that will use the key' })
    .max(80, { error: 'must be at most 80 characters' }),
  role: z.enum(API_KEY_ROLES, { error: 'must be nurse, scheduler or admin' }),
});

export interface ApiKeyCreated {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly userId: string;
  /** The whole secret. Shown once: it is not stored and cannot be recovered. */
  readonly secret: string;
}

async function requireActiveAdmin(db: Database, actorId: string) {
  const actor = await db.user.findUnique({ where: { id: actorId } });
  if (!actor?.active || actor.role !== 'admin') {
    throw new RecordError(
      'forbidden',
      'Only an active administrator may create or revoke API keys',
    );
  }
}

/**
 * Creates a key and its integration user (role = the key's role, no password), audited in the
 * same transaction. `actorId` must be an active administrator.
 */
export async function createApiKey(
  db: Database,
  input: unknown,
  actorId: string,
  now = new Date(),
): Promise<ApiKeyCreated> {
  const parsed = NewApiKeySchema.safeParse(input);
  if (!parsed.success) {
    throw RecordError.invalid(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const { name, role } = parsed.data;
  await requireActiveAdmin(db, actorId);
  // Records show "API: <name>", so two working keys with one name could not be told apart.
  const sameName = await db.apiKey.findFirst({
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
  await db.$transaction(async (tx) => {
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
    await audit(tx, {
      actor: actorId,
      action: 'api-key.created',
      entityType: 'api-key',
      entityId: id,
      // The secret and its hash stay out of the audit log.
      after: { name, role, prefix, userId },
      at: now,
    });
  });
  return { id, name, role, prefix, userId, secret };
}

/**
 * Revokes a key at once and deactivates its integration user, audited. Revoking a key that is
 * already revoked changes nothing and returns when it was revoked.
 */
export async function revokeApiKey(
  db: Database,
  keyId: string,
  actorId: string,
  now = new Date(),
): Promise<{ readonly id: string; readonly name: string; readonly revokedAt: Date }> {
  await requireActiveAdmin(db, actorId);
  return db.$transaction(async (tx) => {
    // Locked so two administrators revoking together write one audit entry, not two.
    const [key] = await tx.$queryRaw<{ id: string; revoked_at: Date | null }[]>`
      SELECT id, revoked_at FROM api_keys WHERE id = ${keyId} FOR UPDATE`;
    if (!key) throw new RecordError('not-found', `API key "${keyId}" does not exist`);
    const row = await tx.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    if (key.revoked_at) return { id: row.id, name: row.name, revokedAt: key.revoked_at };
    await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: now } });
    await tx.user.update({ where: { id: row.userId }, data: { active: false } });
    await audit(tx, {
      actor: actorId,
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

export interface ApiKeyPrincipal {
  readonly keyId: string;
  readonly keyName: string;
  /** The integration user the key acts as: the actor of everything the key writes. */
  readonly user: SessionUser;
}

/**
 * The key a presented secret belongs to, if it is known, not revoked and its user active;
 * otherwise undefined. Records when the key was last used, at most once a minute.
 */
export async function authenticateApiKey(
  db: Database,
  secret: string | undefined,
  now = new Date(),
): Promise<ApiKeyPrincipal | undefined> {
  // A malformed secret cannot match; refusing it here saves the lookup.
  if (!secret || !SECRET_PATTERN.test(secret)) return undefined;
  const key = await db.apiKey.findUnique({
    where: { secretHash: hashSecret(secret) },
    include: { user: true },
  });
  if (!key || key.revokedAt || !key.user.active) return undefined;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= API_KEY_TOUCH_EVERY_MS) {
    // Conditional, so concurrent requests in the same minute write once between them.
    await db.apiKey.updateMany({
      where: {
        id: key.id,
        OR: [
          { lastUsedAt: null },
          { lastUsedAt: { lte: new Date(now.getTime() - API_KEY_TOUCH_EVERY_MS) } },
        ],
      },
      data: { lastUsedAt: now },
    });
  }
  const { user } = key;
  return {
    keyId: key.id,
    keyName: key.name,
    // An integration user never has a password, so never one to change.
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      mustChangePassword: false,
    },
  };
}
