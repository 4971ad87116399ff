// GOV.UK Notify's delivery receipts (the callback Notify POSTs to the service for each message,
// with the bearer token the service configured). The body is checked against Notify's documented
// fields, the message found by Notify's id or by our reference (the message id), and its
// delivery status recorded; a permanent failure raises a task for the nurse.
import { z } from 'zod';
import type { Queryable } from '../client.js';
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

export type NotifyReceiptResult =
  | {
      readonly ok: true;
      readonly messageId: string;
      readonly state: PatientMessageState;
      /** A nurse's task was raised (the first report of a permanent failure). */
      readonly taskRaised: boolean;
    }
  | { readonly ok: false; readonly reason: 'invalid'; readonly issues: readonly string[] }
  | { readonly ok: false; readonly reason: 'not-found'; readonly message: string };

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
    const rows = await tx.$queryRaw<
      {
        id: string;
        episode_id: string;
        kind: string;
        step_key: string;
        channel: string;
        state: PatientMessageState;
      }[]
    >`SELECT id, episode_id, kind, step_key, channel, state FROM patient_messages
      WHERE notify_id = ${receipt.id} OR id = ${receipt.reference ?? ''}
      ORDER BY (notify_id = ${receipt.id}) DESC LIMIT 1 FOR UPDATE`;
    const row = rows[0];
    if (!row) {
      return {
        ok: false,
        reason: 'not-found',
        message: `No patient message has Notify id ${receipt.id}${receipt.reference ? ` or reference "${receipt.reference}"` : ''}`,
      };
    }
    const state: PatientMessageState = RECEIPT_STATES[receipt.status];
    // A late 'sent' after 'delivered' must not move a message back.
    const final = ['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure'];
    const next = final.includes(row.state) && state === 'sent' ? row.state : state;
    const changed = next !== row.state;
    const at = receipt.completed_at ? new Date(receipt.completed_at) : now;
    await tx.patientMessage.update({
      where: { id: row.id },
      data: {
        state: next,
        notifyId: receipt.id,
        providerStatus: receipt.status,
        claimedAt: null,
        ...(next === 'delivered' && changed ? { deliveredAt: at } : {}),
        ...(next.endsWith('failure') && changed ? { failedAt: at } : {}),
        ...(receipt.sent_at && !final.includes(row.state)
          ? { sentAt: new Date(receipt.sent_at) }
          : {}),
        updatedAt: now,
      },
    });
    const taskRaised = changed && next === 'permanent-failure';
    if (taskRaised) {
      await raisePatientMessageTask(
        tx,
        {
          id: row.id,
          episodeId: row.episode_id,
          kind: row.kind,
          stepKey: row.step_key,
          channel: row.channel,
        },
        `GOV.UK Notify reported a permanent failure: ${receipt.notification_type === 'sms' ? 'the number may be wrong or not a mobile' : receipt.notification_type === 'email' ? 'the address may be wrong' : 'the letter could not be delivered'}`,
        now,
      );
    }
    return { ok: true, messageId: row.id, state: next, taskRaised };
  });
}
