// GOV.UK Notify's delivery receipts (the callback Notify POSTs to the service for each message,
// with the bearer token the service configured). The body is checked against Notify's documented
// fields (`id` is Notify's notification id, `reference` ours: the message id), and the message
// found by either. A receipt changes the message only when its notification id is the one stored
// for the message's current attempt (patient_messages.notify_id): a retried message has had
// several notifications, and a late receipt of an earlier one must not overwrite what the current
// one did (a stale 'permanent-failure' after the retry was delivered, or the reverse).
//   - its id is the current attempt's: applied (a permanent failure raises the nurse's task);
//   - the current attempt has another id: stale, acknowledged and audited
//     ('patient-message.receipt-stale'), nothing else changes;
//   - the current attempt has no id yet (it is being sent, or was retried and not sent again):
//     held, audited as 'patient-message.receipt-held' with the receipt's fields; when the worker
//     records the attempt's id (markPatientMessageSent) the held receipts with that id are
//     applied ('patient-message.receipt-applied'), the others never are.
// Every outcome answers Notify 2xx, so Notify stops retrying. The recipient (`to`) is never kept.
import { z } from 'zod';
import type { Queryable, Transaction } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { runWrite } from '../records/write-path.js';
import type { PatientMessageState } from './states.js';
import { raisePatientMessageTask } from './tasks.js';

/** Notify's statuses in a receipt, and the message state each means. */
const RECEIPT_STATES = {
  delivered: 'delivered',
  'permanent-failure': 'permanent-failure',
  'temporary-failure': 'temporary-failure',
  'technical-failure': 'technical-failure',
  // Letters: accepted by the printer ('accepted'), posted ('received'); both mean it went.
  accepted: 'sent',
  received: 'delivered',
  'validation-failed': 'permanent-failure',
  'virus-scan-failed': 'permanent-failure',
  'pending-virus-check': 'sent',
  sending: 'sent',
  sent: 'sent',
  created: 'sent',
  pending: 'sent',
} as const satisfies Record<string, PatientMessageState>;
export type NotifyReceiptStatus = keyof typeof RECEIPT_STATES;

const instant = z.iso.datetime({
  offset: true,
  local: false,
  error: 'must be an ISO 8601 instant',
});

/**
 * The callback body as Notify documents it ("Delivery receipts"): id, reference, to, status,
 * created_at, completed_at, sent_at, notification_type (template_id and template_version too,
 * kept but not needed). Unknown extra fields are kept, since Notify may add some.
 */
export const NotifyReceiptSchema = z.looseObject({
  id: z.uuid({ error: "must be Notify's notification id (a UUID)" }),
  reference: z.string().nullable(),
  to: z.string({ error: 'must be the recipient' }),
  status: z.enum(Object.keys(RECEIPT_STATES) as [NotifyReceiptStatus, ...NotifyReceiptStatus[]], {
    error: `must be one of Notify's statuses: ${Object.keys(RECEIPT_STATES).join(', ')}`,
  }),
  created_at: instant,
  completed_at: instant.nullable(),
  sent_at: instant.nullable(),
  notification_type: z.enum(['sms', 'email', 'letter'], {
    error: 'must be sms, email or letter',
  }),
});
export type NotifyReceipt = z.output<typeof NotifyReceiptSchema>;

/** Who records what the callback did, in the audit log. */
export const NOTIFY_CALLBACK_ACTOR = 'system:notify-callback';

/** The audit actions of receipts that were not applied at once, and of held ones applied later. */
export const RECEIPT_AUDIT_ACTIONS = {
  stale: 'patient-message.receipt-stale',
  held: 'patient-message.receipt-held',
  applied: 'patient-message.receipt-applied',
} as const;

export type NotifyReceiptResult =
  | {
      readonly ok: true;
      readonly messageId: string;
      /** The message's state after the receipt (unchanged when it was not applied). */
      readonly state: PatientMessageState;
      /**
       * 'applied': the receipt is the current attempt's. 'stale': an earlier attempt's, ignored.
       * 'held': the current attempt's id is not known yet; applied if it turns out to be this one.
       */
      readonly outcome: 'applied' | 'stale' | 'held';
      /** A nurse's task was raised (the first report of a permanent failure). */
      readonly taskRaised: boolean;
    }
  | { readonly ok: false; readonly reason: 'invalid'; readonly issues: readonly string[] }
  | { readonly ok: false; readonly reason: 'not-found'; readonly message: string };

/** What of a receipt is applied and kept: never the recipient. */
interface ReceiptFacts {
  readonly notifyId: string;
  readonly status: NotifyReceiptStatus;
  readonly notificationType: 'sms' | 'email' | 'letter';
  readonly completedAt: string | null;
  readonly sentAt: string | null;
}

function factsOf(receipt: NotifyReceipt): ReceiptFacts {
  return {
    notifyId: receipt.id,
    status: receipt.status,
    notificationType: receipt.notification_type,
    completedAt: receipt.completed_at,
    sentAt: receipt.sent_at,
  };
}

interface MessageRow {
  id: string;
  episode_id: string;
  patient_id: string;
  kind: string;
  step_key: string;
  channel: string;
  state: PatientMessageState;
  notify_id: string | null;
  attempts: number;
}

const FINAL_STATES: readonly PatientMessageState[] = [
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
];

/**
 * Applies a receipt of the message's current attempt, in the caller's transaction (the message
 * row locked). Returns the state after it and whether a task was raised.
 */
async function applyReceipt(
  tx: Transaction,
  row: MessageRow,
  facts: ReceiptFacts,
  now: Date,
): Promise<{ state: PatientMessageState; taskRaised: boolean }> {
  const state: PatientMessageState = RECEIPT_STATES[facts.status];
  // A late 'sent' after 'delivered' must not move a message back.
  const next = FINAL_STATES.includes(row.state) && state === 'sent' ? row.state : state;
  const changed = next !== row.state;
  const at = facts.completedAt ? new Date(facts.completedAt) : now;
  await tx.patientMessage.update({
    where: { id: row.id },
    data: {
      state: next,
      notifyId: facts.notifyId,
      providerStatus: facts.status,
      claimedAt: null,
      ...(next === 'delivered' && changed ? { deliveredAt: at } : {}),
      ...(next.endsWith('failure') && changed ? { failedAt: at } : {}),
      ...(facts.sentAt && !FINAL_STATES.includes(row.state)
        ? { sentAt: new Date(facts.sentAt) }
        : {}),
      updatedAt: now,
    },
  });
  const taskRaised = changed && next === 'permanent-failure';
  if (taskRaised) {
    await raisePatientMessageTask(
      tx,
      row,
      `GOV.UK Notify reported a permanent failure: ${facts.notificationType === 'sms' ? 'the number may be wrong or not a mobile' : facts.notificationType === 'email' ? 'the address may be wrong' : 'the letter could not be delivered'}`,
      now,
    );
  }
  return { state: next, taskRaised };
}

async function auditReceipt(
  tx: Transaction,
  row: MessageRow,
  action: (typeof RECEIPT_AUDIT_ACTIONS)[keyof typeof RECEIPT_AUDIT_ACTIONS],
  details: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actor: NOTIFY_CALLBACK_ACTOR,
      action,
      entityType: 'patient-message',
      entityId: row.id,
      patientId: row.patient_id,
      after: details as Prisma.InputJsonValue,
      at: now,
    },
  });
}

async function lockByReceipt(tx: Transaction, receipt: NotifyReceipt) {
  const rows = await tx.$queryRaw<MessageRow[]>`
    SELECT id, episode_id, patient_id, kind, step_key, channel, state, notify_id, attempts
    FROM patient_messages
    WHERE notify_id = ${receipt.id} OR id = ${receipt.reference ?? ''}
    ORDER BY (notify_id IS NOT DISTINCT FROM ${receipt.id}) DESC LIMIT 1 FOR UPDATE`;
  return rows[0];
}

/** Records one delivery receipt. Safe to receive twice: a repeat changes nothing. */
export async function recordNotifyReceipt(
  db: Queryable,
  body: unknown,
  now: Date,
): Promise<NotifyReceiptResult> {
  const parsed = NotifyReceiptSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'invalid',
      issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    };
  }
  const receipt = parsed.data;
  return runWrite(db, async (tx): Promise<NotifyReceiptResult> => {
    const row = await lockByReceipt(tx, receipt);
    if (!row) {
      return {
        ok: false,
        reason: 'not-found',
        message: `No patient message has Notify id ${receipt.id}${receipt.reference ? ` or reference "${receipt.reference}"` : ''}`,
      };
    }
    const facts = factsOf(receipt);
    if (row.notify_id === receipt.id) {
      const { state, taskRaised } = await applyReceipt(tx, row, facts, now);
      return { ok: true, messageId: row.id, state, outcome: 'applied', taskRaised };
    }
    const outcome = row.notify_id === null ? 'held' : 'stale';
    await auditReceipt(
      tx,
      row,
      RECEIPT_AUDIT_ACTIONS[outcome],
      {
        ...facts,
        currentNotifyId: row.notify_id,
        attempts: row.attempts,
        state: row.state,
        why:
          outcome === 'stale'
            ? "the receipt is of an earlier attempt: the message's current attempt is another Notify notification"
            : "the message's current attempt has no Notify id yet: applied if this turns out to be its id",
      },
      now,
    );
    return { ok: true, messageId: row.id, state: row.state, outcome, taskRaised: false };
  });
}

/**
 * The message's current attempt now has Notify id `notifyId` (recorded by the caller, in this
 * transaction, with the row locked): applies the receipts of that id that were held because
 * they came first, in the order they came. Receipts of other ids stay held, never applied.
 */
export async function applyHeldReceipts(
  tx: Transaction,
  messageId: string,
  notifyId: string,
  now: Date,
): Promise<{ readonly applied: number }> {
  const held = await tx.auditEntry.findMany({
    where: {
      action: RECEIPT_AUDIT_ACTIONS.held,
      entityType: 'patient-message',
      entityId: messageId,
      after: { path: ['notifyId'], equals: notifyId },
    },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
    select: { id: true, after: true },
  });
  let applied = 0;
  for (const entry of held) {
    const facts = NotifyReceiptSchema.pick({ status: true, notification_type: true }).safeParse({
      status: (entry.after as Record<string, unknown>).status,
      notification_type: (entry.after as Record<string, unknown>).notificationType,
    });
    if (!facts.success) continue;
    const after = entry.after as Record<string, unknown>;
    const rows = await tx.$queryRaw<MessageRow[]>`
      SELECT id, episode_id, patient_id, kind, step_key, channel, state, notify_id, attempts
      FROM patient_messages WHERE id = ${messageId} FOR UPDATE`;
    const row = rows[0];
    if (!row) break;
    const result = await applyReceipt(
      tx,
      row,
      {
        notifyId,
        status: facts.data.status,
        notificationType: facts.data.notification_type,
        completedAt: typeof after.completedAt === 'string' ? after.completedAt : null,
        sentAt: typeof after.sentAt === 'string' ? after.sentAt : null,
      },
      now,
    );
    await auditReceipt(
      tx,
      row,
      RECEIPT_AUDIT_ACTIONS.applied,
      { notifyId, status: facts.data.status, heldEntry: entry.id.toString(), state: result.state },
      now,
    );
    applied += 1;
  }
  return { applied };
}
