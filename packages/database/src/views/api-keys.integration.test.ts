import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { createApiKey, revokeApiKey } from '../commands.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { listApiKeys } from './api-keys.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('api_key_list'));
  await createUsers(db);
});
afterAll(() => close());

describe('listing API keys', () => {
  it('lists keys newest first with their creator and state, never the secret or its hash, and says when there are more', async () => {
    const secrets: string[] = [];
    for (const [i, name] of ['EHR', 'Radiology alerts', 'Scheduling'].entries()) {
      const key = await createApiKey(
        db,
        { name, role: i === 2 ? 'scheduler' : 'nurse' },
        'admin-1',
        new Date(Date.UTC(2026, 10, 17, 10, i)),
      );
      secrets.push(key.secret);
      if (name === 'EHR') await revokeApiKey(db, key.id, 'admin-1');
    }
    const { keys, more } = await listApiKeys(db);
    expect(more).toBe(false);
    expect(keys.map((key) => key.name)).toEqual(['Scheduling', 'Radiology alerts', 'EHR']);
    expect(keys[0]).toMatchObject({
      role: 'scheduler',
      createdBy: { id: 'admin-1', name: 'admin-1' },
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(keys[2]?.revokedAt).toBeInstanceOf(Date);
    const listed = JSON.stringify(keys);
    for (const secret of secrets) expect(listed).not.toContain(secret);
    expect(listed).not.toMatch(/secretHash|[0-9a-f]{64}/);

    const firstTwo = await listApiKeys(db, 2);
    expect(firstTwo.keys.map((key) => key.name)).toEqual(['Scheduling', 'Radiology alerts']);
    expect(firstTwo.more).toBe(true);
  });
});
