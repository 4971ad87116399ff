'use server';

import { RecordError } from '@vfx/database';
import { PreviewOutdatedError, previewEvent, recordEvent } from '@vfx/database/commands';
import { loadEpisodeRecord, userNames } from '@vfx/database/views';
import {
  type EntryPreview,
  EVENT_TYPES,
  type EventType,
  effectiveEpisode,
  effectiveEpisodeWithout,
  type InputIssue,
} from '@vfx/domain';
import { redirect } from 'next/navigation';
import { joinDates } from '@/forms/date-parts';
import { detailsFromForm } from '@/forms/details-correction';
import { EVENT_FORMS, eventFromForm, wordsOf } from '@/forms/event-fields';
import {
  type FormState,
  formValues,
  PREVIEW_FIELDS,
  type PreviewState,
  placeIssues,
  previewedValuesOf,
  wordProblems,
} from '@/forms/form-state';
import type { FieldWords } from '@/forms/messages';
import { pastInstantFromForm } from '@/forms/past-instant';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { statusText } from '@/ui/status';

export interface RecordTarget {
  readonly episodeId: string;
  readonly type: EventType;
  /** The entry this one corrects or withdraws. */
  readonly supersedes?: string;
  /** The step page the entry is made from: its preview always says what becomes of that step. */
  readonly focusStepKey?: string;
}

/**
 * Records one clinical entry through the shared write path. The domain's schemas decide what is
 * valid; their problems come back beside the fields with the values as typed, and nothing is
 * stored. On success the patient page shows what the entry changed in the plan.
 */
export async function recordEventAction(
  target: RecordTarget,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  // A withdrawal is judged again by the write path, by what it withdraws.
  const user = await requirePermission(
    'entry.record',
    target.type === 'retraction' ? {} : { entryType: target.type },
  );
  const joined = joinDates(formValues(form));
  const values = joined.values;
  if (!EVENT_TYPES.includes(target.type)) {
    return { values, fieldErrors: {}, error: `There is no kind of entry called "${target.type}".` };
  }
  const spec = EVENT_FORMS[target.type];
  const zone = await userTimeZone();
  const now = new Date();
  const words: Record<string, FieldWords> = {
    note: { label: 'Note', kind: 'text' },
    ...Object.fromEntries(spec.fields.map((f) => [f.name, wordsOf(f)])),
    occurredAt: { label: 'The date it happened', kind: 'date-time' },
  };
  // Date boxes that are not a date are said beside their field; the domain's checks of the other
  // fields still run, so every problem is shown at once.
  const own: Record<string, string> = wordProblems(joined.problems, words);
  const occurredAt = await occurredAtOf(target, values.occurredAt ?? '', zone, now);
  if (!occurredAt && !own.occurredAt) {
    own.occurredAt = 'Enter the date and time it happened, e.g. 21 11 2026 and 09:30.';
  }
  const confirmProblem = confirmationProblem(target.type, form);
  if (confirmProblem) own.confirm = confirmProblem;
  const event = {
    ...eventFromForm(spec, values),
    // Unreadable, the time is checked as now, so the other fields' problems are found too.
    occurredAt: (occurredAt ?? now).toISOString(),
    ...(target.supersedes ? { supersedes: target.supersedes } : {}),
  };
  const place = (issues: readonly InputIssue[]) => {
    const placed = placeIssues(issues, words, 'event.', zone);
    return { ...placed, fieldErrors: { ...placed.fieldErrors, ...own } };
  };
  if (Object.keys(own).length > 0)
    return checkOnly(target.episodeId, event, user.id, values, place);

  return previewOrSave(
    { episodeId: target.episodeId, event, focusStepKey: target.focusStepKey },
    user.id,
    form,
    values,
    place,
  );
}

/**
 * A form with problems of its own (an unreadable date, a box not ticked) is refused; the domain
 * still checks the rest, so its problems are shown at the same time. Nothing is previewed.
 */
async function checkOnly(
  episodeId: string,
  event: Record<string, unknown>,
  actorId: string,
  values: Record<string, string>,
  place: (issues: readonly InputIssue[]) => Pick<FormState, 'fieldErrors' | 'error'>,
): Promise<FormState> {
  try {
    await previewEvent(db(), { episodeId, event }, { actorId });
  } catch (error) {
    if (error instanceof RecordError && error.code === 'invalid-input') {
      return { values, ...place(error.issues) };
    }
    if (!(error instanceof RecordError)) throw error;
  }
  return { values, ...place([]) };
}

/**
 * Previews the entry, or saves it when the form sends back the preview of exactly these values:
 * nothing is saved unseen, and a value changed after the preview is previewed again. The save
 * applies exactly the previewed changes, or shows the new preview if the plan changed meanwhile.
 * Refused input comes back with the values as typed: its problems placed by `place`, any other
 * refusal as the form's message. On success the patient page shows what the entry changed.
 */
async function previewOrSave(
  input: { episodeId: string; event: Record<string, unknown>; focusStepKey?: string },
  actorId: string,
  form: FormData,
  values: Record<string, string>,
  place: (issues: readonly InputIssue[]) => Pick<FormState, 'fieldErrors' | 'error'>,
): Promise<FormState> {
  const refused = (error: unknown): FormState => {
    if (!(error instanceof RecordError)) throw error;
    return error.code === 'invalid-input'
      ? { values, ...place(error.issues) }
      : { values, fieldErrors: {}, error: error.message };
  };
  const previewed = form.get(PREVIEW_FIELDS.values);
  const digest = form.get(PREVIEW_FIELDS.digest);
  const asked = form.get(PREVIEW_FIELDS.intent) === 'save';
  if (!asked || typeof digest !== 'string' || previewed !== previewedValuesOf(values)) {
    const again = asked
      ? 'You changed the entry after the preview. Nothing was saved: check what it changes now, then save.'
      : undefined;
    try {
      const preview = await previewEvent(db(), input, { actorId });
      return { values, fieldErrors: {}, preview: await previewState(preview, values, again) };
    } catch (error) {
      return refused(error);
    }
  }
  let recordedId: string;
  try {
    const recorded = await recordEvent(db(), input, {
      actorId,
      expectedChangesDigest: digest,
      focusStepKey: input.focusStepKey,
    });
    recordedId = recorded.event.id;
  } catch (error) {
    if (error instanceof PreviewOutdatedError) {
      return {
        values,
        fieldErrors: {},
        preview: await previewState(error.preview, values, error.message),
      };
    }
    return refused(error);
  }
  redirect(
    `/episodes/${encodeURIComponent(input.episodeId)}?recorded=${encodeURIComponent(recordedId)}#changes`,
  );
}

/**
 * Entries that end something for good ask the nurse to confirm first: stopping a bone therapy
 * ends its doses and reviews. The form's confirmation box must be ticked.
 */
function confirmationProblem(type: EventType, form: FormData): string | undefined {
  if (type !== 'bone-therapy-stopped' || form.get('confirm') === 'yes') return undefined;
  return 'Tick to confirm that the therapy was stopped: its doses and reviews end.';
}

/** The domain's preview as the form shows it, with people named instead of user ids. */
async function previewState(
  preview: EntryPreview,
  values: Record<string, string>,
  again: string | undefined,
): Promise<PreviewState> {
  const texts = [preview.focus?.sentence ?? '', ...preview.changes.map((c) => c.reason)];
  const named = await namePeople(texts);
  return {
    focus: preview.focus ? named(preview.focus.sentence) : undefined,
    changes: preview.changes.map((change) => ({
      title: change.title,
      kind: change.kind,
      before: change.kind === 'status' ? statusOf(change.before) : change.before,
      after: change.kind === 'status' ? statusOf(change.after) : change.after,
      reason: named(change.reason),
    })),
    digest: preview.digest,
    previewedValues: previewedValuesOf(values),
    ...(again ? { again } : {}),
  };
}

const statusOf = (status: string | undefined) =>
  status === undefined ? undefined : statusText(status);

/** "(entry <id>, recorded by <user id>)" in the domain's reasons becomes "(recorded by <name>)". */
async function namePeople(texts: readonly string[]): Promise<(text: string) => string> {
  const pattern = /\(entry [^,()]+, recorded by ([^()]+)\)/g;
  const ids = new Set(
    texts.flatMap((text) => [...text.matchAll(pattern)].map((m) => m[1]?.trim() ?? '')),
  );
  const users = await userNames(db(), ids);
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? 'a colleague';
  return (text) =>
    text.replace(pattern, (_all, who: string) => `(recorded by ${nameOf(who.trim())})`);
}

/** When the entry happened: a correction left as shown keeps the corrected entry's instant. */
async function occurredAtOf(
  target: RecordTarget,
  typed: string,
  zone: string,
  now: Date,
): Promise<Date | undefined> {
  const record = target.supersedes ? await loadEpisodeRecord(db(), target.episodeId) : undefined;
  const original = record?.events.find((event) => event.id === target.supersedes);
  return pastInstantFromForm(typed, zone, now, original?.occurredAt);
}

export interface DetailsTarget {
  readonly episodeId: string;
  /** The earlier correction of the details this one corrects. */
  readonly supersedes?: string;
}

/**
 * The details fields of the correction form, as the write path names their problems, and how a
 * message names each.
 */
const DETAIL_WORDS: Record<string, FieldWords> = {
  vertebralLevels: { label: 'Fractured levels', kind: 'list' },
  fractureDate: { label: 'Date of fracture', kind: 'date' },
  fractureDateEstimated: { label: 'The fracture date is estimated', kind: 'yes-no' },
  identifiedOn: { label: 'Identified on', kind: 'date' },
  identification: { label: 'How it was identified', kind: 'choice' },
  'careSetting.admittedAt': { label: 'Admitted at', kind: 'date-time' },
  admittedAt: { label: 'Admitted at', kind: 'date-time' },
  careSetting: { label: 'Care setting', kind: 'choice' },
  note: { label: 'Why the details are corrected', kind: 'text' },
};

/**
 * Corrects the episode's enrolment details through the shared write path. The form shows every
 * detail as it stands; only the ones the nurse changed are sent, so the entry says exactly what
 * was corrected. The domain validates the corrected episode as at enrolment; its problems come
 * back beside the fields, and nothing is stored.
 */
export async function correctEpisodeDetailsAction(
  target: DetailsTarget,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const user = await requirePermission('entry.record', {
    entryType: 'episode-details-corrected',
  });
  const joined = joinDates(formValues(form));
  const values = joined.values;
  const own = wordProblems(joined.problems, DETAIL_WORDS);
  const zone = await userTimeZone();
  const record = await loadEpisodeRecord(db(), target.episodeId);
  if (!record) {
    return { values, fieldErrors: {}, error: 'This episode does not exist any more.' };
  }
  // Compared with the details as they stand or, when this corrects an earlier correction, as
  // they would stand without it (what that one changed is sent again if it is kept).
  const base = target.supersedes
    ? effectiveEpisodeWithout(record.episode, record.events, target.supersedes)
    : effectiveEpisode(record.episode, record.events);

  const given = detailsFromForm(values, base, zone, new Date());
  if (given.kind === 'invalid') return { values, fieldErrors: { ...given.fieldErrors, ...own } };
  if (given.kind === 'unchanged') {
    return {
      values,
      fieldErrors: {},
      error: 'Nothing has changed: change at least one detail, or cancel.',
    };
  }
  const event = {
    type: 'episode-details-corrected',
    ...given.details,
    note: values.note ?? '',
    occurredAt: new Date().toISOString(),
    ...(target.supersedes ? { supersedes: target.supersedes } : {}),
  };
  return previewOrSave(
    { episodeId: target.episodeId, event },
    user.id,
    form,
    values,
    (problems) => {
      // "Changes nothing" and problems with the correction being corrected concern the whole form.
      // One changed detail can break several rules (a later fracture date after both the
      // identification date and the admission): each is said beside that field.
      const issues = problems.map((issue) =>
        issue.path === 'event.type' || issue.path === 'event.supersedes'
          ? { ...issue, path: '' }
          : issue,
      );
      const placed = placeIssues(issues, DETAIL_WORDS, 'event.', zone);
      const { 'careSetting.admittedAt': admission, ...fieldErrors } = placed.fieldErrors;
      if (admission) fieldErrors.admittedAt = admission;
      return { ...placed, fieldErrors: { ...fieldErrors, ...own } };
    },
  );
}
