import { byRecording, effectiveHistory, type TimedEvent, timed } from './history.js';
import {
  type ClinicalEvent,
  EPISODE_DETAIL_FIELDS,
  type Episode,
  type EpisodeDetailField,
  type EventOf,
} from './schemas.js';

type DetailsCorrection = EventOf<'episode-details-corrected'>;

const isDetailsCorrection = (item: TimedEvent): item is TimedEvent<DetailsCorrection> =>
  item.event.type === 'episode-details-corrected';

/**
 * The episode as the corrections in effect leave it, from a history that is already effective
 * (corrections and withdrawals applied, as effectiveHistory gives it). Each correction replaces
 * the details it carries; the one entered last wins, because it is the latest decision about the
 * record, whatever date it names (as with reschedules). Details no correction carries keep their
 * enrolment value, and so do the findings, which clinical-findings entries update instead.
 */
export function correctedEpisode(episode: Episode, history: readonly TimedEvent[]): Episode {
  const corrections = history.filter(isDetailsCorrection);
  if (corrections.length === 0) return episode;
  let corrected: Episode = episode;
  for (const { event } of [...corrections].sort(byRecording)) {
    corrected = { ...corrected, ...carriedDetails(event) };
  }
  return corrected;
}

/**
 * The episode as it stands, for anything that shows or stores it (a page header, a list's
 * fracture date): the enrolment record with the corrections recorded by `asOf` (all of them when
 * not given) applied. The events may come in any order, and may be only the
 * episode-details-corrected entries and the retractions (EPISODE_DETAILS_EVENT_TYPES).
 */
export function effectiveEpisode(
  episode: Episode,
  events: readonly ClinicalEvent[],
  asOf?: number,
): Episode {
  const known = events.map(timed).filter((item) => asOf === undefined || item.recordedAt <= asOf);
  return correctedEpisode(episode, effectiveHistory(known));
}

/**
 * The episode as it would stand with one correction of its details set aside, as a correction of
 * that entry replaces it: the basis to compare a correction of it with (which details it really
 * changes). The entries that entry itself replaced stay replaced.
 */
export function effectiveEpisodeWithout(
  episode: Episode,
  events: readonly ClinicalEvent[],
  eventId: string,
): Episode {
  const effective = effectiveHistory(events.map(timed));
  return correctedEpisode(
    episode,
    effective.filter((item) => item.event.id !== eventId),
  );
}

/** The event types effectiveEpisode reads (corrections of corrections share the type). */
export const EPISODE_DETAILS_EVENT_TYPES = ['episode-details-corrected', 'retraction'] as const;

/** The details a correction carries (those it leaves out are undefined and not returned). */
export function carriedDetails(
  event: DetailsCorrection,
): Partial<Pick<Episode, EpisodeDetailField>> {
  const carried: Partial<Record<EpisodeDetailField, unknown>> = {};
  for (const field of EPISODE_DETAIL_FIELDS) {
    if (event[field] !== undefined) carried[field] = event[field];
  }
  return carried as Partial<Pick<Episode, EpisodeDetailField>>;
}

/**
 * The details that differ between two versions of the episode, compared as what they mean: the
 * same levels in another order, or the same admission instant written at another offset, are the
 * same detail.
 */
export function changedDetails(before: Episode, after: Episode): EpisodeDetailField[] {
  return EPISODE_DETAIL_FIELDS.filter((field) => !sameDetail(field, before, after));
}

function sameDetail(field: EpisodeDetailField, a: Episode, b: Episode): boolean {
  switch (field) {
    case 'vertebralLevels':
      return [...a.vertebralLevels].sort().join() === [...b.vertebralLevels].sort().join();
    case 'careSetting':
      return (
        a.careSetting.kind === b.careSetting.kind &&
        (a.careSetting.kind !== 'admitted' ||
          b.careSetting.kind !== 'admitted' ||
          Date.parse(a.careSetting.admittedAt) === Date.parse(b.careSetting.admittedAt))
      );
    default:
      return a[field] === b[field];
  }
}
