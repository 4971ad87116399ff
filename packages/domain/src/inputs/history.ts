import type { BoneTherapyDrug } from '../pathway/drugs.js';
import type { EpochMs } from '../time/calendar.js';
import type { ClinicalEvent, EventOf } from './schemas.js';

/** An event with its instants parsed once. */
export interface TimedEvent<E extends ClinicalEvent = ClinicalEvent> {
  readonly event: E;
  readonly occurredAt: EpochMs;
  readonly recordedAt: EpochMs;
  /**
   * The first entry of this event's correction chain (its own id when never a correction). Plan
   * steps created by an event are keyed by it, so correcting the event moves the step instead of
   * replacing it.
   */
  readonly rootId: string;
}

export function timed<E extends ClinicalEvent>(event: E): TimedEvent<E> {
  return {
    event,
    occurredAt: Date.parse(event.occurredAt),
    recordedAt: Date.parse(event.recordedAt),
    rootId: event.id,
  };
}

/** Clinical order: when it happened, then when it was entered, then id (total and stable). */
export function byOccurrence(a: TimedEvent, b: TimedEvent): number {
  return (
    a.occurredAt - b.occurredAt ||
    a.recordedAt - b.recordedAt ||
    (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0)
  );
}

/** Entry order: the order in which the append-only log grew. */
export function byRecording(a: TimedEvent, b: TimedEvent): number {
  return (
    a.recordedAt - b.recordedAt ||
    a.occurredAt - b.occurredAt ||
    (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0)
  );
}

/**
 * The history that counts: every event that has not been superseded by a correction or withdrawn
 * by a retraction, in clinical order. Retractions themselves carry no clinical content.
 */
export function effectiveHistory(events: readonly TimedEvent[]): TimedEvent[] {
  const superseded = new Set<string>();
  const supersedesOf = new Map<string, string>();
  for (const { event } of events) {
    if (event.supersedes) {
      superseded.add(event.supersedes);
      supersedesOf.set(event.id, event.supersedes);
    }
  }
  const rootOf = (id: string): string => {
    let root = id;
    const seen = new Set<string>();
    for (
      let previous = supersedesOf.get(root);
      previous && !seen.has(previous);
      previous = supersedesOf.get(root)
    ) {
      seen.add(root);
      root = previous;
    }
    return root;
  };
  return events
    .filter(({ event }) => !superseded.has(event.id) && event.type !== 'retraction')
    .map((item) => (item.event.supersedes ? { ...item, rootId: rootOf(item.event.id) } : item))
    .sort(byOccurrence);
}

export interface TherapyCourse {
  readonly drug: BoneTherapyDrug;
  readonly started: TimedEvent<EventOf<'bone-therapy-started'>>;
  /** Doses after the start (the start itself is the first dose of an injected drug). */
  readonly doses: TimedEvent<EventOf<'bone-therapy-dose'>>[];
  readonly stopped: TimedEvent<EventOf<'bone-therapy-stopped'>> | undefined;
}

export type CourseProblem = { readonly eventId: string; readonly message: string };

/**
 * Groups therapy events into courses: a start, its doses, and optionally a stop. Returns the
 * problems found (a dose with no course running, a second start while one runs) instead of
 * guessing what was meant.
 */
export function therapyCourses(history: readonly TimedEvent[]): {
  courses: TherapyCourse[];
  problems: CourseProblem[];
} {
  const courses: TherapyCourse[] = [];
  const open = new Map<
    BoneTherapyDrug,
    TherapyCourse & { doses: TimedEvent<EventOf<'bone-therapy-dose'>>[] }
  >();
  const problems: CourseProblem[] = [];
  for (const item of history) {
    const { event } = item;
    if (event.type === 'bone-therapy-started') {
      if (open.has(event.drug)) {
        problems.push({
          eventId: event.id,
          message: `a course of ${event.drug} is already running; record bone-therapy-stopped before starting another`,
        });
        continue;
      }
      const course = {
        drug: event.drug,
        started: item as TimedEvent<EventOf<'bone-therapy-started'>>,
        doses: [] as TimedEvent<EventOf<'bone-therapy-dose'>>[],
        stopped: undefined,
      };
      courses.push(course);
      open.set(event.drug, course);
    } else if (event.type === 'bone-therapy-dose') {
      const course = open.get(event.drug);
      if (!course) {
        problems.push({
          eventId: event.id,
          message: `no course of ${event.drug} is running at that time; record bone-therapy-started first`,
        });
        continue;
      }
      course.doses.push(item as TimedEvent<EventOf<'bone-therapy-dose'>>);
    } else if (event.type === 'bone-therapy-stopped') {
      const course = open.get(event.drug);
      if (!course) {
        problems.push({
          eventId: event.id,
          message: `no course of ${event.drug} is running at that time, so it cannot be stopped`,
        });
        continue;
      }
      const index = courses.indexOf(course);
      courses[index] = { ...course, stopped: item as TimedEvent<EventOf<'bone-therapy-stopped'>> };
      open.delete(event.drug);
    }
  }
  return { courses, problems };
}
