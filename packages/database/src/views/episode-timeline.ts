// An episode's history as it was recorded: every event in the order it was written, who wrote
// it, and how corrections and retractions link entries; then the plan's steps as they stand now.
import {
  type ClinicalEvent,
  DEFAULT_SERVICE_SETTINGS,
  effectiveHistory,
  type PlanStep,
  type ServiceSettings,
  timed,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { currentPlan } from './episode-plan.js';

/**
 * in-effect: counts in the plan; corrected: replaced by a later entry of the same type;
 * retracted: withdrawn as made in error; retraction: the withdrawal itself.
 */
export type TimelineEntryStatus = 'in-effect' | 'corrected' | 'retracted' | 'retraction';

export interface TimelineEntry {
  /** Position in the episode's append-only log (1 for the first entry). */
  readonly position: number;
  readonly event: ClinicalEvent;
  readonly recordedBy: { readonly id: string; readonly name: string };
  readonly status: TimelineEntryStatus;
  /** The entry this one corrects or withdraws. */
  readonly supersedes: string | null;
  /** The later entry that corrected or withdrew this one. */
  readonly supersededBy: string | null;
}

export interface EpisodeTimeline {
  readonly episodeId: string;
  readonly patientId: string;
  readonly version: number;
  readonly asOf: string;
  readonly entries: readonly TimelineEntry[];
  readonly steps: readonly PlanStep[];
}

/** The timeline of an episode at `now`, or undefined when there is no such episode. */
export async function episodeTimeline(
  db: Queryable,
  episodeId: string,
  now: Date,
  settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS,
): Promise<EpisodeTimeline | undefined> {
  const current = await currentPlan(db, episodeId, now, settings);
  if (!current) return undefined;
  const { events, plan } = current;
  const recorderIds = [...new Set(events.map((event) => event.recordedBy))];
  const recorders = new Map(
    (
      await db.user.findMany({
        where: { id: { in: recorderIds } },
        select: { id: true, name: true },
      })
    ).map((user) => [user.id, user]),
  );
  // Which entries count is the domain's rule (effectiveHistory), not re-derived here.
  const inEffect = new Set(effectiveHistory(events.map(timed)).map((item) => item.event.id));
  const byId = new Map(events.map((event) => [event.id, event]));
  const supersededBy = new Map<string, string>();
  for (const event of events) {
    if (event.supersedes) supersededBy.set(event.supersedes, event.id);
  }
  const statusOf = (event: ClinicalEvent): TimelineEntryStatus => {
    if (event.type === 'retraction') return 'retraction';
    if (inEffect.has(event.id)) return 'in-effect';
    const later = byId.get(supersededBy.get(event.id) ?? '');
    return later?.type === 'retraction' ? 'retracted' : 'corrected';
  };
  return {
    episodeId,
    patientId: current.patientId,
    version: current.version,
    asOf: plan.asOf,
    entries: events.map((event, index) => ({
      position: index + 1,
      event,
      recordedBy: recorders.get(event.recordedBy) ?? {
        id: event.recordedBy,
        name: event.recordedBy,
      },
      status: statusOf(event),
      supersedes: event.supersedes ?? null,
      supersededBy: supersededBy.get(event.id) ?? null,
    })),
    steps: plan.steps,
  };
}
