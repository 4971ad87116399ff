'use server';

import { loadEpisodeRecord, RecordError, recordEvent } from '@vfx/database';
import {
  EVENT_TYPES,
  type EventType,
  effectiveEpisode,
  effectiveEpisodeWithout,
  type InputIssue,
} from '@vfx/domain';
import { redirect } from 'next/navigation';
import { detailsFromForm } from '@/forms/details-correction';
import { EVENT_FORMS, eventFromForm } from '@/forms/event-fields';
import { type FormState, formValues, placeIssues } from '@/forms/form-state';
import { pastInstantFromForm } from '@/forms/past-instant';
import { db } from '@/server/db';
import { requireUser } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';

export interface RecordTarget {
  readonly episodeId: string;
  readonly type: EventType;
  /** The entry this one corrects or withdraws. */
  readonly supersedes?: string;
}

/**
 * Records the entry through the shared write path, then shows the patient page with what it
 * changed in the plan. Refused input comes back with the values as typed: its problems placed
 * by `place`, any other refusal as the form's message.
 */
async function saveEntry(
  episodeId: string,
  event: Record<string, unknown>,
  actorId: string,
  values: Record<string, string>,
  place: (issues: readonly InputIssue[]) => Pick<FormState, 'fieldErrors' | 'error'>,
): Promise<FormState> {
  let recordedId: string;
  try {
    recordedId = (await recordEvent(db(), { episodeId, event }, { actorId })).event.id;
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return error.code === 'invalid-input'
      ? { values, ...place(error.issues) }
      : { values, fieldErrors: {}, error: error.message };
  }
  redirect(
    `/episodes/${encodeURIComponent(episodeId)}?recorded=${encodeURIComponent(recordedId)}#changes`,
  );
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
  const user = await requireUser(['nurse']);
  const values = formValues(form);
  if (!EVENT_TYPES.includes(target.type)) {
    return { values, fieldErrors: {}, error: `There is no kind of entry called "${target.type}".` };
  }
  const spec = EVENT_FORMS[target.type];
  const zone = await userTimeZone();
  const occurredAt = await occurredAtOf(target, values.occurredAt ?? '', zone);
  if (!occurredAt) {
    return {
      values,
      fieldErrors: { occurredAt: 'Enter the date and time it happened, e.g. 21/11/2026 09:30.' },
    };
  }
  const event = {
    ...eventFromForm(spec, values),
    occurredAt: occurredAt.toISOString(),
    ...(target.supersedes ? { supersedes: target.supersedes } : {}),
  };
  const fields = [...spec.fields.map((f) => f.name), 'occurredAt', 'note'];
  return saveEntry(target.episodeId, event, user.id, values, (issues) =>
    placeIssues(issues, fields, 'event.'),
  );
}

/** When the entry happened: a correction left as shown keeps the corrected entry's instant. */
async function occurredAtOf(
  target: RecordTarget,
  typed: string,
  zone: string,
): Promise<Date | undefined> {
  const record = target.supersedes ? await loadEpisodeRecord(db(), target.episodeId) : undefined;
  const original = record?.events.find((event) => event.id === target.supersedes);
  return pastInstantFromForm(typed, zone, new Date(), original?.occurredAt);
}

export interface DetailsTarget {
  readonly episodeId: string;
  /** The earlier correction of the details this one corrects. */
  readonly supersedes?: string;
}

/** The details fields of the correction form, as the write path names their problems. */
const DETAIL_FORM_FIELDS = [
  'vertebralLevels',
  'fractureDate',
  'fractureDateEstimated',
  'identifiedOn',
  'identification',
  'careSetting.admittedAt',
  'careSetting',
  'note',
];

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
  const user = await requireUser(['nurse']);
  const values = formValues(form);
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
  if (given.kind === 'invalid') return { values, fieldErrors: given.fieldErrors };
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
  return saveEntry(target.episodeId, event, user.id, values, (problems) => {
    // "Changes nothing" and problems with the correction being corrected concern the whole form.
    // One changed detail can break several rules (a later fracture date after both the
    // identification date and the admission): each is said beside that field.
    const byPath = new Map<string, string[]>();
    for (const issue of problems) {
      const path =
        issue.path === 'event.type' || issue.path === 'event.supersedes' ? '' : issue.path;
      byPath.set(path, [...(byPath.get(path) ?? []), issue.message]);
    }
    const issues = [...byPath].map(([path, messages]) => ({ path, message: messages.join('; ') }));
    const placed = placeIssues(issues, DETAIL_FORM_FIELDS, 'event.');
    const { 'careSetting.admittedAt': admission, ...fieldErrors } = placed.fieldErrors;
    if (admission) fieldErrors.admittedAt = admission;
    return { ...placed, fieldErrors };
  });
}
