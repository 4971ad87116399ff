import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { openTestDatabase } from '../testing/test-database.js';
import { enqueue, enqueueMany, OutboxPayloadError, parseOutboxMessage } from './catalog.js';
import {
  claimOutbox,
  completeOutbox,
  outboxLagSeconds,
  pruneOutbox,
  releaseOutbox,
  reviveSetAside,
  setAsideOutbox,
} from './outbox.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('outbox'));
});
afterAll(() => close());
beforeEach(async () => {
  await db.outboxMessage.deleteMany({});
});

const T0 = new Date('2026-12-06T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const LEASE = 30_000;

describe('enqueue', () => {
  it('checks the payload against the catalogue and writes in the caller transaction', async () => {
    await db.$transaction(async (tx) => {
      await enqueue(tx, 'follow-up.enqueue', { followUpId: 'f-1' });
      await enqueueMany(tx, [
        { kind: 'reminder.deliver', payload: { deliveryId: 'd-1' } },
        { kind: 'follow-up.remove', payload: { followUpId: 'f-2' } },
      ]);
    });
    const rows = await db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.kind, r.payload])).toEqual([
      ['follow-up.enqueue', { followUpId: 'f-1' }],
      ['reminder.deliver', { deliveryId: 'd-1' }],
      ['follow-up.remove', { followUpId: 'f-2' }],
    ]);
  });

  it('refuses a payload that does not fit, and nothing of the transaction is written', async () => {
    const attempt = db.$transaction(async (tx) => {
      await enqueue(tx, 'follow-up.enqueue', { followUpId: 'f-1' });
      await enqueueMany(tx, [
        { kind: 'reminder.deliver', payload: { deliveryId: 'd-1' } },
        // A caller that gets round the types (e.g. from JSON) is still refused.
        { kind: 'reminder.deliver', payload: { deliveryId: '' } },
      ]);
    });
    await expect(attempt).rejects.toThrow(OutboxPayloadError);
    await expect(attempt).rejects.toThrow(/"reminder\.deliver": deliveryId: .*>=1 characters/);
    await expect(
      db.$transaction((tx) => enqueue(tx, 'nope' as 'reminder.deliver', { deliveryId: 'd' })),
    ).rejects.toThrow('Unknown outbox message kind "nope"');
    expect(await db.outboxMessage.count()).toBe(0);
  });

  it('parses a payload with a field it does not know (written by a newer release)', () => {
    expect(
      parseOutboxMessage({ kind: 'reminder.retry', payload: { deliveryId: 'd-1', reason: 'x' } }),
    ).toEqual({
      ok: true,
      message: { kind: 'reminder.retry', payload: { deliveryId: 'd-1', reason: 'x' } },
    });
  });
});

describe('claiming with a lease', () => {
  async function write(n: number) {
    await db.$transaction((tx) =>
      enqueueMany(
        tx,
        Array.from({ length: n }, (_, i) => ({
          kind: 'follow-up.enqueue' as const,
          payload: { followUpId: `f-${i}` },
        })),
      ),
    );
  }

  it('claims oldest first; a claimed message is not claimed again until its lease runs out', async () => {
    await write(5);
    const first = await claimOutbox(db, { limit: 3, claimant: 'a', leaseMs: LEASE, now: T0 });
    expect(first.map((m) => (m.payload as { followUpId: string }).followUpId)).toEqual([
      'f-0',
      'f-1',
      'f-2',
    ]);
    expect(first.every((m) => m.expiredClaim === null && m.attempts === 0)).toBe(true);
    // The claim committed: another relay (another connection) sees it at once.
    const second = await claimOutbox(db, { limit: 10, claimant: 'b', leaseMs: LEASE, now: at(1) });
    expect(second.map((m) => (m.payload as { followUpId: string }).followUpId)).toEqual([
      'f-3',
      'f-4',
    ]);
    expect(
      await claimOutbox(db, { limit: 10, claimant: 'c', leaseMs: LEASE, now: at(29) }),
    ).toEqual([]);
    // Relay a died with its claim: after the lease, c takes the messages, and it is recorded
    // (b's claims, a second younger, are still under their lease).
    const taken = await claimOutbox(db, { limit: 10, claimant: 'c', leaseMs: LEASE, now: at(30) });
    expect(taken.map((m) => m.id)).toEqual(first.map((m) => m.id));
    expect(taken.every((m) => m.expiredClaim === 'a' && m.attempts === 1)).toBe(true);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: first[0]?.id } });
    expect(row).toMatchObject({
      claimedBy: 'c',
      claimedAt: at(30),
      leaseUntil: at(60),
      lastError: 'the lease of relay a ran out before it finished',
    });
    // a finishes late: its jobs are queued (deterministic ids), so the messages are processed.
    expect(
      await completeOutbox(
        db,
        first.map((m) => m.id),
        at(31),
      ),
    ).toBe(3);
    expect(
      await completeOutbox(
        db,
        taken.map((m) => m.id),
        at(32),
      ),
    ).toBe(0);
    expect(await db.outboxMessage.count({ where: { processedAt: null } })).toBe(2);
  });

  it("takes back at once a relay's own claims whose attempt could not finish", async () => {
    await write(2);
    const first = await claimOutbox(db, { limit: 10, claimant: 'a', leaseMs: LEASE, now: T0 });
    expect(first).toHaveLength(2);
    // The database went away before a could mark them processed or give them back: its next
    // attempt takes them again without waiting for the lease; another relay still waits.
    expect(await claimOutbox(db, { limit: 10, claimant: 'b', leaseMs: LEASE, now: at(5) })).toEqual(
      [],
    );
    const again = await claimOutbox(db, { limit: 10, claimant: 'a', leaseMs: LEASE, now: at(5) });
    expect(again.map((m) => m.id)).toEqual(first.map((m) => m.id));
    expect(again.every((m) => m.expiredClaim === null && m.attempts === 1)).toBe(true);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: first[0]?.id } });
    expect(row).toMatchObject({
      claimedBy: 'a',
      leaseUntil: at(35),
      lastError: 'relay a could not finish its previous attempt',
    });
  });

  it('concurrent claims take different messages', async () => {
    await write(40);
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map((claimant) =>
        claimOutbox(db, { limit: 15, claimant, leaseMs: LEASE, now: T0 }),
      ),
    );
    const ids = claims.flat().map((m) => m.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('a failed relay gives its messages back with the error, retried after a growing back-off', async () => {
    await write(1);
    const [m] = await claimOutbox(db, { limit: 1, claimant: 'a', leaseMs: LEASE, now: T0 });
    const id = m?.id as bigint;
    const release = (now: Date) =>
      releaseOutbox(db, [id], 'queue unavailable', { claimant: 'a', maxDelayMs: 3_000, now });
    expect(await release(T0)).toBe(1);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      attempts: 1,
      lastError: 'queue unavailable',
      claimedBy: null,
      leaseUntil: at(1),
    });
    expect(
      await claimOutbox(db, { limit: 1, claimant: 'a', leaseMs: LEASE, now: at(0.5) }),
    ).toEqual([]);
    const [again] = await claimOutbox(db, { limit: 1, claimant: 'a', leaseMs: LEASE, now: at(1) });
    // Given back, not abandoned: no lease ran out.
    expect(again).toMatchObject({ id, attempts: 1, expiredClaim: null });
    await release(at(1));
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).leaseUntil).toEqual(at(3));
    await claimOutbox(db, { limit: 1, claimant: 'a', leaseMs: LEASE, now: at(3) });
    await release(at(3));
    // 4 s would be next; the ceiling is 3 s.
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).leaseUntil).toEqual(at(6));
    // A relay whose claim has passed to another leaves the message alone.
    await claimOutbox(db, { limit: 1, claimant: 'b', leaseMs: LEASE, now: at(6) });
    expect(await release(at(7))).toBe(0);
  });

  it('sets aside what does not parse: out of the lag, never claimed, put back once it parses', async () => {
    await db.outboxMessage.createMany({
      data: [
        { kind: 'reminder.deliver', payload: { delivery: 'd-1' }, createdAt: T0 },
        { kind: 'follow-up.enqueue', payload: { followUpId: 'f-1' }, createdAt: at(10) },
      ],
    });
    const claimed = await claimOutbox(db, {
      limit: 10,
      claimant: 'a',
      leaseMs: LEASE,
      now: at(20),
    });
    const [bad, good] = claimed;
    const parsed = claimed.map(parseOutboxMessage);
    expect(parsed[0]).toEqual({
      ok: false,
      error: expect.stringContaining('Outbox message "reminder.deliver": deliveryId:'),
    });
    expect(parsed[1]?.ok).toBe(true);
    await setAsideOutbox(db, bad?.id as bigint, 'does not parse', at(20));
    expect(await outboxLagSeconds(db, at(20))).toBe(10);
    await completeOutbox(db, [good?.id as bigint], at(21));
    expect(await outboxLagSeconds(db, at(21))).toBe(0);
    expect(await claimOutbox(db, { limit: 10, claimant: 'a', leaseMs: 0, now: at(999) })).toEqual(
      [],
    );
    // Nothing to put back while it still does not parse; once it does (here: repaired by hand,
    // as a newer relay would parse it), it is claimable again.
    expect(await reviveSetAside(db)).toBe(0);
    await db.outboxMessage.update({
      where: { id: bad?.id },
      data: { payload: { deliveryId: 'd-1' } },
    });
    expect(await reviveSetAside(db)).toBe(1);
    expect(
      (await claimOutbox(db, { limit: 10, claimant: 'a', leaseMs: LEASE, now: at(30) })).map(
        (m) => m.id,
      ),
    ).toEqual([bad?.id]);
  });

  it('prunes processed and set-aside messages past the retention, never waiting ones', async () => {
    await write(3);
    const [a, b] = await claimOutbox(db, { limit: 2, claimant: 'a', leaseMs: LEASE, now: T0 });
    await completeOutbox(db, [a?.id as bigint], T0);
    await setAsideOutbox(db, b?.id as bigint, 'does not parse', T0);
    expect(await pruneOutbox(db, at(-1))).toBe(0);
    expect(await pruneOutbox(db, at(1))).toBe(2);
    expect(await db.outboxMessage.count()).toBe(1);
  });
});

describe('the outbox has one writer', () => {
  it('no code outside src/outbox writes outbox rows by hand', async () => {
    const root = path.resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
    const offenders: string[] = [];
    const pattern =
      /outboxMessage\.(create|createMany|upsert)\b|insertMany\(\s*\w+,\s*'outbox'|INSERT INTO "?outbox\b/;
    async function walk(dir: string): Promise<void> {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (['node_modules', 'generated', '.next', 'dist', '.turbo'].includes(entry.name))
            continue;
          await walk(full);
        } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          const relative = path.relative(root, full);
          if (relative.startsWith(path.join('packages', 'database', 'src', 'outbox'))) continue;
          if (pattern.test(await readFile(full, 'utf8'))) offenders.push(relative);
        }
      }
    }
    await walk(path.join(root, 'packages'));
    await walk(path.join(root, 'apps'));
    expect(offenders, 'write outbox rows with enqueue() from @vfx/database/jobs').toEqual([]);
  });
});
