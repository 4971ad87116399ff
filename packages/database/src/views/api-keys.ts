// The API keys an administrator manages, for the admin page. Never the secret or its hash.
import type { Queryable } from '../client.js';
import type { Role } from '../generated/prisma/client.js';

export interface ApiKeyListItem {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly createdBy: { readonly id: string; readonly name: string };
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** More keys than a service could sensibly run; the list says when there are more. */
export const API_KEY_LIST_LIMIT = 500;

/** Keys newest first (api_keys.created_at is indexed), at most API_KEY_LIST_LIMIT of them. */
export async function listApiKeys(
  db: Queryable,
  limit = API_KEY_LIST_LIMIT,
): Promise<{ readonly keys: readonly ApiKeyListItem[]; readonly more: boolean }> {
  const rows = await db.apiKey.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: {
      id: true,
      name: true,
      role: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { id: true, name: true } },
    },
  });
  return { keys: rows.slice(0, limit), more: rows.length > limit };
}
