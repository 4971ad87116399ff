import { Inject, Injectable } from '@nestjs/common';
import {
  type Database,
  deliveryToSend,
  markDeliveryAttemptFailed,
  markDeliverySent,
} from '@vfx/database';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import type { JobHandlers } from '../queue/dispatcher.js';
import { JOB_CATALOG } from '../queue/job-catalog.js';
import { CONFIG, DATABASE, LOGGER, MAILER, METRICS } from '../tokens.js';
import type { Mailer } from './mailer.js';

/**
 * Sends e-mail reminders. A failed attempt is recorded on the delivery (attempts, last error)
 * before BullMQ retries it; after the last attempt the delivery is marked failed, where the
 * scheduler's list shows it. Nothing is only logged.
 */
@Injectable()
export class ReminderHandlers {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  readonly handlers: JobHandlers = {
    'deliver-reminder': async ({ deliveryId }, job) => {
      const delivery = await deliveryToSend(this.db, deliveryId);
      if (delivery?.state !== 'pending' || !delivery.recipient) {
        this.metrics.deliveries.inc({ result: 'skipped' });
        return { skipped: true };
      }
      const { reminder } = delivery;
      const link = new URL(
        `/episodes/${encodeURIComponent(reminder.episodeId)}`,
        this.config.DASHBOARD_URL,
      );
      // A manual reminder ("send now") may be about a step that is not due yet: say what it is.
      const headline =
        reminder.kind === 'manual'
          ? {
              subject: 'Reminder',
              line: 'A scheduler sent you a reminder about a step on your fracture liaison caseload',
            }
          : reminder.kind === 'overdue'
            ? { subject: 'Overdue', line: 'A step on your fracture liaison caseload is overdue' }
            : { subject: 'Due', line: 'A step on your fracture liaison caseload is due' };
      try {
        await this.mailer.send({
          to: delivery.recipient,
          subject: `${reminder.urgent ? 'URGENT: ' : ''}${headline.subject}: ${reminder.stepTitle}`,
          text: [
            `${headline.line}: ${reminder.stepTitle}.`,
            reminder.urgent ? 'It is marked urgent.' : '',
            `Open it in the dashboard (sign-in required): ${link.toString()}`,
            '',
            'No patient details are sent by e-mail.',
          ]
            .filter((line) => line !== '')
            .join('\n'),
        });
      } catch (error) {
        const attempts = JOB_CATALOG['deliver-reminder'].options.attempts;
        const final = job.attemptsMade + 1 >= attempts;
        await markDeliveryAttemptFailed(this.db, deliveryId, (error as Error).message, final);
        this.metrics.deliveries.inc({ result: final ? 'failed' : 'retrying' });
        this.logger.warn(
          { deliveryId, attempt: job.attemptsMade + 1, final, err: (error as Error).message },
          'e-mail reminder failed',
        );
        throw error;
      }
      await markDeliverySent(this.db, deliveryId);
      this.metrics.deliveries.inc({ result: 'sent' });
      return { sent: true };
    },
  };
}
