'use server';

import { RecordError } from '@vfx/database';
import { retryPatientMessage } from '@vfx/database/commands';
import { db } from '@/server/db';
import { calendar } from '@/server/service-calendar';
import { requirePermission } from '@/server/session';

export interface RetryMessageState {
  readonly ok?: string;
  readonly error?: string;
}

/** "Retry": the failed message goes back to be sent at the next sending hour (audited). */
export async function retryMessageAction(
  _previous: RetryMessageState,
  form: FormData,
): Promise<RetryMessageState> {
  const user = await requirePermission('patient-message.retry');
  const messageId = String(form.get('messageId') ?? '');
  if (!messageId) return { error: 'The message was not named; reload the page.' };
  try {
    const { sendAt } = await retryPatientMessage(db(), messageId, { actorId: user.id });
    return { ok: `Scheduled again: goes ${calendar.describeInstant(Date.parse(sendAt))}` };
  } catch (error) {
    if (error instanceof RecordError && error.code !== 'forbidden') return { error: error.message };
    throw error;
  }
}
