// The one writer of reminders. The domain's reminder policy (packages/domain
// src/reminders/policy.ts) decides what reminder a step gets, what it supersedes and what closes;
// this turns those decisions into rows, in the caller's transaction: the reminder, its in-app
// delivery (delivered when written: it is the worklist row), its e-mail delivery (pending, sent by
// the worker) and the e-mail's outbox message. A fired follow-up and a scheduler's "send now" both
// write through here, so their rows have one shape.
import { randomUUID } from 'node:crypto';
import {
  type NewReminder,
  type ResponsibleNurse,
  remindersClosedBySettling,
  type StepStatus,
} from '@vfx/domain';
import { insertMany } from '../bulk-insert.js';
import type { Transaction } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { enqueueMany, OUTBOX_KINDS } from '../outbox/catalog.js';

/**
 * The patient's nurse columns that a locking query reads beside the episode
 * (`LEFT JOIN users u ON u.id = p.nurse_id`: u.name, u.email, u.active).
 */
export interface NurseColumns {
  readonly nurseId: string | null;
  readonly nurseName: string | null;
  readonly nurseEmail: string | null;
  readonly nurseActive: boolean | null;
}

/** The patient's responsible nurse as the reminder policy takes them; null when there is none. */
export function responsibleNurse(row: NurseColumns): ResponsibleNurse | null {
  if (!row.nurseId) return null;
  return {
    id: row.nurseId,
    name: row.nurseName ?? row.nurseId,
    email: row.nurseEmail ?? '',
    active: row.nurseActive === true,
  };
}

/** A reminder the policy decided on, with the step it is about. */
export interface ReminderToWrite {
  readonly episodeId: string;
  readonly stepKey: string;
  /** Kept on the reminder: the e-mail and the worklist show it after the plan has moved on. */
  readonly stepTitle: string;
  /** The follow-up that fired it; null for a reminder sent by hand. */
  readonly followUpId: string | null;
  readonly reminder: NewReminder;
}

export interface WrittenReminder {
  readonly reminderId: string;
  /** The e-mail delivery, when the policy sends one. */
  readonly emailDeliveryId: string | undefined;
}

/**
 * Writes reminders and their deliveries, supersedes what they replace, and queues their e-mails,
 * in a fixed number of statements however many there are. Returns one entry per input, in order.
 */
export async function writeReminders(
  tx: Transaction,
  items: readonly ReminderToWrite[],
  now: Date,
): Promise<WrittenReminder[]> {
  if (items.length === 0) return [];
  await supersedeReminders(
    tx,
    items.flatMap((item) => item.reminder.supersedes),
    now,
  );
  const reminders: Prisma.ReminderCreateManyInput[] = [];
  const deliveries: Prisma.ReminderDeliveryCreateManyInput[] = [];
  const emails: string[] = [];
  const written = items.map((item): WrittenReminder => {
    const reminderId = randomUUID();
    reminders.push({
      id: reminderId,
      followUpId: item.followUpId,
      episodeId: item.episodeId,
      stepKey: item.stepKey,
      stepTitle: item.stepTitle,
      kind: item.reminder.kind,
      urgent: item.reminder.urgent,
      requestedBy: item.reminder.requestedBy,
      nurseId: item.reminder.nurseId,
      createdAt: now,
    });
    let emailDeliveryId: string | undefined;
    for (const delivery of item.reminder.deliveries) {
      const id = randomUUID();
      if (delivery.channel === 'in_app') {
        deliveries.push({
          id,
          reminderId,
          channel: 'in_app',
          state: 'sent',
          attempts: 1,
          sentAt: now,
          recipient: delivery.recipient,
        });
      } else {
        emailDeliveryId = id;
        emails.push(id);
        deliveries.push({ id, reminderId, channel: 'email', recipient: delivery.recipient });
      }
    }
    return { reminderId, emailDeliveryId };
  });
  await insertMany(tx, 'reminders', reminders);
  await insertMany(tx, 'reminder_deliveries', deliveries);
  await queueDeliveries(tx, OUTBOX_KINDS.deliverReminder, emails);
  return written;
}

/** Open reminders an escalation replaced: off the worklist, kept as history. */
async function supersedeReminders(tx: Transaction, ids: readonly string[], now: Date) {
  if (ids.length === 0) return;
  await tx.reminder.updateMany({
    where: { id: { in: [...ids] }, status: 'open' },
    data: { status: 'superseded', resolvedAt: now },
  });
}

/**
 * Closes the open reminders of an episode's steps that no longer need action, as the policy
 * says (remindersClosedBySettling), after a change of its plan.
 */
export async function closeRemindersOfSettledSteps(
  tx: Transaction,
  episodeId: string,
  steps: readonly { readonly key: string; readonly status: StepStatus }[],
  now: Date,
): Promise<void> {
  const closing = remindersClosedBySettling(steps);
  if (closing.stepKeys.length === 0) return;
  await tx.reminder.updateMany({
    where: { episodeId, stepKey: { in: [...closing.stepKeys] }, status: 'open' },
    data: { status: closing.as, resolvedAt: now },
  });
}

type DeliveryMessageKind = typeof OUTBOX_KINDS.deliverReminder | typeof OUTBOX_KINDS.retryDelivery;

/**
 * The one place reminder deliveries enter the outbox (a first send, or a scheduler's retry):
 * one message per e-mail delivery, carrying its id only.
 */
export async function queueDeliveries(
  tx: Transaction,
  kind: DeliveryMessageKind,
  deliveryIds: readonly string[],
): Promise<void> {
  await enqueueMany(
    tx,
    deliveryIds.map((deliveryId) => ({ kind, payload: { deliveryId } })),
  );
}
