import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  authenticateQueueBoard,
  issueQueueBoardTicket,
  openQueueBoard,
  QUEUE_BOARD_SESSION_MS,
  QUEUE_BOARD_TICKET_MS,
} from './queue-board.js';

let db: Database;
let close: () => Promise<void>;
const t0 = new Date('2026-03-02T09:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('queue_board_grants'));
  await createUsers(db, [
    { id: 'admin-1', role: 'admin' },
    { id: 'admin-2', role: 'admin' },
    { id: 'nurse-1', role: 'nurse' },
  ]);
});
afterAll(() => close());

const refusals = (actor: string) =>
  db.auditEntry.findMany({
    where: { actor, action: 'access.refused', entityId: 'queues.manage' },
    orderBy: { id: 'asc' },
  });

describe('the queue board ticket', () => {
  it('is issued to an administrator only, and a refusal is audited', async () => {
    await expect(issueQueueBoardTicket(db, 'nurse-1', t0)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining("Only administrators may manage the worker's queues"),
    });
    expect(await refusals('nurse-1')).toHaveLength(1);
    const issued = await issueQueueBoardTicket(db, 'admin-1', t0);
    expect(issued.expiresAt).toEqual(later(QUEUE_BOARD_TICKET_MS));
    expect(await db.queueBoardGrant.count({ where: { id: issued.ticket } })).toBe(0);
  });

  it('opens a session once, and every session request asks the permission table again', async () => {
    const { ticket } = await issueQueueBoardTicket(db, 'admin-1', t0);
    const opened = await openQueueBoard(db, ticket, { now: later(5_000), clientIp: '10.0.0.7' });
    expect(opened).toMatchObject({ ok: true, actor: { id: 'admin-1', kind: 'person' } });
    if (!opened.ok || !opened.session) throw new Error('not opened');
    expect(opened.session.expiresAt).toEqual(later(5_000 + QUEUE_BOARD_SESSION_MS));
    const entry = await db.auditEntry.findFirstOrThrow({
      where: { action: 'queues.board-opened', actor: 'admin-1' },
    });
    expect(entry.after).toMatchObject({ clientIp: '10.0.0.7' });

    // A second use of the same ticket is refused and audited under its user.
    expect(await openQueueBoard(db, ticket, { now: later(6_000) })).toEqual({
      ok: false,
      reason: 'The queue board ticket was already used.',
    });

    const token = opened.session.token;
    expect(await authenticateQueueBoard(db, token, { now: later(60_000) })).toMatchObject({
      ok: true,
    });
    expect(
      await authenticateQueueBoard(db, token, { now: later(5_000 + QUEUE_BOARD_SESSION_MS) }),
    ).toMatchObject({ ok: false, reason: 'The queue board session has ended.' });
    expect(await authenticateQueueBoard(db, undefined, { now: later(60_000) })).toMatchObject({
      ok: false,
    });
    expect(await authenticateQueueBoard(db, ticket, { now: later(60_000) })).toMatchObject({
      ok: false,
    });
  });

  it('refuses an expired ticket, and a user who lost the role since, ending their session', async () => {
    const late = await issueQueueBoardTicket(db, 'admin-2', t0);
    expect(
      await openQueueBoard(db, late.ticket, { now: later(QUEUE_BOARD_TICKET_MS) }),
    ).toMatchObject({ ok: false, reason: 'The queue board ticket has expired.' });

    const { ticket } = await issueQueueBoardTicket(db, 'admin-2', t0);
    const opened = await openQueueBoard(db, ticket, { now: later(1_000) });
    if (!opened.ok || !opened.session) throw new Error('not opened');
    await db.user.update({ where: { id: 'admin-2' }, data: { role: 'nurse' } });
    const refused = await authenticateQueueBoard(db, opened.session.token, { now: later(2_000) });
    expect(refused).toMatchObject({
      ok: false,
      reason: expect.stringContaining('you are signed in as a nurse'),
    });
    // Ended: even as an administrator again, the old session does not come back.
    await db.user.update({ where: { id: 'admin-2' }, data: { role: 'admin' } });
    expect(
      await authenticateQueueBoard(db, opened.session.token, { now: later(3_000) }),
    ).toMatchObject({ ok: false, reason: 'The queue board session has ended.' });
    expect(
      (await refusals('admin-2')).map((row) => (row.after as { reason: string }).reason),
    ).toEqual([
      'The queue board ticket has expired.',
      expect.stringContaining('you are signed in as a nurse'),
    ]);
  });

  it('refuses a ticket whose user was deactivated before it was used', async () => {
    const { ticket } = await issueQueueBoardTicket(db, 'admin-1', t0);
    await db.user.update({ where: { id: 'admin-1' }, data: { active: false } });
    try {
      expect(await openQueueBoard(db, ticket, { now: later(1_000) })).toMatchObject({
        ok: false,
        reason: expect.stringContaining('is not active'),
      });
    } finally {
      await db.user.update({ where: { id: 'admin-1' }, data: { active: true } });
    }
  });
});
