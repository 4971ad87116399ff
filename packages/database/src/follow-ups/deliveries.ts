import type { Database } from '../client.js';

/** What an e-mail reminder needs; no patient name leaves the service (only the link). */
export async function deliveryToSend(db: Database, deliveryId: string) {
  return db.reminderDelivery.findUnique({
    where: { id: deliveryId },
    include: {
      reminder: {
        select: {
          id: true,
          episodeId: true,
          stepTitle: true,
          kind: true,
          urgent: true,
          status: true,
        },
      },
    },
  });
}

export async function markDeliverySent(db: Database, deliveryId: string, now = new Date()) {
  await db.reminderDelivery.update({
    where: { id: deliveryId },
    data: { state: 'sent', sentAt: now, attempts: { increment: 1 }, lastError: null },
  });
}

/** Records a failed attempt; `final` when no retry is left, so the scheduler sees it as failed. */
export async function markDeliveryAttemptFailed(
  db: Database,
  deliveryId: string,
  error: string,
  final: boolean,
) {
  await db.reminderDelivery.update({
    where: { id: deliveryId },
    data: {
      attempts: { increment: 1 },
      lastError: error.slice(0, 1000),
      ...(final ? { state: 'failed' as const } : {}),
    },
  });
}
