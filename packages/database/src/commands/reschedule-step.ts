// A scheduler moves a step's due reminder within its window.
import type { Queryable } from '../client.js';
import type { WriteOptions } from '../records/write-path.js';
import { type RecordEventResult, recordEvent } from './record-event.js';
import { runCommand } from './run-command.js';

export interface RescheduleStepInput {
  readonly episodeId: string;
  readonly stepKey: string;
  /** The working day (YYYY-MM-DD, service time zone) the due reminder should fire on. */
  readonly remindOn: unknown;
  readonly reason: unknown;
}

/**
 * Moves a step's due reminder within its window. Schedulers and administrators only
 * ('reminder.reschedule'). The domain decides whether the day is allowed (packages/domain
 * `step-rescheduled`); the entry is recorded through the write path in this command's
 * transaction, so the plan, the follow-ups, the queue (through the outbox) and the audit log
 * change together. Problems come back as `invalid-input` issues on `event.remindOn`,
 * `event.reason` or `event.stepKey`.
 */
export function rescheduleStep(
  db: Queryable,
  input: RescheduleStepInput,
  options: WriteOptions,
): Promise<RecordEventResult> {
  const now = options.now ?? new Date();
  return runCommand(db, options.actorId, 'reminder.reschedule', async ({ tx, audit }) => {
    const result = await recordEvent(
      tx,
      {
        episodeId: input.episodeId,
        event: {
          type: 'step-rescheduled',
          stepKey: input.stepKey,
          remindOn: input.remindOn,
          reason: input.reason,
          occurredAt: now.toISOString(),
        },
      },
      { ...options, now },
    );
    // The entry itself is audited as 'event.recorded'; this names the step whose reminder moved,
    // so "who moved this step's reminder" is found by the step.
    await audit({
      action: 'reminder.rescheduled',
      entityType: 'plan-step',
      entityId: `${input.episodeId}/${input.stepKey}`,
      patientId: result.plan.patientId,
      after: { eventId: result.event.id, remindOn: input.remindOn, reason: input.reason },
      at: now,
    });
    return result;
  });
}
