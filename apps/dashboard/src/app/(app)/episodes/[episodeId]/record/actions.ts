'use server';

import { RecordError, recordEvent } from '@vfx/database';
import { EVENT_TYPES, type EventType } from '@vfx/domain';
import { redirect } from 'next/navigation';
import { EVENT_FORMS, eventFromForm } from '@/forms/event-fields';
import { type FormState, formValues, placeIssues } from '@/forms/form-state';
import { db } from '@/server/db';
import { requireUser } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { instantFromLocal } from '@/ui/dates';

export interface RecordTarget {
  readonly episodeId: string;
  readonly type: EventType;
  /** The entry this one corrects or withdraws. */
  readonly supersedes?: string;
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
  const occurredAt = instantFromLocal(values.occurredAt ?? '', zone);
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
  let recordedId: string;
  try {
    const result = await recordEvent(
      db(),
      { episodeId: target.episodeId, event },
      { actorId: user.id },
    );
    recordedId = result.event.id;
  } catch (error) {
    if (error instanceof RecordError) {
      const fields = [...spec.fields.map((f) => f.name), 'occurredAt', 'note'];
      if (error.code === 'invalid-input') {
        return { values, ...placeIssues(error.issues, fields, 'event.') };
      }
      return { values, fieldErrors: {}, error: error.message };
    }
    throw error;
  }
  redirect(
    `/episodes/${encodeURIComponent(target.episodeId)}?recorded=${encodeURIComponent(recordedId)}#changes`,
  );
}
