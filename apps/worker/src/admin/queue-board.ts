import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Database } from '@vfx/database';
import { verifyPassword } from '@vfx/database/auth';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';

export const QUEUE_BOARD_PATH = '/admin/queues';
const CACHE_MS = 60_000;

/**
 * Only administrators may open the queue inspection UI: HTTP Basic sign-in with an active admin
 * user's e-mail and password. A verified sign-in is remembered for a minute (scrypt is slow on
 * purpose, and the board makes many requests).
 */
export function adminOnly(db: Database) {
  const verified = new Map<string, number>();
  const refuse = (res: Response, status: 401 | 403, message: string) =>
    res
      .status(status)
      .set('WWW-Authenticate', 'Basic realm="FLS queue inspection", charset="UTF-8"')
      .type('text/plain')
      .send(message);
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const key = createHash('sha256').update(header).digest('hex');
    if ((verified.get(key) ?? 0) > Date.now()) return next();
    const [scheme, encoded] = header.split(' ');
    if (scheme !== 'Basic' || !encoded) return refuse(res, 401, 'Sign in as an administrator.');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const email = decoded.slice(0, colon).trim().toLowerCase();
    const password = decoded.slice(colon + 1);
    try {
      const user = await db.user.findUnique({ where: { email } });
      const ok =
        !!user?.passwordHash && user.active && (await verifyPassword(password, user.passwordHash));
      if (!ok) return refuse(res, 401, 'Wrong e-mail or password.');
      if (user.role !== 'admin')
        return refuse(res, 403, 'Only administrators can open the queue inspection UI.');
      verified.set(key, Date.now() + CACHE_MS);
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
