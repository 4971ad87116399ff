// Patients the journeys act on, enrolled by the test setup (support/demo-database.ts) beside the
// demo caseload through the same write path as real use. The demo caseload changes with the
// hour it is seeded at and with the seed's own evolution; these do not, so a journey that needs a
// particular situation always finds it. Fictional names; NHS numbers in the 999 range the NHS
// reserves for testing.

/** Admitted 50 hours ago: the 48-hour pain review is due (it is overdue from 72 hours). */
export const PAIN_REVIEW_PATIENT = {
  n: 9001,
  episodeId: 'ep-9001',
  givenName: 'Philippa',
  familyName: 'Quernmore',
  nhsNumber: '9998765439',
  hoursSinceAdmission: 50,
} as const;

/**
 * Seen in the community after a fracture 40 days ago, on the second nurse's caseload, with
 * nothing recorded since: several steps are overdue for the administrator's list.
 */
export const OVERDUE_PATIENT = {
  n: 9002,
  episodeId: 'ep-9002',
  givenName: 'Ambrose',
  familyName: 'Ingleby',
  nhsNumber: '9998765447',
  daysSinceFracture: 40,
} as const;
