import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { openTestDatabase } from '../testing/test-database.js';
import {
  ANONYMOUS_ACTOR,
  apiKeyPrefixOf,
  recordAccess,
  recordedSearch,
  recordSearch,
  SEARCH_LIFETIME_MS,
} from './access-audit.js';
import { RecordError } from './errors.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('access_audit'));
});
afterAll(() => close());

const at = new Date('2026-12-06T10:00:00Z');

describe('recordAccess', () => {
  it('writes reads in one statement, with the patient id, so who looked at a patient is one query', async () => {
    await recordAccess(db, [
      {
        actor: 'nurse-1',
        action: 'patient.viewed',
        entityType: 'episode',
        entityId: 'ep-1',
        patientId: 'pat-1',
        at,
      },
      {
        actor: 'nurse-2',
        action: 'patient.searched',
        entityType: 'search',
        entityId: 'caseload',
        details: { query: 'Smith', matches: 3 },
        at,
      },
    ]);
    const seen = await db.auditEntry.findMany({ where: { patientId: 'pat-1' } });
    expect(seen.map((row) => [row.actor, row.action, row.entityId, row.at])).toEqual([
      ['nurse-1', 'patient.viewed', 'ep-1', at],
    ]);
    const search = await db.auditEntry.findFirstOrThrow({ where: { action: 'patient.searched' } });
    expect(search.after).toEqual({ query: 'Smith', matches: 3 });
    expect(search.patientId).toBeNull();
  });

  it('keeps a query with a NUL character (which jsonb cannot hold), spelt out', async () => {
    await recordAccess(db, {
      actor: 'nurse-1',
      action: 'patient.searched',
      entityType: 'search',
      entityId: 'nul',
      details: { query: 'a\u0000b' },
    });
    const row = await db.auditEntry.findFirstOrThrow({ where: { entityId: 'nul' } });
    expect(row.after).toEqual({ query: 'a\\u0000b' });
  });

  it('refuses bad entries by name and writes none of the batch', async () => {
    const before = await db.auditEntry.count();
    await expect(
      recordAccess(db, [
        { actor: 'nurse-1', action: 'patient.viewed', entityType: 'episode', entityId: 'ok' },
        { actor: ' ', action: 'patient.viewed', entityType: 'episode', entityId: 'x' },
      ]),
    ).rejects.toThrow(/access entry \[1\]: actor must be a non-empty string/);
    await expect(
      recordAccess(db, {
        actor: 'nurse-1',
        // @ts-expect-error: not an access action
        action: 'patient.deleted',
        entityType: 'episode',
        entityId: 'x',
      }),
    ).rejects.toBeInstanceOf(RecordError);
    expect(await db.auditEntry.count()).toBe(before);
  });

  it('records a refusal by nobody under the anonymous actor', async () => {
    await recordAccess(db, {
      actor: ANONYMOUS_ACTOR,
      action: 'access.refused',
      entityType: 'action',
      entityId: 'patient.view',
      details: { status: 401, keyPrefix: 'vfx_abcdefgh' },
    });
    expect(
      await db.auditEntry.count({ where: { actor: 'anonymous', action: 'access.refused' } }),
    ).toBe(1);
  });
});

describe('recordSearch and recordedSearch', () => {
  it('keeps the query in the audit row behind an opaque id, for its maker only and only for a while', async () => {
    const id = await recordSearch(db, {
      actor: 'nurse-1',
      scope: 'caseload',
      query: '943 476 5919',
      filters: { phase: 'acute' },
      at,
    });
    // A random UUID, so nothing of the query: its digits, spaced or not, are not in it. (A
    // fragment such as "943" can turn up in a UUID by chance, about once in 140 runs.)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.replaceAll('-', '')).not.toContain('9434765919');
    const row = await db.auditEntry.findFirstOrThrow({ where: { entityId: id } });
    expect(row).toMatchObject({ actor: 'nurse-1', action: 'patient.searched' });
    expect(row.after).toEqual({ scope: 'caseload', query: '943 476 5919', phase: 'acute' });

    const soon = new Date(at.getTime() + 60_000);
    expect(await recordedSearch(db, { actor: 'nurse-1', id, now: soon })).toEqual({
      query: '943 476 5919',
      scope: 'caseload',
    });
    expect(await recordedSearch(db, { actor: 'nurse-2', id, now: soon })).toBeUndefined();
    const later = new Date(at.getTime() + SEARCH_LIFETIME_MS + 1);
    expect(await recordedSearch(db, { actor: 'nurse-1', id, now: later })).toBeUndefined();
    expect(await recordedSearch(db, { actor: 'nurse-1', id: 'x', now: soon })).toBeUndefined();
  });

  it('refuses an empty query', async () => {
    await expect(
      recordSearch(db, { actor: 'nurse-1', scope: 'caseload', query: '  ' }),
    ).rejects.toThrow(/needs a query/);
  });
});

describe('apiKeyPrefixOf', () => {
  it('gives the visible prefix of a well-formed key and nothing of anything else', () => {
    const secret = `vfx_${'A'.repeat(8)}${'b'.repeat(35)}`;
    expect(apiKeyPrefixOf(secret)).toBe('vfx_AAAAAAAA');
    expect(apiKeyPrefixOf('vfx_AAAAAAAAbbb')).toBeUndefined();
    expect(apiKeyPrefixOf('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(apiKeyPrefixOf(undefined)).toBeUndefined();
  });
});
