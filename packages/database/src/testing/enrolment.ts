import { scenario } from '@vfx/domain/testing';
import type { EnrolmentInput } from '../records/write-path.js';

export interface TestEnrolmentOptions {
  readonly n?: number;
  readonly fractureDate?: string;
  readonly admittedAt?: string;
  readonly enrolledAt?: string;
  readonly nurseId?: string | null;
  readonly dateOfBirth?: string;
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
  return {
    patient: { ...built.patient, identifier: { kind: 'mrn', value: `TEST-${n}` } },
    demographics: { givenName: 'Test', familyName: `Patient ${n}` },
    episode: options.enrolledAt ? { ...episode, enrolledAt: options.enrolledAt } : episode,
    nurseId: options.nurseId === undefined ? 'nurse-1' : options.nurseId,
  };
}
