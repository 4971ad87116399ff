// E-mail deliveries as the worker sends them. The guarantee is at-least-once under a stable id:
// a delivery is claimed (pending -> sending) in its own committed transaction before anything is
// sent, and every attempt carries a Message-ID derived from the delivery id. A worker that dies
// between sending and recording leaves a claim with no outcome; once the claim's lease has run
// out the delivery is sent again under the same Message-ID, which a receiving mail system (and
// the capture mailbox) recognises as a repeat. A claim that can no longer be retried becomes
// `unknown`, which the scheduler's deliveries page lists: an unknown outcome is never shown as sent.
import type { Database } from '../client.js';
import type { DeliveryState } from '../generated/prisma/client.js';

/** What an e-mail reminder needs; no patient name leaves the service (only the link). */
const WHAT_A_MAIL_NEEDS = {
  reminder: {
    select: { id: true, episodeId: true, stepTitle: true, kind: true, urgent: true, status: true },
  },
} as const;

export async function deliveryToSend(db: Database, deliveryId: string) {
  return db.reminderDelivery.findUnique({ where: { id: deliveryId }, include: WHAT_A_MAIL_NEEDS });
}

export type DeliveryToSend = NonNullable<Awaited<ReturnType<typeof deliveryToSend>>>;

/** The stored facts a claim is decided on. */
export interface DeliveryClaimState {
  readonly state: DeliveryState;
  readonly recipient: string | null;
  readonly claimedAt: Date | null;
  readonly claimedBy: string | null;
}

export type ClaimDecision =
  /** Send it. `resend`: an earlier claim ran out with no outcome, so it may have gone already. */
  | { readonly action: 'claim'; readonly resend: boolean }
  /** Another worker holds a live claim: wait until its lease ends, then decide again. */
  | { readonly action: 'wait'; readonly until: Date; readonly holder: string | null }
  /** Nothing to send: it has an outcome already, or it has no address. */
  | { readonly action: 'skip'; readonly why: string };

/**
 * Whether a worker may send a delivery now. Pure, so the rule is written (and tested) once; the
 * database applies it under a row lock.
 */
export function claimDecision(
  current: DeliveryClaimState,
  now: Date,
  leaseMs: number,
): ClaimDecision {
  if (current.state === 'pending') {
    return current.recipient
      ? { action: 'claim', resend: false }
      : { action: 'skip', why: 'the delivery has no address' };
  }
  if (current.state === 'sending') {
    const leaseEnds = new Date((current.claimedAt?.getTime() ?? 0) + leaseMs);
    if (leaseEnds.getTime() > now.getTime()) {
      return { action: 'wait', until: leaseEnds, holder: current.claimedBy };
    }
    return current.recipient
      ? { action: 'claim', resend: true }
      : { action: 'skip', why: 'the delivery has no address' };
  }
  return { action: 'skip', why: `the delivery is already ${current.state}` };
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly resend: boolean; readonly delivery: DeliveryToSend }
  | { readonly kind: 'wait'; readonly until: Date; readonly holder: string | null }
  | { readonly kind: 'skip'; readonly why: string };

/**
 * Claims a delivery for one worker, committed before the caller sends anything: the attempt is
 * counted and the claim (time, worker) recorded, so a crash afterwards leaves evidence that an
 * attempt began.
 */
export async function claimDelivery(
  db: Database,
  deliveryId: string,
  claim: { readonly workerId: string; readonly now: Date; readonly leaseMs: number },
): Promise<ClaimResult> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      {
        state: DeliveryState;
        recipient: string | null;
        claimedAt: Date | null;
        claimedBy: string | null;
      }[]
    >`SELECT state, recipient, claimed_at AS "claimedAt", claimed_by AS "claimedBy"
        FROM reminder_deliveries WHERE id = ${deliveryId} FOR UPDATE`;
    const current = rows[0];
    if (!current) return { kind: 'skip', why: 'the delivery does not exist' } as const;
    const decision = claimDecision(current, claim.now, claim.leaseMs);
    if (decision.action === 'skip') return { kind: 'skip', why: decision.why } as const;
    if (decision.action === 'wait') {
      return { kind: 'wait', until: decision.until, holder: decision.holder } as const;
    }
    await tx.reminderDelivery.update({
      where: { id: deliveryId },
      data: {
        state: 'sending',
        claimedAt: claim.now,
        claimedBy: claim.workerId,
        attempts: { increment: 1 },
      },
    });
    const delivery = await tx.reminderDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: WHAT_A_MAIL_NEEDS,
    });
    return { kind: 'claimed', resend: decision.resend, delivery } as const;
  });
}

/**
 * Records that the mail went out. Whoever sent it, it was sent: a delivery that another worker
 * re-claimed after this one's lease ran out is still marked sent (both used one Message-ID).
 */
export async function markDeliverySent(db: Database, deliveryId: string, now = new Date()) {
  await db.reminderDelivery.updateMany({
    where: { id: deliveryId, state: { not: 'sent' } },
    data: { state: 'sent', sentAt: now, lastError: null },
  });
}

/**
 * Records a failed attempt by the worker holding the claim: back to pending for BullMQ's retry,
 * or `failed` (`final`) when no retry is left, which the scheduler's list shows. A claim another
 * worker has taken over since is left to that worker.
 */
export async function markDeliveryAttemptFailed(
  db: Database,
  deliveryId: string,
  failure: { readonly workerId: string; readonly error: string; readonly final: boolean },
) {
  await db.reminderDelivery.updateMany({
    where: { id: deliveryId, state: 'sending', claimedBy: failure.workerId },
    data: {
      state: failure.final ? 'failed' : 'pending',
      lastError: failure.error.slice(0, 1000),
    },
  });
}

/**
 * A claim that ran out with no outcome and will not be retried (its job failed for good): the
 * mail may or may not have gone. It becomes `unknown`, for a scheduler to check and retry.
 */
export async function markDeliveryOutcomeUnknown(
  db: Database,
  deliveryId: string,
  why: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const changed = await db.reminderDelivery.updateMany({
    where: {
      id: deliveryId,
      state: 'sending',
      claimedAt: { lte: new Date(now.getTime() - leaseMs) },
    },
    data: { state: 'unknown', lastError: why.slice(0, 1000) },
  });
  return changed.count > 0;
}

/** Sending claims whose lease has run out with no outcome (a worker died while sending). */
export async function expiredDeliveryClaims(
  db: Database,
  now: Date,
  leaseMs: number,
  limit = 10_000,
): Promise<{ readonly id: string; readonly claimedBy: string | null }[]> {
  return db.reminderDelivery.findMany({
    where: { state: 'sending', claimedAt: { lte: new Date(now.getTime() - leaseMs) } },
    select: { id: true, claimedBy: true },
    orderBy: { claimedAt: 'asc' },
    take: limit,
  });
}
