// The demo's stories, checked without a database at thousands of instants: every patient is
// valid as the write path would check it at each moment of the replay, and the first patients
// give the caseload its promised shape. demo.integration.test.ts seeds them for real.
import {
  CURRENT_PATHWAY_VERSION,
  computePlan,
  findPathway,
  parseEpisode,
  parseEpisodeRecord,
  parsePatient,
  phaseOf,
  serviceCalendar,
} from '@vfx/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyInstant, EDGE_INSTANTS } from '../testing/instants.js';
import { type DemoPatient, demoPatient, testNhsNumbers } from './demo.js';

const calendar = serviceCalendar();
const phases = findPathway(CURRENT_PATHWAY_VERSION)?.phases;
if (!phases) throw new Error(`pathway ${CURRENT_PATHWAY_VERSION} is not registered`);

/** The demo's patients as of `now`: each draws its story from its own generator, as in seedDemo. */
function demoPatients(now: number, count: number): DemoPatient[] {
  const numbers = testNhsNumbers();
  return Array.from({ length: count }, (_, n) => demoPatient(n, now, numbers, 'nurse-1'));
}

/** The patient's whole record, as the write path would hold it once the replay is done. */
function recordOf({ enrolment, enrolledAt, history }: DemoPatient) {
  const patientId = (enrolment.patient as { id: string }).id;
  return {
    patient: enrolment.patient,
    episode: {
      ...(enrolment.episode as Record<string, unknown>),
      patientId,
      enrolledAt: new Date(enrolledAt).toISOString(),
    },
    events: history.map(({ at, recordedAt, event }, i) => ({
      id: `entry-${i}`,
      ...event,
      occurredAt: new Date(at).toISOString(),
      recordedAt: new Date(recordedAt).toISOString(),
      recordedBy: 'nurse-1',
    })),
  };
}

/** Throws, naming the patient, the instant and every problem, unless the story is valid. */
function expectValid(demo: DemoPatient, now: number): void {
  const record = recordOf(demo);
  const where = `${demo.episodeId} seeded as of ${new Date(now).toISOString()}`;
  try {
    // Enrolled as it happened: valid at the moment of enrolment...
    const patient = parsePatient(record.patient, { now: demo.enrolledAt });
    parseEpisode(record.episode, { now: demo.enrolledAt, patient });
    // ...each entry written down after it happened and before now, and valid when it was (which
    // parseEpisodeRecord checks by replaying the log in the order it was written).
    let previous = demo.enrolledAt;
    for (const entry of demo.history) {
      expect(entry.recordedAt, where).toBeGreaterThanOrEqual(entry.at);
      expect(entry.recordedAt, `${where}: written down in order`).toBeGreaterThanOrEqual(previous);
      expect(entry.recordedAt, where).toBeLessThan(now);
      previous = entry.recordedAt;
    }
    // Seen in the community, everything happens on the service's working days.
    const episode = record.episode as unknown as { careSetting: { kind: string } };
    if (episode.careSetting.kind === 'community') {
      const days = [demo.enrolledAt, ...demo.history.map((e) => e.at)].map((at) =>
        calendar.localDate(at),
      );
      expect(
        days.filter((day) => !calendar.isWorkingDay(day)),
        `${where}: working days`,
      ).toEqual([]);
    }
    parseEpisodeRecord(record, { now });
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

/** The promised shape, from the first patients alone (every demo has at least these). */
function expectShape(patients: readonly DemoPatient[], now: number): void {
  const today = calendar.localDate(now);
  const where = `as of ${new Date(now).toISOString()} (${today} in London)`;
  const plans = patients.map((demo) => {
    const { patient, episode, events } = parseEpisodeRecord(recordOf(demo), { now });
    return { episode, plan: computePlan({ patient, episode, events, asOf: now }) };
  });
  const phasesSeen = new Set(
    plans.map(({ episode }) =>
      phaseOf(
        phases as NonNullable<typeof phases>,
        calendar.daysBetween(episode.fractureDate, today),
      ),
    ),
  );
  expect(phasesSeen, where).toEqual(new Set(['acute', 'subacute', 'chronic']));
  const steps = plans.flatMap(({ plan }) => plan.steps);
  const weekAhead = now + 7 * 86_400_000;
  expect(
    steps.filter((s) => s.status === 'overdue').map((s) => s.stepId),
    where,
  ).toContain('denosumab-next-dose');
  expect(
    steps.filter((s) => s.status === 'due').map((s) => s.stepId),
    where,
  ).toContain('pain-review-48h');
  // A patient past the 16-week follow-up with a full record (the timeline's README picture).
  expect(
    plans.some(
      ({ plan }) =>
        plan.steps.some((s) => s.stepId === 'fls-follow-up-16-weeks' && s.status === 'completed') &&
        plan.steps.filter((s) => s.status === 'completed').length > 3,
    ),
    where,
  ).toBe(true);
  expect(
    steps.some(
      (s) =>
        (s.status === 'upcoming' || s.status === 'open') &&
        s.window !== undefined &&
        Date.parse(s.window.transitions.due) < weekAhead,
    ),
    where,
  ).toBe(true);
}

describe('the demo caseload at any instant', () => {
  it.each(EDGE_INSTANTS)('is valid and keeps its shape at %s', (_label, iso) => {
    const now = Date.parse(iso);
    const patients = demoPatients(now, 60);
    for (const patient of patients) expectValid(patient, now);
    expectShape(patients.slice(0, 6), now);
  });

  it('is valid and keeps its shape at any instant from 2019 to 2035', () => {
    fc.assert(
      fc.property(anyInstant(), (instant) => {
        const now = instant.getTime();
        const patients = demoPatients(now, 60);
        for (const patient of patients) expectValid(patient, now);
        expectShape(patients.slice(0, 6), now);
      }),
      { numRuns: 300 },
    );
    // 300 instants of 60 patients: about 20 s on an idle machine, several times that when the
    // machine is shared.
  }, 180_000);

  it('draws every calendar day in the service’s zone, not in UTC', () => {
    // 00:30 BST on 15 July is 23:30 UTC on 14 July: "today" is the 15th, so a fracture "0 days
    // ago" is on the 15th, which a UTC calendar would have put in the future.
    const now = Date.parse('2027-07-14T23:30:00Z');
    const [justAdmitted] = demoPatients(now, 1);
    const episode = justAdmitted?.enrolment.episode as { fractureDate: string };
    expect(episode.fractureDate <= '2027-07-15').toBe(true);
    expect(justAdmitted?.enrolledAt).toBeLessThanOrEqual(now - 2 * 3_600_000);
  });
});
