import { loadEpisodeRecord, statusesAsOf, userNames } from '@vfx/database/views';
import { computePlan, effectiveEpisode, findPathway, type PlanStep } from '@vfx/domain';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { db } from './db';

/**
 * An episode as its pages show it: the stored record, the episode as its corrections leave it,
 * the plan packages/domain computes from them at the instant the stored statuses hold for (now,
 * unless the worker is behind: then the lists and this page agree, and the page says so), and
 * the names of everyone who recorded something. One load per request.
 */
export const episodeView = cache(async (episodeId: string) => {
  const now = new Date();
  const [record, asOf] = await Promise.all([
    loadEpisodeRecord(db(), episodeId),
    statusesAsOf(db(), episodeId, now),
  ]);
  if (!record) notFound();
  const plan = computePlan({
    patient: record.patient,
    episode: record.episode,
    events: record.events,
    asOf: asOf.getTime(),
  });
  const people = new Set([
    ...record.events.map((e) => e.recordedBy),
    ...(record.nurseId ? [record.nurseId] : []),
  ]);
  const users = await userNames(db(), people);
  const definition = findPathway(record.episode.pathwayVersion);
  // A person's name, never their id: an account since removed is "a colleague".
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? 'a colleague';
  /**
   * The domain's reasons as a colleague reads them: "(entry <id>, recorded by <user id>)"
   * becomes "(recorded by Nell Nightingale)".
   */
  const words = (text: string) =>
    text.replace(
      /\(entry [^,()]+, recorded by ([^()]+)\)/g,
      (_all, who: string) => `(recorded by ${nameOf(who.trim())})`,
    );
  /**
   * A step's reason with who recorded its completion, by name: the domain writes no user id in
   * words, and keeps the id in the step's completion.
   */
  const reasonOf = (step: PlanStep) => {
    const text = words(step.reason);
    return step.completion ? `${text} Recorded by ${nameOf(step.completion.recordedBy)}.` : text;
  };
  return {
    now,
    /** When the statuses shown hold for: `now` unless the worker is behind. */
    statusesAsOf: asOf,
    record,
    /** The enrolment details as corrected (record.episode is the enrolment as first given). */
    episode: effectiveEpisode(record.episode, record.events),
    patientRow: record.row.patient,
    plan,
    definition,
    nameOf,
    words,
    reasonOf,
    nurseName: record.nurseId ? users.find((u) => u.id === record.nurseId)?.name : undefined,
  };
});
