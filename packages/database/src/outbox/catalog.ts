// The outbox's catalogue: every kind of message a write may leave for the worker, with the zod
// schema of its payload. Kinds are constants and are never renamed (messages already written
// under a kind must still be relayed). Payloads carry ids only, like the jobs they become.
//
// Payload objects are loose: a field this code does not know is kept, not refused, so a relay of
// the previous release still relays a message that a newer writer gave a new optional field.
// A new field must therefore be optional; a new kind is set aside by an older relay and put back
// by a newer one (outbox.ts `reviveSetAside`).
import { z } from 'zod';
import { insertMany } from '../bulk-insert.js';
import type { Transaction } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';

const id = z.string().min(1);

export const OUTBOX_CATALOG = {
  /** Make sure the follow-up has its delayed job (if it is still pending and within the horizon). */
  'follow-up.enqueue': z.looseObject({ followUpId: id }),
  /** Remove the follow-up's job from the queue. */
  'follow-up.remove': z.looseObject({ followUpId: id }),
  /** Send one reminder delivery (e-mail). */
  'reminder.deliver': z.looseObject({ deliveryId: id }),
  /**
   * Send a delivery again that had failed (a scheduler's retry): the worker first clears the
   * failed job, whose deterministic id would otherwise stop the new one being queued.
   */
  'reminder.retry': z.looseObject({ deliveryId: id }),
  /** Write a FHIR Bulk Data export's files (commands/fhir-export.ts). */
  'fhir-export.run': z.looseObject({ exportId: id }),
  /**
   * Make sure a patient message has its delayed job, at its send time (patient-messages/sync.ts):
   * a new message, one moved, or one a scheduler retries. The job id names the send time, so a
   * moved message gets a new job and the old one finds nothing to send.
   */
  'patient-message.enqueue': z.looseObject({ messageId: id, sendAt: z.iso.datetime() }),
  /**
   * A patient message was cancelled: remove its job (the one for `sendAt`) from the queue if it
   * is still there. A job left behind finds the message cancelled and sends nothing.
   */
  'patient-message.remove': z.looseObject({ messageId: id, sendAt: z.iso.datetime() }),
} as const satisfies Record<string, z.ZodType>;

export type OutboxKind = keyof typeof OUTBOX_CATALOG;
export type OutboxPayload<K extends OutboxKind> = z.output<(typeof OUTBOX_CATALOG)[K]>;

/** Readable names for the kinds, for the writers. */
export const OUTBOX_KINDS = {
  enqueueFollowUp: 'follow-up.enqueue',
  removeFollowUp: 'follow-up.remove',
  deliverReminder: 'reminder.deliver',
  retryDelivery: 'reminder.retry',
  runFhirExport: 'fhir-export.run',
  enqueuePatientMessage: 'patient-message.enqueue',
  removePatientMessage: 'patient-message.remove',
} as const satisfies Record<string, OutboxKind>;

export const OUTBOX_KIND_NAMES = Object.keys(OUTBOX_CATALOG) as OutboxKind[];

/** One message of the catalogue: what the relay works with once a row has parsed. */
export const OutboxMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('follow-up.enqueue'), payload: OUTBOX_CATALOG['follow-up.enqueue'] }),
  z.object({ kind: z.literal('follow-up.remove'), payload: OUTBOX_CATALOG['follow-up.remove'] }),
  z.object({ kind: z.literal('reminder.deliver'), payload: OUTBOX_CATALOG['reminder.deliver'] }),
  z.object({ kind: z.literal('reminder.retry'), payload: OUTBOX_CATALOG['reminder.retry'] }),
  z.object({ kind: z.literal('fhir-export.run'), payload: OUTBOX_CATALOG['fhir-export.run'] }),
  z.object({
    kind: z.literal('patient-message.enqueue'),
    payload: OUTBOX_CATALOG['patient-message.enqueue'],
  }),
  z.object({
    kind: z.literal('patient-message.remove'),
    payload: OUTBOX_CATALOG['patient-message.remove'],
  }),
]);
export type OutboxMessage = z.output<typeof OutboxMessageSchema>;

// The union above must name every kind of the catalogue, and nothing else.
type UnionKinds = OutboxMessage['kind'];
const unionCoversCatalogue: [OutboxKind] extends [UnionKinds]
  ? [UnionKinds] extends [OutboxKind]
    ? true
    : never
  : never = true;
void unionCoversCatalogue;

/** Thrown when a message to enqueue does not fit the catalogue; nothing is written. */
export class OutboxPayloadError extends Error {
  override readonly name = 'OutboxPayloadError';
}

export type OutboxEntry = {
  readonly [K in OutboxKind]: { kind: K; payload: OutboxPayload<K> };
}[OutboxKind];

/** Parses a stored message; the error says which kind or field is wrong. */
export function parseOutboxMessage(row: {
  readonly kind: string;
  readonly payload: unknown;
}): { ok: true; message: OutboxMessage } | { ok: false; error: string } {
  const result = OutboxMessageSchema.safeParse({ kind: row.kind, payload: row.payload });
  if (result.success) return { ok: true, message: result.data };
  if (!(row.kind in OUTBOX_CATALOG)) {
    return {
      ok: false,
      error: `Unknown outbox message kind "${row.kind}" (this relay knows ${OUTBOX_KIND_NAMES.join(', ')})`,
    };
  }
  return { ok: false, error: `Outbox message "${row.kind}": ${describeIssues(result.error)}` };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path[0] === 'payload' ? issue.path.slice(1) : issue.path;
      return `${field.join('.') || 'payload'}: ${issue.message}`;
    })
    .join('; ');
}

function checked(entry: { kind: string; payload: unknown }) {
  const parsed = parseOutboxMessage(entry);
  if (!parsed.ok) throw new OutboxPayloadError(parsed.error);
  return { kind: parsed.message.kind, payload: parsed.message.payload as Prisma.InputJsonValue };
}

/**
 * Writes one message to the outbox in the caller's transaction, so it commits (or not) with the
 * change it belongs to. The payload is checked against the catalogue first; a payload that does
 * not fit throws OutboxPayloadError and nothing is written.
 */
export async function enqueue<K extends OutboxKind>(
  tx: Transaction,
  kind: K,
  payload: OutboxPayload<K>,
): Promise<void> {
  await insertMany(tx, 'outbox', [checked({ kind, payload })]);
}

/** `enqueue` for many messages (of any kinds) in one statement; all are checked before any is written. */
export async function enqueueMany(
  tx: Transaction,
  entries: readonly OutboxEntry[],
): Promise<number> {
  return insertMany(tx, 'outbox', entries.map(checked));
}
