'use server';

import { RecordError } from '@vfx/database';
import { retryDelivery } from '@vfx/database/commands';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';

export interface RetryState {
  readonly ok?: string;
  readonly error?: string;
}

/** "Retry": the failed e-mail goes back to be sent (packages/database retryDelivery, audited). */
export async function retryAction(_previous: RetryState, form: FormData): Promise<RetryState> {
  const user = await requirePermission('delivery.retry');
  const deliveryId = String(form.get('deliveryId') ?? '');
  if (!deliveryId) return { error: 'The delivery was not named; reload the page.' };
  try {
    const { recipient } = await retryDelivery(db(), deliveryId, { actorId: user.id });
    return { ok: `Queued again for ${recipient}` };
  } catch (error) {
    if (error instanceof RecordError && error.code !== 'forbidden') return { error: error.message };
    throw error;
  }
}
