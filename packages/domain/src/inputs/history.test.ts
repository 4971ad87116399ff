import { describe, expect, it } from 'vitest';
import {
  byOccurrence,
  byRecording,
  effectiveHistory,
  type TimedEvent,
  therapyCourses,
  timed,
} from './history.js';
import { ClinicalEventSchema } from './schemas.js';

type Raw = Record<string, unknown>;

/** A timed event; recorded when it occurred unless `recordedAt` is given. */
function entry(id: string, occurredAt: string, body: Raw, recordedAt = occurredAt): TimedEvent {
  return timed(
    ClinicalEventSchema.parse({ id, occurredAt, recordedAt, recordedBy: 'nurse-1', ...body }),
  );
}
const pain = (nrsAtRest: number, supersedes?: string): Raw => ({
  type: 'pain-assessment',
  nrsAtRest,
  nrsOnActivity: 7,
  functionalLimitation: 'moderate',
  ...(supersedes ? { supersedes } : {}),
});
const retraction = (supersedes: string): Raw => ({
  type: 'retraction',
  supersedes,
  note: 'entered in error',
});
const started = (drug: string): Raw => ({ type: 'bone-therapy-started', drug });
const dose = (drug: string): Raw => ({ type: 'bone-therapy-dose', drug });
const stopped = (drug: string): Raw => ({ type: 'bone-therapy-stopped', drug });

const ids = (items: readonly TimedEvent[]) => items.map((item) => item.event.id);

describe('timed', () => {
  it('parses both instants once and roots the event at itself', () => {
    const item = entry('ev1', '2025-01-10T10:00:00+01:00', pain(5), '2025-01-10T12:00:00Z');
    expect(item.occurredAt).toBe(Date.UTC(2025, 0, 10, 9, 0, 0));
    expect(item.recordedAt).toBe(Date.UTC(2025, 0, 10, 12, 0, 0));
    expect(item.rootId).toBe('ev1');
  });
});

describe('effectiveHistory', () => {
  it('is empty for an empty history', () => {
    expect(effectiveHistory([])).toEqual([]);
  });

  it('drops an entry that has been corrected and keeps the correction', () => {
    const ev1 = entry('ev1', '2025-01-10T10:00:00Z', pain(5));
    const ev2 = entry('ev2', '2025-01-10T10:00:00Z', pain(6, 'ev1'), '2025-01-11T09:00:00Z');
    const ev3 = entry('ev3', '2025-01-12T10:00:00Z', pain(2));
    expect(ids(effectiveHistory([ev1, ev2, ev3]))).toEqual(['ev2', 'ev3']);
  });

  it('keeps only the latest of a correction chain, rooted at the first entry', () => {
    const ev1 = entry('ev1', '2025-01-10T10:00:00Z', pain(5));
    const ev2 = entry('ev2', '2025-01-10T10:00:00Z', pain(6, 'ev1'), '2025-01-11T09:00:00Z');
    const ev3 = entry('ev3', '2025-01-10T11:00:00Z', pain(7, 'ev2'), '2025-01-12T09:00:00Z');
    const effective = effectiveHistory([ev1, ev2, ev3]);
    expect(ids(effective)).toEqual(['ev3']);
    expect(effective[0]?.rootId).toBe('ev1');
    expect(effective[0]?.event).toBe(ev3.event);
  });

  it('drops a retracted entry and the retraction itself', () => {
    const ev1 = entry('ev1', '2025-01-10T10:00:00Z', pain(5));
    const ev2 = entry('ev2', '2025-01-12T10:00:00Z', pain(3));
    const r1 = entry('r1', '2025-01-13T10:00:00Z', retraction('ev1'));
    expect(ids(effectiveHistory([ev1, ev2, r1]))).toEqual(['ev2']);
  });

  it('drops a whole correction chain whose latest version is retracted', () => {
    const ev1 = entry('ev1', '2025-01-10T10:00:00Z', pain(5));
    const ev2 = entry('ev2', '2025-01-10T10:00:00Z', pain(6, 'ev1'), '2025-01-11T09:00:00Z');
    const r1 = entry('r1', '2025-01-12T10:00:00Z', retraction('ev2'));
    expect(effectiveHistory([ev1, ev2, r1])).toEqual([]);
  });

  it('orders by when events happened, then when they were recorded, then by id', () => {
    const late = entry('a-late', '2025-01-12T10:00:00Z', pain(1));
    const recordedSecond = entry('a', '2025-01-10T10:00:00Z', pain(2), '2025-01-10T12:00:00Z');
    const recordedFirstB = entry('b', '2025-01-10T10:00:00Z', pain(3), '2025-01-10T11:00:00Z');
    const recordedFirstA = entry('c', '2025-01-10T10:00:00Z', pain(4), '2025-01-10T11:00:00Z');
    const early = entry('z-early', '2025-01-09T10:00:00Z', pain(5), '2025-01-13T10:00:00Z');
    const input = [late, recordedSecond, recordedFirstA, recordedFirstB, early];
    expect(ids(effectiveHistory(input))).toEqual(['z-early', 'b', 'c', 'a', 'a-late']);
    // The input list is left as it was.
    expect(ids(input)).toEqual(['a-late', 'a', 'c', 'b', 'z-early']);
  });
});

describe('byRecording and byOccurrence', () => {
  const a = entry('a', '2025-01-10T10:00:00Z', pain(1), '2025-01-15T10:00:00Z');
  const b = entry('b', '2025-01-11T10:00:00Z', pain(2), '2025-01-11T10:00:00Z');

  it('put the log in entry order and in clinical order respectively', () => {
    expect(ids([a, b].sort(byRecording))).toEqual(['b', 'a']);
    expect(ids([b, a].sort(byOccurrence))).toEqual(['a', 'b']);
  });

  it('break a tie on recording time by occurrence, then id', () => {
    const c = entry('c', '2025-01-09T10:00:00Z', pain(3), '2025-01-15T10:00:00Z');
    const d = entry('d', '2025-01-09T10:00:00Z', pain(4), '2025-01-15T10:00:00Z');
    expect(ids([a, d, c].sort(byRecording))).toEqual(['c', 'd', 'a']);
  });
});

describe('therapyCourses', () => {
  it('groups a start, its doses and its stop into one course per drug', () => {
    const history = [
      entry('s1', '2025-02-01T10:00:00Z', started('denosumab')),
      entry('p1', '2025-02-02T10:00:00Z', pain(4)),
      entry('s2', '2025-02-03T10:00:00Z', started('teriparatide')),
      entry('d1', '2025-08-01T10:00:00Z', dose('denosumab')),
      entry('d2', '2025-08-02T10:00:00Z', dose('teriparatide')),
      entry('x1', '2025-09-01T10:00:00Z', stopped('denosumab')),
    ];
    const { courses, problems } = therapyCourses(history);
    expect(problems).toEqual([]);
    expect(
      courses.map((course) => ({
        drug: course.drug,
        started: course.started.event.id,
        doses: ids(course.doses),
        stopped: course.stopped?.event.id,
      })),
    ).toEqual([
      { drug: 'denosumab', started: 's1', doses: ['d1'], stopped: 'x1' },
      { drug: 'teriparatide', started: 's2', doses: ['d2'], stopped: undefined },
    ]);
  });

  it('starts a new course of the same drug after a stop, and gives later doses to it', () => {
    const history = [
      entry('s1', '2025-02-01T10:00:00Z', started('zoledronic-acid')),
      entry('x1', '2025-03-01T10:00:00Z', stopped('zoledronic-acid')),
      entry('s2', '2026-02-01T10:00:00Z', started('zoledronic-acid')),
      entry('d2', '2027-02-01T10:00:00Z', dose('zoledronic-acid')),
    ];
    const { courses, problems } = therapyCourses(history);
    expect(problems).toEqual([]);
    expect(courses.map((c) => [c.started.event.id, ids(c.doses), c.stopped?.event.id])).toEqual([
      ['s1', [], 'x1'],
      ['s2', ['d2'], undefined],
    ]);
  });

  it('reports a dose and a stop with no course running, naming the drug', () => {
    const history = [
      entry('d0', '2025-01-20T10:00:00Z', dose('denosumab')),
      entry('x0', '2025-01-21T10:00:00Z', stopped('risedronate')),
    ];
    expect(therapyCourses(history)).toEqual({
      courses: [],
      earlier: [],
      problems: [
        {
          eventId: 'd0',
          message:
            'no course of denosumab is running at that time; record bone-therapy-started first',
        },
        {
          eventId: 'x0',
          message: 'no course of risedronate is running at that time, so it cannot be stopped',
        },
      ],
    });
  });

  it('reports a second start while a course runs, and keeps the first course', () => {
    const history = [
      entry('s1', '2025-02-01T10:00:00Z', started('alendronic-acid')),
      entry('s2', '2025-03-01T10:00:00Z', started('alendronic-acid')),
      entry('d1', '2025-04-01T10:00:00Z', dose('alendronic-acid')),
    ];
    const { courses, problems } = therapyCourses(history);
    expect(problems).toEqual([
      {
        eventId: 's2',
        message:
          'a course of alendronic-acid is already running; record bone-therapy-stopped before starting another',
      },
    ]);
    expect(courses).toHaveLength(1);
    expect(courses[0]?.started.event.id).toBe('s1');
    expect(ids(courses[0]?.doses ?? [])).toEqual(['d1']);
  });

  it('reports a dose after the course was stopped', () => {
    const history = [
      entry('s1', '2025-02-01T10:00:00Z', started('denosumab')),
      entry('x1', '2025-03-01T10:00:00Z', stopped('denosumab')),
      entry('d1', '2025-08-01T10:00:00Z', dose('denosumab')),
    ];
    expect(therapyCourses(history).problems.map((p) => p.eventId)).toEqual(['d1']);
  });

  it('works on the effective history: a retracted start leaves its doses without a course', () => {
    const history = effectiveHistory([
      entry('s1', '2025-02-01T10:00:00Z', started('denosumab')),
      entry('d1', '2025-08-01T10:00:00Z', dose('denosumab')),
      entry('r1', '2025-08-02T10:00:00Z', retraction('s1')),
    ]);
    const { courses, problems } = therapyCourses(history);
    expect(courses).toEqual([]);
    expect(problems.map((p) => p.eventId)).toEqual(['d1']);
  });
});
