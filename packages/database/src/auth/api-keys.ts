// API keys for other systems calling the JSON API (/api/v1). A key is a random secret shown once
// to the administrator who creates it; the database keeps only its SHA-256 (like sessions), so a
// copy of the table lets nobody in, plus a short prefix to tell keys apart in lists.
//
// Each key acts as its own integration user: clinical_events.recorded_by and the audit log name a
// user, and "API: Radiology alerts" in a patient's history says exactly who recorded an event.
// That user has no password, so it can never sign in; revoking the key deactivates it. The
// commands that create and revoke keys are commands/create-api-key.ts and revoke-api-key.ts.
import { createHash } from 'node:crypto';
import { plainCharacters } from '@vfx/domain';
import { z } from 'zod';
import type { Database } from '../client.js';
import type { SessionUser } from './sessions.js';

/** Every secret starts with this, so a leaked one is recognisable (and greppable) as ours. */
export const API_KEY_PREFIX = 'vfx_';
/** Characters of the secret after API_KEY_PREFIX kept as the visible prefix (48 of 256 bits). */
export const VISIBLE_CHARACTERS = 8;
/** 32 random bytes in base64url: 43 characters. */
const SECRET_PATTERN = /^vfx_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is written at most this often per key, so reads rarely cost a write. */
export const API_KEY_TOUCH_EVERY_MS = 60_000;

/** Integration users get an address on the reserved .invalid domain: it can never receive mail. */
export const integrationEmail = (keyId: string) => `api-key-${keyId}@integrations.invalid`;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const API_KEY_ROLES = ['nurse', 'scheduler', 'admin'] as const;

export const NewApiKeySchema = z.strictObject({
  name: z
    .string({ error: 'must be given: the system that will use the key, e.g. "Radiology alerts"' })
    .trim()
    .min(1, { error: 'must not be empty: name the system that will use the key' })
    .max(80, { error: 'must be at most 80 characters' })
    .check(plainCharacters()),
  role: z.enum(API_KEY_ROLES, { error: 'must be nurse, scheduler or admin' }),
});

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
