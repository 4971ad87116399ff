// Picking patients from the seeded demo caseload. The journeys act only through the browser;
// the database is read to choose whom to act on, so a test does not depend on which demo
// patient happens to be numbered what, and says plainly when the demo lacks the case it needs.
import { createDatabase, type Database } from '@vfx/database';
import { DEMO_USERS } from '@vfx/database/seed';
import { inject } from 'vitest';
import type { DemoUserKey } from './users';

let shared: Database | undefined;

/** The test file's own connection to the e2e database (closed by closeDemoData). */
export function demoDatabase(): Database {
  shared ??= createDatabase(inject('databaseUrl'), {
    applicationName: 'vfx-e2e-tests',
    maxConnections: 2,
  });
  return shared;
}

/** Closes the test file's connection (call in afterAll when a file used these helpers). */
export async function closeDemoData(): Promise<void> {
  await shared?.$disconnect();
  shared = undefined;
}

export interface DemoPatient {
  readonly episodeId: string;
  readonly givenName: string;
  readonly familyName: string;
  /** The NHS number as stored: ten digits, no spaces. */
  readonly nhsNumber: string;
}

/**
 * An open episode on a demo nurse's caseload, identified by NHS number; with `step`, one whose
 * plan has that step in one of those statuses. The same one each time for the same demo (lowest
 * id). Throws, naming what was looked for, when the demo has none.
 */
export async function demoPatient(options: {
  readonly nurse: DemoUserKey;
  readonly step?: { readonly id: string; readonly statuses: readonly string[] };
  /**
   * Only an episode with no letter to the GP yet. Other browser-test files sign letters on demo
   * episodes (support/documents.ts), in an order vitest chooses; a test that writes the first
   * letter must not pick one of theirs.
   */
  readonly withoutGpLetter?: boolean;
}): Promise<DemoPatient> {
  const email = DEMO_USERS.find((user) => user.key === options.nurse)?.email;
  const episode = await demoDatabase().episode.findFirst({
    where: {
      closedAt: null,
      patient: { nurse: { email }, identifierKind: 'nhs-number' },
      ...(options.step
        ? {
            steps: {
              some: { stepId: options.step.id, status: { in: [...options.step.statuses] } },
            },
          }
        : {}),
      ...(options.withoutGpLetter ? { gpLetters: { none: {} } } : {}),
    },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      patient: { select: { givenName: true, familyName: true, identifierValue: true } },
    },
  });
  if (!episode) {
    const wanted = `${
      options.step ? ` with step "${options.step.id}" ${options.step.statuses.join(' or ')}` : ''
    }${options.withoutGpLetter ? ' and no letter to the GP' : ''}`;
    throw new Error(
      `The demo caseload has no open episode of ${email}${wanted}; the journey needs one (packages/database/src/seed/demo.ts).`,
    );
  }
  return {
    episodeId: episode.id,
    givenName: episode.patient.givenName,
    familyName: episode.patient.familyName,
    nhsNumber: episode.patient.identifierValue,
  };
}

export interface DemoReminder {
  readonly episodeId: string;
  readonly stepKey: string;
  readonly fireAt: Date;
  readonly patientName: string;
}

/** The next reminder to go out (a pending follow-up making a step due or overdue). */
export async function nextDemoReminder(): Promise<DemoReminder> {
  const next = await demoDatabase().followUp.findFirst({
    where: {
      state: 'pending',
      transition: { in: ['due', 'overdue'] },
      fireAt: { gt: new Date(Date.now() + 60_000) },
      episode: { closedAt: null },
    },
    orderBy: [{ fireAt: 'asc' }, { id: 'asc' }],
    select: {
      episodeId: true,
      stepKey: true,
      fireAt: true,
      episode: { select: { patient: { select: { givenName: true, familyName: true } } } },
    },
  });
  if (!next) {
    throw new Error(
      'The demo caseload has no reminder still to go out; the scheduler journey needs one (packages/database/src/seed/demo.ts).',
    );
  }
  const { givenName, familyName } = next.episode.patient;
  return {
    episodeId: next.episodeId,
    stepKey: next.stepKey,
    fireAt: next.fireAt,
    patientName: `${givenName} ${familyName}`,
  };
}

export interface DemoOverdueStep extends DemoPatient {
  readonly stepId: string;
  readonly title: string;
  readonly nurseName: string;
}

/** The first overdue step of an episode (by step key), with its patient and nurse. */
export async function overdueStepOf(episodeId: string): Promise<DemoOverdueStep> {
  const step = await demoDatabase().planStep.findFirst({
    where: { episodeId, status: 'overdue' },
    orderBy: { key: 'asc' },
    select: {
      episodeId: true,
      stepId: true,
      title: true,
      episode: {
        select: {
          patient: {
            select: {
              givenName: true,
              familyName: true,
              identifierValue: true,
              nurse: { select: { name: true } },
            },
          },
        },
      },
    },
  });
  if (!step) throw new Error(`Episode ${episodeId} has no overdue step`);
  const { patient } = step.episode;
  return {
    episodeId: step.episodeId,
    givenName: patient.givenName,
    familyName: patient.familyName,
    nhsNumber: patient.identifierValue,
    stepId: step.stepId,
    title: step.title,
    nurseName: patient.nurse?.name ?? '',
  };
}

/** The patient whose episode this is. */
export async function patientIdOf(episodeId: string): Promise<string> {
  const episode = await demoDatabase().episode.findUnique({
    where: { id: episodeId },
    select: { patientId: true },
  });
  if (!episode) throw new Error(`No episode ${episodeId} in the demo caseload`);
  return episode.patientId;
}
