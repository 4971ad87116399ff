import type { BoneTherapyDrug } from '../pathway/drugs.js';
import type { EpochMs, LocalDate } from '../time/calendar.js';
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
  /**
   * The entry that began the course in this record: its start, or (for a course that began
   * before the fracture and was still taken then) the prior therapy recorded.
   */
  readonly started: TimedEvent<EventOf<'bone-therapy-started'> | EventOf<'prior-bone-therapy'>>;
  /** For a course that began before the fracture: its dates as the patient reported them. */
  readonly prior: PriorCourse | undefined;
  /** Doses after the start (the start itself is the first dose of an injected drug). */
  readonly doses: TimedEvent<EventOf<'bone-therapy-dose'>>[];
  readonly stopped: TimedEvent<EventOf<'bone-therapy-stopped'>> | undefined;
}

export interface PriorCourse {
  readonly startedOn: LocalDate;
  /** The last injection or infusion before the record (denosumab, zoledronic acid). */
  readonly lastDoseOn: LocalDate | undefined;
}

export type CourseProblem = { readonly eventId: string; readonly message: string };

const isPrior = (item: TimedEvent): item is TimedEvent<EventOf<'prior-bone-therapy'>> =>
  item.event.type === 'prior-bone-therapy';

/**
 * Groups therapy events into courses: a start, its doses, and optionally a stop. Returns the
 * problems found (a dose with no course running, a second start while one runs) instead of
 * guessing what was meant.
 *
 * Prior therapy still taken at the fracture began before anything else in the episode, so it is
 * read first, whenever it was recorded: a start of the same drug since then is a second start.
 * Prior therapy that had stopped before the fracture is history, returned in `earlier`.
 */
export function therapyCourses(history: readonly TimedEvent[]): {
  courses: TherapyCourse[];
  earlier: TimedEvent<EventOf<'prior-bone-therapy'>>[];
  problems: CourseProblem[];
} {
  const courses: TherapyCourse[] = [];
  const earlier: TimedEvent<EventOf<'prior-bone-therapy'>>[] = [];
  const open = new Map<
    BoneTherapyDrug,
    TherapyCourse & { doses: TimedEvent<EventOf<'bone-therapy-dose'>>[] }
  >();
  const problems: CourseProblem[] = [];
  const ordered = [...history.filter(isPrior), ...history.filter((item) => !isPrior(item))];
  for (const item of ordered) {
    const { event } = item;
    if (event.type === 'bone-therapy-started' || event.type === 'prior-bone-therapy') {
      if (event.type === 'prior-bone-therapy' && !event.takingAtFracture) {
        earlier.push(item as TimedEvent<EventOf<'prior-bone-therapy'>>);
        continue;
      }
      const running = open.get(event.drug);
      if (running) {
        problems.push({
          eventId: event.id,
          message:
            running.prior && event.type === 'bone-therapy-started'
              ? `a course of ${event.drug} is already running (taken since ${running.prior.startedOn}, recorded as prior therapy); record bone-therapy-stopped before starting another`
              : `a course of ${event.drug} is already running; record bone-therapy-stopped before starting another`,
        });
        continue;
      }
      const course = {
        drug: event.drug,
        started: item as TherapyCourse['started'],
        prior:
          event.type === 'prior-bone-therapy'
            ? { startedOn: event.startedOn, lastDoseOn: event.lastDoseOn }
            : undefined,
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
  return { courses, earlier, problems };
}
