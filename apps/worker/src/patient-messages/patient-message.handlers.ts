import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@vfx/database';
import {
  claimPatientMessage,
  markPatientMessageAttemptFailed,
  markPatientMessageSent,
} from '@vfx/database/jobs';
import { DelayedError } from 'bullmq';
import type { WorkerConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { JobHandlers } from '../queue/dispatcher.js';
import { JOB_CATALOG, messageIdOfSendId } from '../queue/job-catalog.js';
import { CLOCK, type Clock, CONFIG, DATABASE, LOGGER, PATIENT_SENDER } from '../tokens.js';
import { PatientMessageSendError, type PatientMessageSender } from './senders.js';

/**
 * Sends patient messages at their time. Each attempt claims the message (the domain's check at
 * send runs inside the claim: opted out since, step completed, dose recorded, episode closed,
 * outside the sending hours), in its own committed transaction, before anything goes out; the
 * sender then sends it with the message id as Notify's reference, and the outcome is recorded.
 * packages/database patient-messages/sends.ts states the guarantee.
 */
@Injectable()
export class PatientMessageHandlers {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: WorkerConfig,
    @Inject(PATIENT_SENDER) private readonly sender: PatientMessageSender,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  readonly handlers: JobHandlers = {
    'send-patient-message': async ({ sendId }, job, token) => {
      const messageId = messageIdOfSendId(sendId);
      const claim = await claimPatientMessage(this.db, messageId, {
        workerId: this.workerId,
        now: this.clock(),
        leaseMs: this.config.PATIENT_MESSAGE_LEASE_SECONDS * 1000,
      });
      if (claim.kind === 'skip') return { skipped: claim.why };
      if (claim.kind === 'cancelled') {
        this.logger.info({ messageId, why: claim.why }, 'patient message cancelled at send');
        return { cancelled: claim.why };
      }
      if (claim.kind === 'wait') {
        if (!claim.lease) return { moved: claim.until.toISOString(), why: claim.why };
        // Another worker's attempt may still be under way: come back when its lease ends,
        // without using up one of the job's attempts.
        await job.moveToDelayed(
          Date.now() + (claim.until.getTime() - this.clock().getTime()) + 1_000,
          token,
        );
        throw new DelayedError();
      }
      const { message } = claim;
      try {
        const result = await this.sender.send(message);
        await markPatientMessageSent(this.db, {
          messageId,
          notifyId: result.notifyId,
          providerStatus: result.providerStatus,
          now: this.clock(),
        });
        if (result.repeat) {
          this.logger.warn(
            { messageId, notifyId: result.notifyId },
            'an earlier attempt had reached the receiver: recorded, not sent again',
          );
        }
        return { sent: true, repeat: result.repeat, notifyId: result.notifyId };
      } catch (error) {
        const retriable = !(error instanceof PatientMessageSendError) || error.retriable;
        const attempts = job.opts?.attempts ?? JOB_CATALOG['send-patient-message'].options.attempts;
        const final = job.attemptsMade + 1 >= attempts;
        const words = (error as Error).message;
        await markPatientMessageAttemptFailed(this.db, {
          messageId,
          error: retriable && final ? `${words} (gave up after ${attempts} attempts)` : words,
          retriable: retriable && !final,
          now: this.clock(),
        });
        this.logger.warn(
          { messageId, attempt: job.attemptsMade + 1, retriable, final, err: error },
          'patient message not sent',
        );
        // A refusal is final: failing the job again would only repeat it.
        if (!retriable) return { failed: words };
        throw error;
      }
    },
  };
}
