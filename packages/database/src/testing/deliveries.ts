import type { Database } from '../client.js';
import { claimDelivery, markDeliveryAttemptFailed } from '../follow-ups/deliveries.js';

/** One failed e-mail attempt, as a worker makes it: claim the delivery, then report the error. */
export async function failDeliveryAttempt(
  db: Database,
  deliveryId: string,
  error: string,
  final: boolean,
): Promise<void> {
  const workerId = 'test-worker';
  const claim = await claimDelivery(db, deliveryId, { workerId, now: new Date(), leaseMs: 60_000 });
  if (claim.kind !== 'claimed') {
    throw new Error(`Delivery ${deliveryId} could not be claimed: ${JSON.stringify(claim)}`);
  }
  await markDeliveryAttemptFailed(db, deliveryId, { workerId, error, final });
}
