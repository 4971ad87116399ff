import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { type Database, pingDatabase } from '@vfx/database';
import type { Response } from 'express';
import type { WorkerConfig } from '../config/env.js';
import { Queues } from '../queue/queues.js';
import { Reconciler } from '../reconciliation/reconciler.service.js';
import { CONFIG, DATABASE } from '../tokens.js';

const withTimeout = <T>(work: Promise<T>, ms: number) =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(Queues) private readonly queues: Queues,
    @Inject(Reconciler) private readonly reconciler: Reconciler,
  ) {}

  /** The process is up (for restarts); says nothing about its dependencies. */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready to work: the database and the queue backend both answer (503 otherwise). While the
   * worker repairs a queue store that lost data it says "reconciling", still with 200: it is
   * working, and the repair is what makes due steps fire again. A probe that failed it could get
   * it restarted or taken out of service mid-repair, leaving the steps late until the next start
   * or RECONCILE_INTERVAL_SECONDS. The queueStore check says when a loss was last found.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const check = async (work: () => Promise<unknown>) => {
      try {
        await withTimeout(work(), 2_000);
        return { status: 'ok' as const };
      } catch (error) {
        return { status: 'failed' as const, error: (error as Error).message };
      }
    };
    const [database, queue] = await Promise.all([
      check(() => pingDatabase(this.db)),
      check(() => this.queues.followUps.getJobCounts('delayed')),
    ]);
    const ok = database.status === 'ok' && queue.status === 'ok';
    const store = this.reconciler.storeStatus();
    response.status(ok ? 200 : 503);
    return {
      status: !ok ? 'unavailable' : store.repairing ? 'reconciling' : 'ok',
      checks: {
        database,
        queue: { ...queue, backend: this.config.queueBackend },
        queueStore: {
          status: store.repairing ? ('reconciling' as const) : ('ok' as const),
          lastLossDetectedAt: store.lastLossDetectedAt?.toISOString() ?? null,
          ...(store.lastLoss.length > 0 ? { lastLoss: store.lastLoss } : {}),
        },
      },
    };
  }
}
