'use server';

import { RecordError } from '@vfx/database';
import { rescheduleStep, sendReminderNow } from '@vfx/database/commands';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { type RescheduleFieldErrors, rescheduleErrors } from './reschedule-errors';

export interface SendNowState {
  readonly ok?: string;
  readonly error?: string;
}

/** "Send now": a reminder to the step's nurse at once (packages/database sendReminderNow). */
export async function sendNowAction(
  _previous: SendNowState,
  form: FormData,
): Promise<SendNowState> {
  const user = await requirePermission('reminder.sendNow');
  const episodeId = String(form.get('episodeId') ?? '');
  const stepKey = String(form.get('stepKey') ?? '');
  if (!episodeId || !stepKey)
    return { error: 'The reminder to send was not named; reload the page.' };
  try {
    const sent = await sendReminderNow(db(), { episodeId, stepKey }, { actorId: user.id });
    return { ok: `Sent to ${sent.nurseName}` };
  } catch (error) {
    if (error instanceof RecordError && error.code !== 'forbidden') return { error: error.message };
    throw error;
  }
}

export interface RescheduleState {
  readonly remindOn: string;
  readonly reason: string;
  readonly fieldErrors?: RescheduleFieldErrors;
  readonly error?: string;
}

/**
 * "Reschedule": moves the step's due reminder within its window. The domain decides whether the
 * day is allowed; nothing is saved when it is not, and what the user typed comes back.
 */
export async function rescheduleAction(
  _previous: RescheduleState,
  form: FormData,
): Promise<RescheduleState> {
  const user = await requirePermission('reminder.reschedule');
  const episodeId = String(form.get('episodeId') ?? '');
  const stepKey = String(form.get('stepKey') ?? '');
  const remindOn = String(form.get('remindOn') ?? '').trim();
  const reason = String(form.get('reason') ?? '');
  const typed = { remindOn, reason };
  const fieldErrors: RescheduleFieldErrors = {
    ...(remindOn ? {} : { remindOn: 'Enter the day the reminder should go out.' }),
    ...(reason.trim()
      ? {}
      : { reason: 'Enter why the reminder is moved; it is kept in the audit log.' }),
  };
  if (Object.keys(fieldErrors).length > 0) return { ...typed, fieldErrors };
  if (!episodeId || !stepKey)
    return { ...typed, error: 'The step was not named; go back to the reminders.' };
  try {
    await rescheduleStep(db(), { episodeId, stepKey, remindOn, reason }, { actorId: user.id });
  } catch (error) {
    if (error instanceof RecordError && error.code === 'invalid-input') {
      return { ...typed, ...rescheduleErrors(error.issues) };
    }
    if (error instanceof RecordError && error.code !== 'forbidden') {
      return { ...typed, error: error.message };
    }
    throw error;
  }
  revalidatePath('/reminders');
  redirect(`/reminders?moved=${encodeURIComponent(remindOn)}`);
}
