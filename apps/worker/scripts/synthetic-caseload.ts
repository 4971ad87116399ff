// The synthetic caseload of the worker's benchmarks (bench-scale, bench-soak): obviously fictional
// patients enrolled through the real write path, and admitted patients whose 48-hour reviews fall
// due at a chosen instant.
import type { EnrolmentInput } from '@vfx/database/commands';
import {
  CURRENT_PATHWAY_VERSION,
  computePlan,
  type EpisodeInput,
  findPathway,
  type PatientInput,
  serviceCalendar,
  stepEntries,
} from '@vfx/domain';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Calendar days and clock times of the service (Europe/London), as the write path reads them.
const calendar = serviceCalendar();
const isoDate = (ms: number) => calendar.localDate(ms);

/** A repeatable pseudo-random sequence in [0, 1) (a linear congruential generator). */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** The p-th percentile of ascending `sorted` (nearest rank); NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/** Synthetic, obviously fictional patient n, with a fracture somewhere in the last 400 days. */
export function syntheticPatient(n: number, now: number, random: () => number): EnrolmentInput {
  const fracture = now - Math.floor(1 + random() * 400) * DAY;
  const identified = Math.min(fracture + Math.floor(random() * 4) * DAY, now - DAY);
  const enrolled = calendar.atLocalTime(isoDate(identified), '10:00');
  const admitted = random() < 0.2;
  const patient: PatientInput = {
    id: `bench-${n}`,
    identifier: { kind: 'mrn', value: `BENCH-${n}` },
    dateOfBirth: `19${30 + Math.floor(random() * 40)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
    sex: random() < 0.75 ? 'female' : 'male',
  };
  const episode: EpisodeInput = {
    id: `bench-ep-${n}`,
    patientId: patient.id,
    pathwayVersion: CURRENT_PATHWAY_VERSION,
    vertebralLevels: ['T12'],
    fractureDate: isoDate(fracture),
    identifiedOn: isoDate(identified),
    identification: 'symptomatic-presentation',
    careSetting: admitted
      ? {
          kind: 'admitted',
          admittedAt: new Date(calendar.atLocalTime(isoDate(fracture), '08:00')).toISOString(),
        }
      : { kind: 'community' },
    columnInvolvement: 'anterior-only',
    neurologicalDeficit: false,
    suspectedMalignancy: false,
    mriOedema: 'not-imaged',
    enrolledAt: new Date(enrolled).toISOString(),
  };
  // A working caseload has done most of what was due: complete every step already due, except in
  // a few patients, who keep one overdue step.
  const plan = computePlan({
    patient: patient as never,
    episode: { ...episode, fractureDateEstimated: false } as never,
    events: [],
    asOf: now,
  });
  const keepOverdue = random() < 0.03;
  const history = plan.steps
    .filter((step) => step.status === 'due' || step.status === 'overdue')
    .slice(keepOverdue ? 1 : 0)
    .flatMap((step, i) => {
      // What the pathway lets the generic entry record for this step ("done" only where the
      // step has no entry of its own).
      const definition = findPathway(plan.pathwayVersion)?.steps.find((s) => s.id === step.stepId);
      const outcomes = definition ? (stepEntries(definition).generic?.outcomes ?? []) : [];
      const outcome = outcomes.includes('done') ? 'done' : outcomes[0];
      if (!outcome) return [];
      return [
        {
          id: `bench-${n}-done-${i}`,
          type: 'step-completed',
          stepKey: step.key,
          outcome,
          occurredAt: new Date(now - HOUR).toISOString(),
        },
      ];
    });
  const { patientId: _p, ...episodeBody } = episode;
  return {
    patient,
    demographics: { givenName: 'Bench', familyName: `Patient ${n}` },
    episode: episodeBody,
    nurseId: `nurse-${1 + (n % 2)}`,
    history,
  };
}

/** An admitted patient whose 48-hour review becomes due at `dueAt`. */
export function admittedDueAt(id: string, dueAt: number): EnrolmentInput {
  const admittedAt = new Date(dueAt - 48 * HOUR);
  return {
    patient: {
      id,
      identifier: { kind: 'mrn', value: id.toUpperCase() },
      dateOfBirth: '1948-03-14',
      sex: 'female',
    },
    demographics: { givenName: 'Timing', familyName: id },
    episode: {
      id: `${id}-ep`,
      pathwayVersion: CURRENT_PATHWAY_VERSION,
      vertebralLevels: ['L1'],
      fractureDate: isoDate(admittedAt.getTime() - DAY),
      identifiedOn: isoDate(admittedAt.getTime()),
      identification: 'symptomatic-presentation',
      careSetting: { kind: 'admitted', admittedAt: admittedAt.toISOString() },
      columnInvolvement: 'anterior-only',
      neurologicalDeficit: false,
      suspectedMalignancy: false,
      mriOedema: 'not-imaged',
    },
    nurseId: 'nurse-1',
  };
}

/** Runs `work` over `items` with `width` running at once. */
export async function pool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}
