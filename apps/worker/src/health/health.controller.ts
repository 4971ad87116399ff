import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Database } from '@vfx/database';
import type { Response } from 'express';
import type { WorkerConfig } from '../config/env.js';
import { Queues } from '../queue/queues.js';
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
  ) {}

  /** The process is up (for restarts); says nothing about its dependencies. */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready to work: the database and the queue backend both answer. */
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
      check(() => this.db.$queryRaw`SELECT 1`),
      check(() => this.queues.followUps.getJobCounts('delayed')),
    ]);
    const ok = database.status === 'ok' && queue.status === 'ok';
    response.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'unavailable',
      checks: { database, queue: { ...queue, backend: this.config.queueBackend } },
    };
  }
}
