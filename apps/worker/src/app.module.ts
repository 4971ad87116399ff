import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Database } from '@vfx/database';
import type { WorkerConfig } from './config/env.js';
import { FhirExportHandlers } from './fhir-export/fhir-export.handlers.js';
import { FhirExportSweeper } from './fhir-export/fhir-export.sweeper.js';
import { FollowUpHandlers } from './follow-ups/follow-up.handlers.js';
import { HealthController } from './health/health.controller.js';
import type { Logger } from './logger.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { WorkerMetrics } from './metrics/metrics.js';
import { StateGauges } from './metrics/state-gauges.js';
import { OutboxRelay } from './outbox/outbox-relay.service.js';
import { PatientMessageHandlers } from './patient-messages/patient-message.handlers.js';
import type { PatientMessageSender } from './patient-messages/senders.js';
import { queueConnection } from './queue/connection.js';
import { createDispatcher, reportFailures } from './queue/dispatcher.js';
import { QUEUES, type QueueName } from './queue/job-catalog.js';
import { Queues } from './queue/queues.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import type { Mailer } from './reminders/mailer.js';
import { ReminderHandlers } from './reminders/reminder.handlers.js';
import {
  CLOCK,
  type Clock,
  CONFIG,
  DATABASE,
  LOGGER,
  MAILER,
  METRICS,
  PATIENT_SENDER,
} from './tokens.js';

export interface WorkerDependencies {
  readonly config: WorkerConfig;
  readonly db: Database;
  readonly logger: Logger;
  readonly mailer: Mailer;
  readonly patientSender: PatientMessageSender;
  readonly clock?: Clock;
}

/** Providers every module of the worker may inject; created outside Nest, closed after it. */
@Module({})
class CoreModule {
  static register(deps: WorkerDependencies): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: DATABASE, useValue: deps.db },
        { provide: LOGGER, useValue: deps.logger },
        { provide: MAILER, useValue: deps.mailer },
        { provide: PATIENT_SENDER, useValue: deps.patientSender },
        { provide: METRICS, useValue: new WorkerMetrics() },
        { provide: CLOCK, useValue: deps.clock ?? (() => new Date()) },
        FollowUpHandlers,
        ReminderHandlers,
        FhirExportHandlers,
        PatientMessageHandlers,
      ],
      exports: [
        CONFIG,
        DATABASE,
        LOGGER,
        MAILER,
        PATIENT_SENDER,
        METRICS,
        CLOCK,
        FollowUpHandlers,
        ReminderHandlers,
        FhirExportHandlers,
        PatientMessageHandlers,
      ],
    };
  }
}

/**
 * One queue with its workers; the processor is the catalog dispatcher over every handler.
 * `concurrency` overrides WORKER_CONCURRENCY (FHIR exports run one at a time per process: each
 * holds a batch of records in memory and keeps a database connection busy).
 */
function queue(name: QueueName, concurrency?: number) {
  return BullModule.registerQueueAsync({
    name,
    inject: [
      CONFIG,
      LOGGER,
      METRICS,
      FollowUpHandlers,
      ReminderHandlers,
      FhirExportHandlers,
      PatientMessageHandlers,
    ],
    useFactory: (
      config: WorkerConfig,
      logger: Logger,
      metrics: WorkerMetrics,
      followUps: FollowUpHandlers,
      reminders: ReminderHandlers,
      fhirExports: FhirExportHandlers,
      patientMessages: PatientMessageHandlers,
    ) => ({
      ...queueConnection(config),
      processors: [
        {
          callback: reportFailures(
            createDispatcher(name, [
              followUps.handlers,
              reminders.handlers,
              fhirExports.handlers,
              patientMessages.handlers,
            ]),
            logger,
            metrics,
          ),
          concurrency: concurrency ?? config.WORKER_CONCURRENCY,
          lockDuration: config.JOB_LOCK_MS,
          stalledInterval: Math.max(1_000, Math.floor(config.JOB_LOCK_MS / 2)),
          maxStalledCount: 5,
        },
      ],
    }),
  });
}

@Module({})
export class WorkerModule {
  static register(deps: WorkerDependencies): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.register(deps),
        BullModule.forRoot(queueConnection(deps.config)),
        queue(QUEUES.followUps),
        queue(QUEUES.reminderDeliveries),
        queue(QUEUES.fhirExports, 1),
        queue(QUEUES.patientMessages),
      ],
      controllers: [HealthController, MetricsController],
      providers: [Queues, OutboxRelay, Reconciler, StateGauges, FhirExportSweeper],
    };
  }
}
