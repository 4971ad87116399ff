import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@vfx/database';
import {
  claimDelivery,
  type DeliveryToSend,
  markDeliveryAttemptFailed,
  markDeliverySent,
} from '@vfx/database/jobs';
import { DelayedError } from 'bullmq';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import type { JobHandlers } from '../queue/dispatcher.js';
import { JOB_CATALOG } from '../queue/job-catalog.js';
import { CONFIG, DATABASE, LOGGER, MAILER, METRICS } from '../tokens.js';
import type { Mail, Mailer } from './mailer.js';

/**
 * Sends e-mail reminders, at least once under a stable Message-ID (packages/database
 * follow-ups/deliveries.ts states the guarantee). Each attempt claims the delivery first, in its
 * own committed transaction; a failed attempt is recorded on the delivery (attempts, last error)
 * before BullMQ retries it, and after the last attempt the delivery is marked failed, where the
 * scheduler's list shows it. Nothing is only logged.
 */
@Injectable()
export class ReminderHandlers {
  /** Names this process in each claim, so a claim shows which worker began an attempt. */
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /**
   * Deliveries this process sent but could not yet record as sent (the database was away). The
   * job's retry records them without sending again.
   */
  private readonly sentNotRecorded = new Map<string, Date>();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private get leaseMs() {
    return this.config.DELIVERY_LEASE_SECONDS * 1000;
  }

  readonly handlers: JobHandlers = {
    'deliver-reminder': async ({ deliveryId }, job, token) => {
      const sentAt = this.sentNotRecorded.get(deliveryId);
      if (sentAt) {
        await markDeliverySent(this.db, deliveryId, sentAt);
        this.sentNotRecorded.delete(deliveryId);
        this.metrics.deliveries.inc({ result: 'sent' });
        return { sent: true, recordedLate: true };
      }
      // Leases are about processes, not the pathway: they run on the machine's clock.
      const claim = await claimDelivery(this.db, deliveryId, {
        workerId: this.workerId,
        now: new Date(),
        leaseMs: this.leaseMs,
      });
      if (claim.kind === 'skip') {
        this.metrics.deliveries.inc({ result: 'skipped' });
        return { skipped: claim.why };
      }
      if (claim.kind === 'wait') {
        // Another worker's attempt may still be under way (or that worker died and its lease has
        // not run out): come back when the lease ends, without using up one of the job's attempts.
        this.logger.info(
          { deliveryId, holder: claim.holder, until: claim.until.toISOString() },
          'e-mail delivery claimed by another attempt; waiting for its lease to end',
        );
        await job.moveToDelayed(claim.until.getTime() + 1_000, token);
        throw new DelayedError();
      }
      if (claim.resend) {
        this.metrics.deliveries.inc({ result: 'resent' });
        this.logger.warn(
          { deliveryId },
          'an earlier attempt of this e-mail ended with no outcome (its worker stopped); sending it again under the same Message-ID',
        );
      }
      try {
        const receipt = await this.mailer.send(this.mail(claim.delivery));
        if (receipt.repeat) this.metrics.deliveries.inc({ result: 'repeat-discarded' });
      } catch (error) {
        // The job's own limit: a job queued with other options (a test, an operator) is honoured.
        const attempts = job.opts?.attempts ?? JOB_CATALOG['deliver-reminder'].options.attempts;
        const final = job.attemptsMade + 1 >= attempts;
        await markDeliveryAttemptFailed(this.db, deliveryId, {
          workerId: this.workerId,
          error: (error as Error).message,
          final,
        });
        this.metrics.deliveries.inc({ result: final ? 'failed' : 'retrying' });
        this.logger.warn(
          { deliveryId, attempt: job.attemptsMade + 1, final, err: error },
          'e-mail reminder failed',
        );
        throw error;
      }
      await this.recordSent(deliveryId, new Date());
      this.metrics.deliveries.inc({ result: 'sent' });
      return { sent: true };
    },
  };

  private mail(delivery: DeliveryToSend): Mail {
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
    return {
      deliveryId: delivery.id,
      to: delivery.recipient as string,
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
    };
  }

  /**
   * The mail has gone: record it, retrying through a short database outage (a restart) for as
   * long as the claim's lease allows. If the database is still away, the job fails this attempt
   * and its retry records the send without sending again.
   */
  private async recordSent(deliveryId: string, sentAt: Date) {
    const giveUpAt = Date.now() + this.leaseMs / 2;
    for (let wait = 250; ; wait = Math.min(wait * 2, 4_000)) {
      try {
        await markDeliverySent(this.db, deliveryId, sentAt);
        return;
      } catch (error) {
        if (Date.now() + wait > giveUpAt) {
          this.sentNotRecorded.set(deliveryId, sentAt);
          this.logger.error(
            { deliveryId, err: error },
            'e-mail sent but not yet recorded; the retry records it without sending again',
          );
          throw error;
        }
        await sleep(wait);
      }
    }
  }
}
