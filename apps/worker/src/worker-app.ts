import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createDatabase, type Database } from '@vfx/database';
import { setDefaultBackendFactory } from 'bullmq';
import { QUEUE_BOARD_PATH, queueBoardGate, queueBoardRouter } from './admin/queue-board.js';
import { WorkerModule } from './app.module.js';
import type { WorkerConfig } from './config/env.js';
import { securityHeaders } from './http-security.js';
import { createLogger, type Logger, NestPinoLogger } from './logger.js';
import { OutboxRelay } from './outbox/outbox-relay.service.js';
import {
  createPatientMessageSender,
  type PatientMessageSender,
} from './patient-messages/senders.js';
import { queueBackend } from './queue/connection.js';
import { Queues } from './queue/queues.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import { createMailer, type Mailer } from './reminders/mailer.js';
import type { Clock } from './tokens.js';

export interface WorkerApp {
  readonly app: NestExpressApplication;
  readonly db: Database;
  readonly logger: Logger;
  /** http://host:port the operations endpoints answer on. */
  readonly url: string;
  readonly queues: Queues;
  readonly relay: OutboxRelay;
  readonly reconciler: Reconciler;
  /** Stops taking jobs, lets running ones finish, then closes queues, mail and database. */
  close(): Promise<void>;
}

export interface WorkerAppOptions {
  readonly logger?: Logger;
  readonly mailer?: Mailer;
  readonly patientSender?: PatientMessageSender;
  readonly clock?: Clock;
}

export async function startWorker(
  config: WorkerConfig,
  options: WorkerAppOptions = {},
): Promise<WorkerApp> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  // @nestjs/bullmq builds its queues and workers itself; this tells BullMQ which backend to use.
  setDefaultBackendFactory(queueBackend(config));
  const db = createDatabase(config.DATABASE_URL, {
    maxConnections: config.WORKER_CONCURRENCY + 6,
    applicationName: 'vfx-worker',
  });
  const mailer = options.mailer ?? createMailer(config);
  const patientSender = options.patientSender ?? createPatientMessageSender(config);
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      WorkerModule.register({
        config,
        db,
        logger,
        mailer,
        patientSender,
        ...(options.clock ? { clock: options.clock } : {}),
      }),
      { logger: new NestPinoLogger(logger), abortOnError: false },
    );
    const queues = app.get(Queues);
    // First, so every answer has them: health, metrics, the queue board and its refusals.
    app.use(securityHeaders());
    app.use(
      QUEUE_BOARD_PATH,
      queueBoardGate(db, {
        dashboardUrl: config.DASHBOARD_URL,
        secureCookies: config.SECURE_COOKIES,
        ...(options.clock ? { now: options.clock } : {}),
      }),
      queueBoardRouter(queues.all()),
    );
    await app.listen(config.PORT, config.HOST);
    const address = app.getHttpServer().address() as { port: number };
    const url = `http://${config.HOST}:${address.port}`;
    logger.info(
      {
        url,
        queueBackend: config.queueBackend,
        mail: mailer.destination,
        patientMessages: patientSender.destination,
      },
      'worker ready',
    );
    const started = app;
    let closing: Promise<void> | undefined;
    return {
      app: started,
      db,
      logger,
      url,
      queues,
      relay: app.get(OutboxRelay),
      reconciler: app.get(Reconciler),
      close() {
        closing ??= (async () => {
          await started.close();
          mailer.close();
          await db.$disconnect();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    mailer.close();
    await db.$disconnect();
    throw error;
  }
}
