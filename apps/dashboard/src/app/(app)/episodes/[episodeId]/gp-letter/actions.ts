'use server';

import { RecordError } from '@vfx/database';
import { recordGpLetterSent, saveGpLetterDraft, signOffGpLetter } from '@vfx/database/commands';
import { gpLettersOfEpisode } from '@vfx/database/views';
import type { InputIssue } from '@vfx/domain';
import { redirect } from 'next/navigation';
import { joinDates } from '@/forms/date-parts';
import type { FormState } from '@/forms/form-state';
import { pastInstantFromForm } from '@/forms/past-instant';
import { db } from '@/server/db';
import { letterSender } from '@/server/gp-letter';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';

/** Each field's label, so a problem reads "Clinical summary must be at most 2000 characters". */
const LABELS: Record<string, string> = {
  recipient: 'The GP practice and address',
  recommendedDrug: 'The recommended bone therapy',
  clinicalSummary: 'The clinical summary',
  additionalComments: 'The additional comments',
  method: 'How it was sent',
  detail: 'Where it went or how',
  sentAt: 'When it was sent',
};

function values(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === 'string') out[name] = value;
  return out;
}

/** Problems beside their fields ("edits.clinicalSummary" → clinicalSummary), the rest above. */
function refused(error: unknown, typed: Record<string, string>): FormState {
  if (!(error instanceof RecordError)) throw error;
  if (error.code === 'invalid-input' && error.issues.length > 0) {
    const fieldErrors: Record<string, string> = {};
    const other: string[] = [];
    for (const issue of error.issues as readonly InputIssue[]) {
      const field = issue.path.split('.').at(-1) ?? '';
      if (LABELS[field]) fieldErrors[field] ??= `${LABELS[field]} ${issue.message}`;
      else other.push(`${issue.path} ${issue.message}`);
    }
    return { values: typed, fieldErrors, ...(other.length ? { error: other.join('; ') } : {}) };
  }
  return { values: typed, fieldErrors: {}, error: error.message };
}

const pageOf = (episodeId: string, done: string) =>
  `/episodes/${encodeURIComponent(episodeId)}/gp-letter?done=${done}`;

/** Saves the nurse's text and drug choice to the draft (optimistic: the version opened). */
export async function saveGpLetterDraftAction(
  target: { episodeId: string; version: number },
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const user = await requirePermission('gpLetter.draft');
  const typed = values(form);
  try {
    await saveGpLetterDraft(
      db(),
      {
        episodeId: target.episodeId,
        version: target.version,
        edits: {
          recipient: typed.recipient ?? '',
          recommendedDrug: typed.recommendedDrug ?? '',
          clinicalSummary: typed.clinicalSummary ?? '',
          additionalComments: typed.additionalComments ?? '',
        },
      },
      { actorId: user.id, now: new Date(), sender: letterSender() },
    );
  } catch (error) {
    return refused(error, typed);
  }
  redirect(pageOf(target.episodeId, 'saved'));
}

/** Starts a new letter: a further one, or a correction that replaces a signed letter. */
export async function startGpLetterAction(
  target: { episodeId: string; replacesId: string | null },
  _previous: FormState,
  _form: FormData,
): Promise<FormState> {
  const user = await requirePermission('gpLetter.draft');
  try {
    const now = new Date();
    // A new letter is addressed as the last signed one was.
    const current = await gpLettersOfEpisode(db(), target.episodeId, {
      now,
      sender: letterSender(),
    });
    await saveGpLetterDraft(
      db(),
      {
        episodeId: target.episodeId,
        version: 0,
        replacesId: target.replacesId,
        edits: { recipient: current?.draft.edits.recipient ?? '' },
      },
      { actorId: user.id, now, sender: letterSender() },
    );
  } catch (error) {
    return refused(error, {});
  }
  redirect(pageOf(target.episodeId, target.replacesId ? 'correction' : 'started'));
}

/** Signs off the draft the nurse previewed (its version and the record's version). */
export async function signOffGpLetterAction(
  target: { episodeId: string; letterId: string; version: number; episodeVersion: number },
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const user = await requirePermission('gpLetter.signOff');
  const typed = values(form);
  if (typed.confirm !== 'yes') {
    return {
      values: typed,
      fieldErrors: {
        confirm: 'Confirm that you have read the letter and that it is correct before signing off',
      },
    };
  }
  try {
    await signOffGpLetter(
      db(),
      { letterId: target.letterId, version: target.version, episodeVersion: target.episodeVersion },
      { actorId: user.id, now: new Date(), sender: letterSender() },
    );
  } catch (error) {
    return refused(error, typed);
  }
  redirect(pageOf(target.episodeId, 'signed'));
}

/** Records that a signed letter was sent: how, where, when (date and time, in the user's zone). */
export async function recordGpLetterSentAction(
  target: { episodeId: string; letterId: string },
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const user = await requirePermission('gpLetter.recordSent');
  const { values: typed, problems } = joinDates(values(form));
  const zone = await userTimeZone();
  const now = new Date();
  if (problems.sentAt) {
    return { values: typed, fieldErrors: { sentAt: `${LABELS.sentAt} ${problems.sentAt}` } };
  }
  const sentAt = typed.sentAt ? pastInstantFromForm(typed.sentAt, zone, now) : undefined;
  if (!sentAt) {
    return {
      values: typed,
      fieldErrors: {
        sentAt: `${LABELS.sentAt} must be a date and a time, for example 7 12 2026 and 14:30`,
      },
    };
  }
  try {
    await recordGpLetterSent(
      db(),
      {
        letterId: target.letterId,
        method: typed.method ?? '',
        detail: typed.detail ?? '',
        sentAt: sentAt.toISOString(),
      },
      { actorId: user.id, now },
    );
  } catch (error) {
    return refused(error, typed);
  }
  redirect(pageOf(target.episodeId, 'sent'));
}
