import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Database } from '@vfx/database';
import { authenticateQueueBoard, openQueueBoard } from '@vfx/database/auth';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';

export const QUEUE_BOARD_PATH = '/admin/queues';
/** Where the dashboard sends an administrator with a ticket (see @vfx/database/auth). */
export const QUEUE_BOARD_OPEN_PATH = `${QUEUE_BOARD_PATH}/open`;
export const QUEUE_BOARD_COOKIE = 'vfx_queue_board';

export interface QueueBoardGateOptions {
  /** The dashboard's address, for the way in shown to a refused visitor. */
  readonly dashboardUrl: string;
  /** Mark the board's cookie Secure (HTTPS only). */
  readonly secureCookies: boolean;
  readonly now?: () => Date;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Only administrators may open the queue board, and only through the dashboard's sessions: no
 * password is checked here. Admin › Queues on the dashboard issues a single-use ticket and sends
 * the browser to /admin/queues/open?ticket=...; the worker exchanges it (in the database) for a
 * board session in an HttpOnly cookie and sends the browser on to the board, so the ticket does
 * not stay in the address bar. Every later request checks that session and asks the permission
 * table ('queues.manage') again.
 */
export function queueBoardGate(db: Database, options: QueueBoardGateOptions) {
  const now = () => options.now?.() ?? new Date();
  const wayIn = `${options.dashboardUrl.replace(/\/+$/, '')}/admin/queues`;
  const refuse = (res: Response, status: 401 | 403, reason: string) =>
    res
      .status(status)
      .set('Cache-Control', 'no-store')
      .type('text/plain')
      .send(
        `${reason}\nOpen the queue board from the dashboard, signed in as an administrator: Admin › Queues › "Open the queue board" (${wayIn}).\n`,
      );
  const setCookie = (res: Response, value: string, maxAgeSeconds: number) =>
    res.append(
      'Set-Cookie',
      [
        `${QUEUE_BOARD_COOKIE}=${value}`,
        `Path=${QUEUE_BOARD_PATH}`,
        `Max-Age=${maxAgeSeconds}`,
        'HttpOnly',
        'SameSite=Lax',
        ...(options.secureCookies ? ['Secure'] : []),
      ].join('; '),
    );

  return async (req: Request, res: Response, next: NextFunction) => {
    const clientIp = req.socket.remoteAddress ?? null;
    try {
      // Mounted at QUEUE_BOARD_PATH, so req.path is relative to it.
      if (req.path === '/open') {
        res.set('Referrer-Policy', 'no-referrer');
        const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : '';
        if (req.method !== 'GET' || !ticket) {
          return refuse(res, 401, 'This address needs a ticket from the dashboard.');
        }
        const at = now();
        const opened = await openQueueBoard(db, ticket, { now: at, clientIp });
        if (!opened.ok) return refuse(res, 403, opened.reason);
        if (!opened.session) throw new Error('An opened queue board has no session');
        const seconds = Math.floor((opened.session.expiresAt.getTime() - at.getTime()) / 1000);
        setCookie(res, opened.session.token, seconds);
        return res.set('Cache-Control', 'no-store').redirect(303, `${QUEUE_BOARD_PATH}/`);
      }
      const token = cookie(req, QUEUE_BOARD_COOKIE);
      const access = await authenticateQueueBoard(db, token, { now: now(), clientIp });
      if (!access.ok) {
        // An ended session's cookie is cleared, so a board left open stops presenting it.
        if (token) setCookie(res, '', 0);
        return refuse(res, 401, access.reason);
      }
      return next();
    } catch (error) {
      return next(error);
    }
  };
}

export function queueBoardRouter(queues: readonly Queue[]) {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  return serverAdapter.getRouter();
}
