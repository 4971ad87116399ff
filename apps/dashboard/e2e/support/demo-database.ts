// The browser tests' database, held by a process of its own (started by e2e/global-setup.ts
// through tsx): it creates a fresh migrated database, seeds the demo caseload as of the instant
// given, prints {"url","name"} as one JSON line on stdout, and then waits. When its stdin closes
// (the test run ended, or died) or it is asked to stop, it drops the database and exits.
//
// A separate process because building the migrated template loads Prisma's schema engine with
// import.meta.resolve, which Vitest's module runner (where global setup runs) does not support.

import { createDatabase, type Database } from '@vfx/database';
import { enrolPatient, recordEvent } from '@vfx/database/commands';
import { seedDemo } from '@vfx/database/seed';
import { createTestDatabase, testEnrolment } from '@vfx/database/testing';
import { serviceCalendar } from '@vfx/domain';
import { OVERDUE_PATIENT, PAIN_REVIEW_PATIENT, STALE_PAIN_PATIENT } from './journey-patients';

const nowIso = process.argv[2];
const now = new Date(nowIso ?? '');
if (Number.isNaN(now.getTime())) {
  console.error(`Usage: demo-database.ts <now as an ISO instant> (got "${nowIso ?? ''}")`);
  process.exit(2);
}

const database = await createTestDatabase('e2e');
let dropping = false;
/** Drops the database once, however many of stdin's end and the signals arrive. */
const dropAndExit = (code: number) => {
  if (dropping) return;
  dropping = true;
  database.drop().then(
    () => process.exit(code),
    (error: unknown) => {
      console.error(`[e2e] Could not drop ${database.name}:`, error);
      process.exit(1);
    },
  );
};
process.stdin.on('end', () => dropAndExit(0));
process.stdin.on('error', () => dropAndExit(0));
process.once('SIGTERM', () => dropAndExit(0));
process.once('SIGINT', () => dropAndExit(0));

const HOUR = 3_600_000;

/** The patients of support/journey-patients.ts, on the demo nurses' caseloads. */
async function enrolJourneyPatients(
  db: Database,
  nurses: { readonly nurse: string; readonly nurse2: string },
): Promise<void> {
  const enrol = async (
    patient: { n: number; givenName: string; familyName: string; nhsNumber: string },
    nurseId: string,
    episode: { fracture: Date; admitted?: Date; enrolled: Date },
  ) => {
    const dateOfBirth = '1941-03-09';
    const base = testEnrolment({
      n: patient.n,
      fractureDate: serviceCalendar().localDate(episode.fracture.getTime()),
      ...(episode.admitted ? { admittedAt: episode.admitted.toISOString() } : {}),
      enrolledAt: episode.enrolled.toISOString(),
      nurseId,
      dateOfBirth,
    });
    await enrolPatient(
      db,
      {
        ...base,
        patient: {
          id: `pat-${patient.n}`,
          identifier: { kind: 'nhs-number', value: patient.nhsNumber },
          dateOfBirth,
          sex: 'female',
        },
        demographics: { givenName: patient.givenName, familyName: patient.familyName },
      },
      { actorId: nurseId, now },
    );
  };
  const ago = (ms: number) => new Date(now.getTime() - ms);

  const admitted = ago(PAIN_REVIEW_PATIENT.hoursSinceAdmission * HOUR);
  await enrol(PAIN_REVIEW_PATIENT, nurses.nurse, {
    fracture: new Date(admitted.getTime() - 14 * HOUR),
    admitted,
    enrolled: new Date(admitted.getTime() + 2 * HOUR),
  });

  // Calendar days of the service: 40 days before today, seen two days later at 10:00.
  const calendar = serviceCalendar();
  const fractureDay = calendar.addToDate(calendar.localDate(now.getTime()), {
    days: -OVERDUE_PATIENT.daysSinceFracture,
  });
  await enrol(OVERDUE_PATIENT, nurses.nurse2, {
    fracture: new Date(calendar.atLocalTime(fractureDay, '10:00')),
    enrolled: new Date(calendar.atLocalTime(calendar.addToDate(fractureDay, { days: 2 }), '10:00')),
  });

  // One pain score on day 11 of a fracture 230 days ago, nothing since: 219 days old today.
  const staleFractureDay = calendar.addToDate(calendar.localDate(now.getTime()), {
    days: -STALE_PAIN_PATIENT.daysSinceFracture,
  });
  await enrol(STALE_PAIN_PATIENT, nurses.nurse, {
    fracture: new Date(calendar.atLocalTime(staleFractureDay, '10:00')),
    enrolled: new Date(
      calendar.atLocalTime(calendar.addToDate(staleFractureDay, { days: 2 }), '10:00'),
    ),
  });
  const painDay = calendar.addToDate(staleFractureDay, {
    days: STALE_PAIN_PATIENT.painDayAfterFracture,
  });
  await recordEvent(
    db,
    {
      episodeId: STALE_PAIN_PATIENT.episodeId,
      event: {
        id: `pain-${STALE_PAIN_PATIENT.n}`,
        type: 'pain-assessment',
        occurredAt: new Date(calendar.atLocalTime(painDay, '10:00')).toISOString(),
        nrsAtRest: 4,
        nrsOnActivity: 6,
        functionalLimitation: 'moderate',
      },
    },
    { actorId: nurses.nurse, now },
  );
}

const db = createDatabase(database.url, { applicationName: 'vfx-e2e-seed' });
try {
  const started = Date.now();
  const result = await seedDemo(db, { now });
  console.error(
    `[e2e] Seeded ${result.patients} demo patients (${result.events} events) into ${database.name} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  await enrolJourneyPatients(db, result.users);
  await db.$disconnect();
  console.log(JSON.stringify({ url: database.url, name: database.name }));
  process.stdin.resume();
} catch (error) {
  console.error('[e2e] Seeding the demo caseload failed:', error);
  await db.$disconnect();
  dropAndExit(1);
}
