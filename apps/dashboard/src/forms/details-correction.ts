// The enrolment-details correction form: the episode's details as form text, and back to the
// details the nurse changed. Which changes count is the domain's (changedDetails compares by
// meaning); validity is the domain's too. This file only reads and writes the form's text.
import { changedDetails, type Episode, type EpisodeDetailField } from '@vfx/domain';
import { localInputValue } from '@/ui/dates';
import { pastInstantFromForm } from './past-instant';

/** The episode's details as the correction form's text, in the user's time zone. */
export function detailsFormValues(episode: Episode, zone: string): Record<string, string> {
  return {
    vertebralLevels: episode.vertebralLevels.join(','),
    fractureDate: episode.fractureDate,
    fractureDateEstimated: episode.fractureDateEstimated ? 'yes' : 'no',
    identifiedOn: episode.identifiedOn,
    identification: episode.identification,
    careSetting: episode.careSetting.kind,
    admittedAt:
      episode.careSetting.kind === 'admitted'
        ? localInputValue(episode.careSetting.admittedAt, zone)
        : '',
  };
}

export type DetailsFromForm =
  /** The details that differ from `base`, with their new values (as typed: the domain checks). */
  | { readonly kind: 'changed'; readonly details: Partial<Record<EpisodeDetailField, unknown>> }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'invalid'; readonly fieldErrors: Record<string, string> };

/**
 * The details the form changes compared with `base` (the details as they stand, or as they would
 * without the correction being corrected). An admission time left as shown keeps the stored
 * instant exactly (pastInstantFromForm): the field shows whole minutes only.
 */
export function detailsFromForm(
  values: Record<string, string>,
  base: Episode,
  zone: string,
  now: Date,
): DetailsFromForm {
  let careSetting: Episode['careSetting'] = { kind: 'community' };
  if (values.careSetting === 'admitted') {
    const shown = base.careSetting.kind === 'admitted' ? base.careSetting.admittedAt : undefined;
    const admittedAt = pastInstantFromForm(values.admittedAt ?? '', zone, now, shown);
    if (!admittedAt) {
      return {
        kind: 'invalid',
        fieldErrors: {
          admittedAt: 'Enter the date and time of admission, e.g. 16 11 2026 and 18:00.',
        },
      };
    }
    careSetting =
      shown !== undefined && admittedAt.getTime() === Date.parse(shown)
        ? base.careSetting
        : { kind: 'admitted', admittedAt: admittedAt.toISOString() };
  }
  const given = {
    ...base,
    vertebralLevels: (values.vertebralLevels ?? '').split(',').filter(Boolean),
    fractureDate: (values.fractureDate ?? '').trim(),
    fractureDateEstimated: values.fractureDateEstimated === 'yes',
    identifiedOn: (values.identifiedOn ?? '').trim(),
    identification: (values.identification ?? '').trim(),
    careSetting,
  } as Episode;
  const changed = changedDetails(base, given);
  if (changed.length === 0) return { kind: 'unchanged' };
  return {
    kind: 'changed',
    details: Object.fromEntries(changed.map((field) => [field, given[field]])),
  };
}
