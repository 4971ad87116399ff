'use server';

import { RecordError } from '@vfx/database';
import { optOutPatient, setContactPreferences } from '@vfx/database/commands';
import { loadEpisodeRecord, patientContactDetails } from '@vfx/database/views';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import {
  type ContactFormValues,
  contactFormValues,
  contactInput,
  type FieldError,
  fieldErrors,
} from './form-input';

export interface ContactFormState {
  readonly errors?: readonly FieldError[];
  readonly values?: ContactFormValues;
}

export interface OptOutState {
  readonly error?: string;
  readonly reason?: string;
}

async function patientOf(episodeId: string): Promise<string> {
  const record = await loadEpisodeRecord(db(), episodeId);
  if (!record) throw new RecordError('not-found', `Episode "${episodeId}" does not exist`);
  return record.row.patientId;
}

const back = (episodeId: string, outcome: string) =>
  `/episodes/${encodeURIComponent(episodeId)}?contact=${outcome}#contact`;

/**
 * Saves how the patient hears from us (packages/database setContactPreferences: validated by the
 * domain, audited, the patient's messages re-planned). Refused input comes back with every
 * problem and what was typed; nothing is saved.
 */
export async function saveContactAction(
  _previous: ContactFormState,
  form: FormData,
): Promise<ContactFormState> {
  const user = await requirePermission('contactPreferences.set');
  const episodeId = String(form.get('episodeId') ?? '');
  const values = contactFormValues(form);
  const now = new Date();
  try {
    const patientId = await patientOf(episodeId);
    const stored = await patientContactDetails(db(), patientId);
    await setContactPreferences(
      db(),
      patientId,
      contactInput(values, stored?.preferences ?? null, now),
      { actorId: user.id, now },
    );
  } catch (error) {
    if (!(error instanceof RecordError) || error.code === 'forbidden') throw error;
    return {
      values,
      errors:
        error.code === 'invalid-input' && error.issues.length > 0
          ? fieldErrors(error.issues)
          : [{ target: 'channel', message: error.message }],
    };
  }
  redirect(back(episodeId, 'saved'));
}

/** "Opt out of reminders": recorded with who, when and why; scheduled messages are cancelled. */
export async function optOutAction(_previous: OptOutState, form: FormData): Promise<OptOutState> {
  const user = await requirePermission('contactPreferences.set');
  const episodeId = String(form.get('episodeId') ?? '');
  const reason = String(form.get('reason') ?? '');
  try {
    const patientId = await patientOf(episodeId);
    await optOutPatient(db(), patientId, { reason }, { actorId: user.id });
  } catch (error) {
    if (!(error instanceof RecordError) || error.code === 'forbidden') throw error;
    const issue = error.issues[0];
    return {
      reason,
      error: issue?.path === 'reason' ? `Reason ${issue.message}` : error.message,
    };
  }
  redirect(back(episodeId, 'opted-out'));
}
