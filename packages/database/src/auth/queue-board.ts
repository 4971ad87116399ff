// The way into the worker's queue board, without a second password check. A signed-in
// administrator asks the dashboard for a ticket (Admin › Queues › "Open the queue board"): a
// random token, valid for a minute and for one use, whose SHA-256 is stored. The browser carries
// it to the worker, which exchanges it here for a board session of its own (another token, in a
// cookie, for half an hour). Every request to the board checks that session and asks the
// permission table again, so a deactivated or demoted administrator loses the board at once.
// The opening and every refusal that names a ticket or a session are audited.
import { createHash, randomBytes } from 'node:crypto';
import { type Actor, permission } from '@vfx/domain';
import type { Queryable, Transaction } from '../client.js';
import { loadActor, runCommand } from '../commands/run-command.js';
import { audit } from '../records/audit.js';
import { RecordError } from '../records/errors.js';
import { runWrite } from '../records/write-path.js';

/** How long a ticket may wait between the dashboard's click and the worker's exchange. */
export const QUEUE_BOARD_TICKET_MS = 60_000;
/** How long a board session lasts, however active: then the board is opened again from the dashboard. */
export const QUEUE_BOARD_SESSION_MS = 30 * 60_000;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export interface QueueBoardTicket {
  readonly ticket: string;
  readonly expiresAt: Date;
}

/**
 * Issues a ticket to open the worker's queue board, for `actorId`, who must be allowed
 * 'queues.manage' (refused and audited otherwise, like every command).
 */
export function issueQueueBoardTicket(
  db: Queryable,
  actorId: string,
  now = new Date(),
): Promise<QueueBoardTicket> {
  return runCommand(db, actorId, 'queues.manage', async ({ tx, actor, audit: write }) => {
    const ticket = newToken();
    const expiresAt = new Date(now.getTime() + QUEUE_BOARD_TICKET_MS);
    await tx.queueBoardGrant.create({
      data: { id: digest(ticket), kind: 'ticket', userId: actor.id, createdAt: now, expiresAt },
    });
    await write({
      action: 'queues.board-ticket-issued',
      entityType: 'user',
      entityId: actor.id,
      after: { expiresAt: expiresAt.toISOString() },
      at: now,
    });
    return { ticket, expiresAt };
  });
}

export type QueueBoardAccess =
  | {
      readonly ok: true;
      readonly actor: Actor;
      /** The board session's token (for the cookie) and end; only from `openQueueBoard`. */
      readonly session?: { readonly token: string; readonly expiresAt: Date };
    }
  | { readonly ok: false; readonly reason: string };

async function refuse(
  tx: Transaction,
  actor: string,
  reason: string,
  now: Date,
  clientIp: string | null,
): Promise<QueueBoardAccess> {
  await audit(tx, {
    actor,
    action: 'access.refused',
    entityType: 'action',
    entityId: 'queues.manage',
    after: { reason, via: 'queue-board', clientIp },
    at: now,
  });
  return { ok: false, reason };
}

/** The actor of a user id if the permission table lets them manage the queues, or why not. */
async function allowed(
  tx: Queryable,
  userId: string,
): Promise<{ readonly actor: Actor } | { readonly refused: string }> {
  let actor: Actor;
  try {
    actor = await loadActor(tx, userId);
  } catch (error) {
    if (error instanceof RecordError && error.code === 'forbidden')
      return { refused: error.message };
    throw error;
  }
  const decision = permission(actor, 'queues.manage');
  return decision.allowed ? { actor } : { refused: decision.reason };
}

export interface QueueBoardOptions {
  readonly now?: Date;
  /** The client's address, kept in the audit entry. */
  readonly clientIp?: string | null;
}

/**
 * Exchanges a ticket for a board session. The ticket is used up whatever the answer; an unknown,
 * used or expired ticket, an inactive user and one the permission table refuses are audited.
 */
export function openQueueBoard(
  db: Queryable,
  ticket: string,
  options: QueueBoardOptions = {},
): Promise<QueueBoardAccess> {
  const now = options.now ?? new Date();
  const clientIp = options.clientIp ?? null;
  return runWrite(db, async (tx) => {
    const [grant] = await tx.$queryRaw<
      { user_id: string; expires_at: Date; used_at: Date | null }[]
    >`SELECT user_id, expires_at, used_at FROM queue_board_grants
      WHERE id = ${digest(ticket)} AND kind = 'ticket' FOR UPDATE`;
    if (!grant) {
      return refuse(tx, 'anonymous', 'The queue board ticket is not known.', now, clientIp);
    }
    if (grant.used_at) {
      return refuse(tx, grant.user_id, 'The queue board ticket was already used.', now, clientIp);
    }
    await tx.queueBoardGrant.update({ where: { id: digest(ticket) }, data: { usedAt: now } });
    if (grant.expires_at.getTime() <= now.getTime()) {
      return refuse(tx, grant.user_id, 'The queue board ticket has expired.', now, clientIp);
    }
    const check = await allowed(tx, grant.user_id);
    if ('refused' in check) return refuse(tx, grant.user_id, check.refused, now, clientIp);
    const { actor } = check;
    const token = newToken();
    const expiresAt = new Date(now.getTime() + QUEUE_BOARD_SESSION_MS);
    await tx.queueBoardGrant.create({
      data: { id: digest(token), kind: 'session', userId: actor.id, createdAt: now, expiresAt },
    });
    await audit(tx, {
      actor: actor.id,
      action: 'queues.board-opened',
      entityType: 'user',
      entityId: actor.id,
      after: { expiresAt: expiresAt.toISOString(), clientIp },
      at: now,
    });
    return { ok: true, actor, session: { token, expiresAt } };
  });
}

/**
 * The board session of a cookie's token. No token, an unknown one and an ended one are refused
 * without an audit entry (a board left open polls after its session ends); a live session whose
 * user is no longer active or allowed is refused, ended and audited.
 */
export async function authenticateQueueBoard(
  db: Queryable,
  token: string | undefined,
  options: QueueBoardOptions = {},
): Promise<QueueBoardAccess> {
  const now = options.now ?? new Date();
  if (!token) return { ok: false, reason: 'No queue board session.' };
  const grant = await db.queueBoardGrant.findUnique({ where: { id: digest(token) } });
  const live =
    grant?.kind === 'session' && !grant.usedAt && grant.expiresAt.getTime() > now.getTime();
  if (!grant || !live) {
    return { ok: false, reason: 'The queue board session has ended.' };
  }
  const check = await allowed(db, grant.userId);
  if ('actor' in check) return { ok: true, actor: check.actor };
  return runWrite(db, async (tx) => {
    await tx.queueBoardGrant.update({ where: { id: grant.id }, data: { usedAt: now } });
    return refuse(tx, grant.userId, check.refused, now, options.clientIp ?? null);
  });
}
