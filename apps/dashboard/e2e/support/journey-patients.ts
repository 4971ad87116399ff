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

/**
 * Hazard "advice from stale data" (issue 12): a fracture 230 days ago, and one pain assessment
 * (moderate, NRS 4 at rest and 6 on activity) on day 11, nothing since. The score is 219 days old
 * whatever the hour, far beyond its 7-day limit (recorded in the acute phase), so the caseload
 * flags it stale and the patient page asks for pain to be reassessed instead of analgesia advice.
 */
export const STALE_PAIN_PATIENT = {
  n: 9013,
  episodeId: 'ep-9013',
  givenName: 'Winifred',
  familyName: 'Stalmine',
  nhsNumber: '9998765463',
  daysSinceFracture: 230,
  painDayAfterFracture: 11,
} as const;
