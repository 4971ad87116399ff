import { serviceCalendar } from '@vfx/domain';
import { scenario } from '@vfx/domain/testing';
import type { EnrolmentInput } from '../records/write-path.js';

export interface TestEnrolmentOptions {
  readonly n?: number;
  readonly fractureDate?: string;
  readonly admittedAt?: string;
  readonly enrolledAt?: string;
  readonly nurseId?: string | null;
  readonly dateOfBirth?: string;
  /**
   * The first contact (an instant): the holistic assessment (mild pain, so it starts nothing
   * else) and the self-management advice, recorded with the enrolment. Those two steps fall due
   * at the clinic hour of the enrolment day, so without them a test's follow-ups depend on the
   * hour it runs at; with them, only the steps the test is about are pending.
   */
  readonly firstContactAt?: string;
}

/**
 * An enrolment for patient number `n` (ids pat-n / ep-n, MRN TEST-n), built on the domain's
 * scenario builder so it is valid by construction.
 */
export function testEnrolment(options: TestEnrolmentOptions = {}): EnrolmentInput {
  const n = options.n ?? 1;
  const built = scenario({
    patientId: `pat-${n}`,
    episodeId: `ep-${n}`,
    fractureDate: options.fractureDate ?? '2026-11-16',
    ...(options.admittedAt ? { admittedAt: options.admittedAt } : {}),
    ...(options.dateOfBirth ? { dateOfBirth: options.dateOfBirth } : {}),
  });
  const { patientId: _p, enrolledAt: _e, ...episode } = built.episode;
  const at = options.firstContactAt;
  return {
    patient: { ...built.patient, identifier: { kind: 'mrn', value: `TEST-${n}` } },
    demographics: { givenName: 'Test', familyName: `Patient ${n}` },
    episode: options.enrolledAt ? { ...episode, enrolledAt: options.enrolledAt } : episode,
    nurseId: options.nurseId === undefined ? 'nurse-1' : options.nurseId,
    ...(at
      ? {
          history: [
            {
              type: 'pain-assessment',
              nrsAtRest: 1,
              nrsOnActivity: 3,
              functionalLimitation: 'mild',
              occurredAt: at,
            },
            {
              type: 'step-completed',
              stepKey: 'self-management-advice',
              outcome: 'done',
              occurredAt: at,
            },
          ],
        }
      : {}),
  };
}

/**
 * Patient n, admitted at `admittedAt` after a fall the day before (a day of the service's
 * calendar) and first seen an hour after admission: the 48-hour review's reminders are then the
 * only ones due within days, timed by the hour, whatever the hour a test runs at.
 */
export function admittedTestEnrolment(n: number, admittedAt: number): EnrolmentInput {
  const hour = 3_600_000;
  return testEnrolment({
    n,
    fractureDate: serviceCalendar().localDate(admittedAt - 24 * hour),
    admittedAt: new Date(admittedAt).toISOString(),
    firstContactAt: new Date(admittedAt + hour).toISOString(),
  });
}
