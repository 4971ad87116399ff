// Patient messages as the worker sends them. At least once, never twice: a message is claimed
// (scheduled -> sending, attempts + 1, the claim's time and worker) in its own committed
// transaction before anything goes to Notify, and Notify gets the message id as its `reference`.
// A worker that dies mid-send leaves 'sending' with a claim; once the claim's lease has run out
// (or on a retry after an error, attempts > 0) the next worker is told to look the reference up
// in Notify first and record what Notify already has instead of sending again.
import {
  computePlan,
  DEFAULT_SERVICE_SETTINGS,
  findPathway,
  type PatientReachability,
  type PostalAddress,
  patientMessageAtSend,
  patientReachability,
  type ServiceSettings,
} from '@vfx/domain';
import type { Database, Transaction } from '../client.js';
import { enqueue, OUTBOX_KINDS } from '../outbox/catalog.js';
import { loadEpisodeRecord, runWrite } from '../records/write-path.js';
import { loadContactPreferences } from './contact-store.js';
import { applyHeldReceipts } from './receipts.js';
import type { PatientMessageState } from './states.js';
import { raisePatientMessageTask } from './tasks.js';

export type PatientMessageRecipient =
  | { readonly channel: 'sms'; readonly phoneNumber: string }
  | { readonly channel: 'email'; readonly emailAddress: string }
  | {
      readonly channel: 'letter';
      /** The addressee's name, then the address lines, then the postcode (Notify's letter rule). */
      readonly name: string;
      readonly address: PostalAddress;
    };

export interface PatientMessageToSend {
  readonly id: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly kind: string;
  readonly stepKey: string;
  readonly templateKey: string;
  readonly personalisation: Readonly<Record<string, string>>;
  readonly recipient: PatientMessageRecipient;
  /** The attempt this is (1 for the first). */
  readonly attempt: number;
  /**
   * An earlier attempt may have reached Notify (it crashed mid-send, or Notify's answer was
   * lost): look the reference up before sending, and record the notification found instead.
   */
  readonly lookUpFirst: boolean;
}

export type PatientMessageClaim =
  | { readonly kind: 'send'; readonly message: PatientMessageToSend }
  /**
   * Not yet. `lease`: another worker's claim is live, come back when it ends. Otherwise before
   * its time or outside the sending hours: the message was moved to `until`, with a new job.
   */
  | { readonly kind: 'wait'; readonly until: Date; readonly why: string; readonly lease: boolean }
  /** Cancelled by the check at send, with the reason. */
  | { readonly kind: 'cancelled'; readonly why: string }
  /** Nothing to do: it has an outcome already (or does not exist). */
  | { readonly kind: 'skip'; readonly why: string };

export interface ClaimOptions {
  readonly workerId: string;
  readonly now: Date;
  /** How long a claim stands before another worker may take the message over. */
  readonly leaseMs: number;
  readonly settings?: ServiceSettings;
}

interface LockedMessage {
  id: string;
  episode_id: string;
  patient_id: string;
  kind: string;
  step_key: string;
  channel: string;
  state: PatientMessageState;
  send_at: Date;
  attempts: number;
  claimed_at: Date | null;
  claimed_by: string | null;
  personalisation: Record<string, string> | null;
  notify_id: string | null;
}

async function lockMessage(tx: Transaction, id: string): Promise<LockedMessage | undefined> {
  const rows = await tx.$queryRaw<LockedMessage[]>`
    SELECT id, episode_id, patient_id, kind, step_key, channel, state, send_at, attempts,
      claimed_at, claimed_by, personalisation, notify_id
    FROM patient_messages WHERE id = ${id} FOR UPDATE`;
  return rows[0];
}

function recipientOf(
  reach: PatientReachability,
  name: string,
): PatientMessageRecipient | undefined {
  if (!reach.reachable) return undefined;
  switch (reach.channel) {
    case 'sms':
      return { channel: 'sms', phoneNumber: reach.to };
    case 'email':
      return { channel: 'email', emailAddress: reach.to };
    case 'letter':
      return { channel: 'letter', name, address: reach.to };
  }
}

/**
 * Claims a message for one worker, after the check at send (the domain's patientMessageAtSend on
 * the plan as it is now and the patient's contact preferences now). Committed before the caller
 * sends anything.
 */
export function claimPatientMessage(
  db: Database,
  messageId: string,
  options: ClaimOptions,
): Promise<PatientMessageClaim> {
  const { now, leaseMs, workerId } = options;
  const settings = options.settings ?? DEFAULT_SERVICE_SETTINGS;
  return runWrite(db, async (tx): Promise<PatientMessageClaim> => {
    const row = await lockMessage(tx, messageId);
    if (!row) return { kind: 'skip', why: `patient message "${messageId}" does not exist` };
    if (row.state === 'sending') {
      const leaseEnds = (row.claimed_at?.getTime() ?? 0) + leaseMs;
      if (row.claimed_at && leaseEnds > now.getTime()) {
        return {
          kind: 'wait',
          until: new Date(leaseEnds),
          why: `${row.claimed_by ?? 'another worker'} is sending it`,
          lease: true,
        };
      }
    } else if (row.state !== 'scheduled') {
      return { kind: 'skip', why: `the message is already ${row.state}` };
    }
    const record = await loadEpisodeRecord(tx, row.episode_id);
    if (!record) return { kind: 'skip', why: `episode "${row.episode_id}" does not exist` };
    const plan = computePlan({
      patient: record.patient,
      episode: record.episode,
      events: record.events,
      asOf: now.getTime(),
      settings,
    });
    const prefs = (await loadContactPreferences(tx, [row.patient_id])).get(row.patient_id) ?? null;
    const reachability = patientReachability(prefs);
    const names = {
      given: record.row.patient.givenName,
      family: record.row.patient.familyName,
    };
    const decision = patientMessageAtSend({
      message: { id: row.id, kind: row.kind, stepKey: row.step_key, channel: row.channel },
      plan,
      reachability,
      givenName: names.given,
      now: now.getTime(),
      settings,
    });
    // An attempt already begun was decided on then: it is looked up, not decided again, so a
    // message that may have reached Notify is recorded rather than silently cancelled.
    const begun = row.attempts > 0;
    if (!begun && decision.action === 'cancel') {
      await tx.patientMessage.update({
        where: { id: row.id },
        data: { state: 'cancelled', outcome: decision.why, claimedAt: null, updatedAt: now },
      });
      return { kind: 'cancelled', why: decision.why };
    }
    if (!begun && decision.action === 'wait') {
      const until = new Date(decision.until);
      if (until.getTime() !== row.send_at.getTime()) {
        await tx.patientMessage.update({
          where: { id: row.id },
          data: { sendAt: until, updatedAt: now },
        });
        await enqueue(tx, OUTBOX_KINDS.enqueuePatientMessage, {
          messageId: row.id,
          sendAt: until.toISOString(),
        });
      }
      return { kind: 'wait', until, why: decision.why, lease: false };
    }
    const recipient = recipientOf(reachability, `${names.given} ${names.family}`);
    const personalisation =
      decision.action === 'send' ? decision.personalisation : (row.personalisation ?? {});
    const templateKey =
      decision.action === 'send'
        ? decision.templateKey
        : (findPathway(plan.pathwayVersion)?.patientReminders?.find((r) => r.kind === row.kind)
            ?.templateKey ?? row.kind);
    if (!recipient) {
      const why = reachability.reachable ? 'no recipient' : reachability.why;
      await tx.patientMessage.update({
        where: { id: row.id },
        data: { state: 'cancelled', outcome: why, claimedAt: null, updatedAt: now },
      });
      return { kind: 'cancelled', why };
    }
    await tx.patientMessage.update({
      where: { id: row.id },
      data: {
        state: 'sending',
        channel: recipient.channel,
        personalisation,
        attempts: row.attempts + 1,
        claimedAt: now,
        claimedBy: workerId,
        updatedAt: now,
      },
    });
    return {
      kind: 'send',
      message: {
        id: row.id,
        episodeId: row.episode_id,
        patientId: row.patient_id,
        kind: row.kind,
        stepKey: row.step_key,
        templateKey,
        personalisation,
        recipient,
        attempt: row.attempts + 1,
        lookUpFirst: begun,
      },
    };
  });
}

/**
 * Notify accepted the message (or already had it): sent, with Notify's id, which is from now on
 * the current attempt's (only receipts of that id change the message, receipts.ts). Receipts of
 * this id that came before it was recorded were held; they are applied now, in order.
 */
export function markPatientMessageSent(
  db: Database,
  input: {
    readonly messageId: string;
    readonly notifyId: string | null;
    readonly providerStatus: string | null;
    readonly now: Date;
  },
): Promise<void> {
  return runWrite(db, async (tx) => {
    const row = await lockMessage(tx, input.messageId);
    if (!row) return;
    if (row.state === 'sending') {
      await tx.patientMessage.update({
        where: { id: row.id },
        data: {
          state: 'sent',
          sentAt: input.now,
          claimedAt: null,
          lastError: null,
          notifyId: input.notifyId,
          providerStatus: input.providerStatus,
          updatedAt: input.now,
        },
      });
    } else if (row.notify_id === null && input.notifyId !== null) {
      // An attempt that ended otherwise meanwhile: its id is recorded, its state kept. An id
      // already recorded is never replaced by another attempt's.
      await tx.patientMessage.update({
        where: { id: row.id },
        data: { notifyId: input.notifyId, updatedAt: input.now },
      });
    } else {
      return;
    }
    if (input.notifyId !== null) await applyHeldReceipts(tx, row.id, input.notifyId, input.now);
  });
}

/**
 * An attempt failed. `retriable` (Notify answered 429 or 5xx, or did not answer): the claim is
 * released and the job retries with backoff; the next attempt looks the reference up first.
 * Otherwise (Notify refused the request, or the retries ran out): 'failed', with the error in
 * words, and a task for the nurse.
 */
export function markPatientMessageAttemptFailed(
  db: Database,
  input: {
    readonly messageId: string;
    readonly error: string;
    readonly retriable: boolean;
    readonly now: Date;
  },
): Promise<{ readonly state: PatientMessageState }> {
  return runWrite(db, async (tx) => {
    const row = await lockMessage(tx, input.messageId);
    if (row?.state !== 'sending') return { state: row?.state ?? 'cancelled' };
    if (input.retriable) {
      await tx.patientMessage.update({
        where: { id: row.id },
        data: { claimedAt: null, lastError: input.error, updatedAt: input.now },
      });
      return { state: 'sending' };
    }
    await tx.patientMessage.update({
      where: { id: row.id },
      data: {
        state: 'failed',
        failedAt: input.now,
        claimedAt: null,
        lastError: input.error,
        updatedAt: input.now,
      },
    });
    await raisePatientMessageTask(tx, row, input.error, input.now);
    return { state: 'failed' };
  });
}

/** Written to the local mailbox (no NOTIFY_API_KEY): sent, with no provider. */
export function markPatientMessageWrittenToMailbox(
  db: Database,
  input: { readonly messageId: string; readonly now: Date },
): Promise<void> {
  return markPatientMessageSent(db, {
    messageId: input.messageId,
    notifyId: null,
    providerStatus: 'local-mailbox',
    now: input.now,
  });
}

/** A patient message as the worker reads it (for the job's log and the tests). */
export function patientMessageRow(db: Database, messageId: string) {
  return db.patientMessage.findUnique({ where: { id: messageId } });
}
