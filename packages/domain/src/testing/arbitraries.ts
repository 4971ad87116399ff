import fc from 'fast-check';
import { effectiveEpisode, effectiveEpisodeWithout } from '../inputs/episode-details.js';
import {
  CLOSURE_REASONS,
  type ClinicalEventInput,
  ClinicalEventSchema,
  COLUMN_INVOLVEMENT,
  CONTACT_MODES,
  type Episode,
  type EpisodeInput,
  EpisodeSchema,
  type EventType,
  FRACTURE_RISK_CATEGORIES,
  FRACTURE_RISK_TOOLS,
  FUNCTIONAL_LIMITATION,
  IDENTIFICATION_ROUTES,
  MOBILITY,
  MRI_OEDEMA,
  type PatientInput,
  PatientSchema,
  PRIOR_THERAPY_ADHERENCE,
  REFERRAL_TYPES,
  SEXES,
  STEP_OUTCOMES,
  TREATMENT_REVIEW_OUTCOMES,
  TREATMENT_STATUS,
  VERTEBRAL_LEVELS,
} from '../inputs/schemas.js';
import type { StepDefinition } from '../pathway/definition.js';
import { BONE_THERAPY_DRUGS, type BoneTherapyDrug } from '../pathway/drugs.js';
import { CURRENT_PATHWAY_VERSION, findPathway } from '../pathway/registry.js';
import { computePlan, isActive } from '../plan/compute-plan.js';
import type { Plan } from '../plan/types.js';
import { rescheduleRange } from '../plan/window.js';
import { serviceCalendar } from '../time/settings.js';
import { Scenario } from './scenario.js';

/**
 * fast-check arbitraries for whole episode records (patient, episode, append-only event log) that
 * pass `parseEpisodeRecord`, for property-based tests. The generators build each record from raw
 * numbers (gaps, lags, picks) with a deterministic builder, so shrinking stays meaningful: a
 * smaller gap or fewer events is still a valid record. Nothing here reads the clock: every
 * instant is derived from the generated fracture date.
 */

export interface EpisodeRecordInput {
  readonly patient: PatientInput;
  readonly episode: EpisodeInput;
  /** In the order they were recorded (recordedAt strictly increasing). */
  readonly events: readonly ClinicalEventInput[];
}

export interface RecordOptions {
  /** Whether the log may end with a closure: never, sometimes (default, rarely) or always. */
  readonly closure?: 'never' | 'sometimes' | 'always';
  /** Most events in the log before any closure (default 15). */
  readonly maxEvents?: number;
  /**
   * Whether DXA appointments are generated (default yes). Pathway versions 1 and 2 refuse them,
   * so a test that plans the records under those versions leaves them out.
   */
  readonly appointments?: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DAY_MINUTES = 24 * 60;

const FRACTURE_FROM = Date.UTC(2023, 0, 1);
const FRACTURE_TO = Date.UTC(2026, 5, 30);

const PATHWAY = findPathway(CURRENT_PATHWAY_VERSION);
if (!PATHWAY) throw new Error(`pathway ${CURRENT_PATHWAY_VERSION} is not registered`);
const STEPS: readonly StepDefinition[] = PATHWAY.steps;

// --- Small helpers ------------------------------------------------------------------------------

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** An instant as ISO text, in UTC ("Z") or at a fixed UTC offset in minutes ("+05:30"). */
export function formatInstant(ms: number, offsetMinutes = 0): string {
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** Offsets used when writing instants, so the same instant appears in several spellings. */
const OFFSETS = [0, 0, 0, 60, -300, 330, 825, -600] as const;
const offsetArb = fc.constantFrom(...OFFSETS);

/** Modulus 11 check digit of nine NHS number digits; 10 means no valid number exists. */
export function nhsCheckDigit(nine: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nine[i] ?? 0) * (10 - i);
  const remainder = sum % 11;
  return remainder === 0 ? 0 : 11 - remainder;
}

const rare = (weight = 1, of = 12) =>
  fc.oneof(
    { weight: of - weight, arbitrary: fc.constant(false) },
    { weight, arbitrary: fc.constant(true) },
  );

const noteArb = fc.option(
  fc.oneof(
    fc.constantFrom('Seen in clinic.', 'Telephone review', '  padded note  ', ''),
    fc.string({ maxLength: 40 }),
  ),
  { nil: undefined },
);

const recordedByArb = fc.constantFrom('nurse-1', 'dr.smith', 'physio_2', 'fls~lead');

/** Drops keys whose value is undefined, so records look as a client would send them. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// --- Patient --------------------------------------------------------------------------------------

/** A valid NHS number: nine random digits and their check digit (skipping those giving 10). */
export const nhsNumberArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), fc.boolean())
  .filter(([nine]) => nhsCheckDigit(nine) !== 10)
  .map(([nine, spaced]) => {
    const digits = `${nine.join('')}${nhsCheckDigit(nine)}`;
    return spaced ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
  });

export const mrnArb: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/-]{0,19}$/);

export const identifierArb: fc.Arbitrary<string> = fc.stringMatching(
  /^[A-Za-z0-9][A-Za-z0-9._~-]{0,15}$/,
);

/** A patient born 1920-1990 (always before the earliest generated fracture date). */
export const patientArb: fc.Arbitrary<PatientInput> = fc
  .record({
    id: identifierArb,
    identifier: fc.oneof(
      {
        weight: 3,
        arbitrary: nhsNumberArb.map((value) => ({ kind: 'nhs-number' as const, value })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(mrnArb, fc.option(fc.constantFrom('RXH01', 'R1H', 'ods.7A4'), { nil: undefined }))
          .map(([value, issuer]) => compact({ kind: 'mrn' as const, value, issuer })),
      },
    ),
    dateOfBirth: fc
      .integer({ min: Date.UTC(1920, 0, 1) / DAY, max: Date.UTC(1990, 11, 31) / DAY })
      .map((day) => isoDay(day * DAY)),
    sex: fc.constantFrom(...SEXES),
  })
  .map((patient) => patient as PatientInput);

// --- Episode --------------------------------------------------------------------------------------

interface EpisodeSeed {
  readonly id: string;
  readonly fractureDay: number;
  readonly identifiedAfterDays: number;
  readonly enrolledAfterDays: number;
  readonly enrolledMinute: number;
  readonly enrolledOffset: number;
  readonly admitted: boolean;
  /** Where admission falls between the start of the fracture date and enrolment, 0..1000. */
  readonly admittedPermille: number;
  readonly admittedOffset: number;
  readonly identification: EpisodeInput['identification'];
  readonly vertebralLevels: EpisodeInput['vertebralLevels'];
  readonly fractureDateEstimated: boolean | undefined;
  readonly multipleColumns: boolean;
  readonly neurologicalDeficit: boolean;
  readonly suspectedMalignancy: boolean;
  readonly mriOedema: EpisodeInput['mriOedema'];
}

const episodeSeedArb: fc.Arbitrary<EpisodeSeed> = fc.record({
  id: identifierArb,
  fractureDay: fc.integer({ min: FRACTURE_FROM / DAY, max: FRACTURE_TO / DAY }),
  identifiedAfterDays: fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 60 }) },
  ),
  enrolledAfterDays: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }) },
  ),
  // 06:00 to 21:59 UTC: the same calendar date in London whether on GMT or BST.
  enrolledMinute: fc.integer({ min: 6 * 60, max: 22 * 60 - 1 }),
  enrolledOffset: offsetArb,
  admitted: fc.boolean(),
  admittedPermille: fc.integer({ min: 0, max: 1000 }),
  admittedOffset: offsetArb,
  identification: fc.constantFrom(...IDENTIFICATION_ROUTES),
  vertebralLevels: fc.subarray([...VERTEBRAL_LEVELS], { minLength: 1, maxLength: 3 }),
  fractureDateEstimated: fc.option(fc.boolean(), { nil: undefined }),
  multipleColumns: rare(1, 30),
  neurologicalDeficit: rare(1, 30),
  suspectedMalignancy: rare(1, 30),
  mriOedema: fc.constantFrom(...MRI_OEDEMA),
});

interface EpisodeTimes {
  /** Earliest instant an event may have: 00:00 UTC on the fracture date (never before 00:00 local). */
  readonly floor: number;
  /** 00:00 UTC on the date identified. */
  readonly identified: number;
  readonly enrolledAt: number;
  readonly admittedAt: number | undefined;
}

function buildEpisode(
  seed: EpisodeSeed,
  patientId: string,
): { episode: EpisodeInput; times: EpisodeTimes } {
  const fractureMs = seed.fractureDay * DAY;
  const identifiedMs = fractureMs + seed.identifiedAfterDays * DAY;
  const enrolledAt = identifiedMs + seed.enrolledAfterDays * DAY + seed.enrolledMinute * MINUTE;
  // Admission on or after 06:00 UTC on the fracture date (that date in London) and by enrolment.
  const admissionFrom = fractureMs + 6 * HOUR;
  const admittedAt = seed.admitted
    ? admissionFrom +
      Math.floor(((enrolledAt - admissionFrom) * seed.admittedPermille) / 1000 / MINUTE) * MINUTE
    : undefined;
  const episode = compact({
    id: seed.id,
    patientId,
    pathwayVersion: CURRENT_PATHWAY_VERSION,
    vertebralLevels: seed.vertebralLevels,
    fractureDate: isoDay(fractureMs),
    fractureDateEstimated: seed.fractureDateEstimated,
    identifiedOn: isoDay(identifiedMs),
    identification: seed.identification,
    careSetting:
      admittedAt === undefined
        ? { kind: 'community' as const }
        : { kind: 'admitted' as const, admittedAt: formatInstant(admittedAt, seed.admittedOffset) },
    columnInvolvement: seed.multipleColumns ? COLUMN_INVOLVEMENT[1] : COLUMN_INVOLVEMENT[0],
    neurologicalDeficit: seed.neurologicalDeficit,
    suspectedMalignancy: seed.suspectedMalignancy,
    mriOedema: seed.mriOedema,
    enrolledAt: formatInstant(enrolledAt, seed.enrolledOffset),
  }) as EpisodeInput;
  return {
    episode,
    times: { floor: fractureMs, identified: identifiedMs, enrolledAt, admittedAt },
  };
}

// --- Event bodies ---------------------------------------------------------------------------------

/** An event without its id, times, author and supersedes. */
type Body = { readonly type: EventType } & Readonly<Record<string, unknown>>;

const nrs = fc.integer({ min: 0, max: 10 });
const tScore = fc.integer({ min: -100, max: 50 }).map((n) => n / 10);
const percent = fc.integer({ min: 0, max: 1000 }).map((n) => n / 10);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const painBody: fc.Arbitrary<Body> = fc
  .record({
    nrsAtRest: nrs,
    nrsOnActivity: nrs,
    functionalLimitation: fc.constantFrom(...FUNCTIONAL_LIMITATION),
    mobility: opt(fc.constantFrom(...MOBILITY)),
    onAnalgesia: opt(fc.boolean()),
    selfCareDifficulty: opt(fc.boolean()),
    note: noteArb,
  })
  .map((b) => compact({ type: 'pain-assessment' as const, ...b }));

const psychBody: fc.Arbitrary<Body> = fc
  .record({
    anxietyOrLowMood: fc.boolean(),
    painCatastrophising: fc.boolean(),
    fearOfFalling: fc.boolean(),
    tools: opt(fc.constantFrom('HADS', 'HADS, PCS, FES-I short form', '')),
    note: noteArb,
  })
  .map((b) => compact({ type: 'psychological-screen' as const, ...b }));

const fallsBody: fc.Arbitrary<Body> = fc
  .record({
    fallsInLastYear: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })),
    presentedWithFall: fc.boolean(),
    gaitOrBalanceDifficulty: fc.boolean(),
    result: fc.constantFrom('at-risk' as const, 'not-at-risk' as const),
    note: noteArb,
  })
  .map((b) => compact({ type: 'falls-risk-assessment' as const, ...b }));

const fraxBody: fc.Arbitrary<Body> = fc
  .record({
    tool: fc.constantFrom(...FRACTURE_RISK_TOOLS),
    majorOsteoporoticFractureRisk: percent,
    hipFractureRisk: opt(percent),
    category: fc.constantFrom(...FRACTURE_RISK_CATEGORIES),
    note: noteArb,
  })
  .map((b) => compact({ type: 'fracture-risk-assessment' as const, ...b }));

const dxaBody: fc.Arbitrary<Body> = fc
  .record({
    lumbarSpineTScore: opt(tScore),
    totalHipTScore: opt(tScore),
    femoralNeckTScore: opt(tScore),
    vertebralFractureAssessment: opt(fc.boolean()),
    fallback: tScore,
    note: noteArb,
  })
  .map(({ fallback, ...b }) => {
    const someScore =
      b.lumbarSpineTScore !== undefined ||
      b.totalHipTScore !== undefined ||
      b.femoralNeckTScore !== undefined;
    return compact({
      type: 'dxa-result' as const,
      ...b,
      lumbarSpineTScore: someScore ? b.lumbarSpineTScore : fallback,
    });
  });

const labsBody: fc.Arbitrary<Body> = fc
  .record({ secondaryCauseFound: fc.boolean(), note: noteArb })
  .map((b) => compact({ type: 'laboratory-screen' as const, ...b }));

const referralBody: fc.Arbitrary<Body> = fc
  .record({ referralType: fc.constantFrom(...REFERRAL_TYPES), note: noteArb })
  .map((b) => compact({ type: 'referral' as const, ...b }));

const contactBody: fc.Arbitrary<Body> = fc
  .record({
    mode: fc.constantFrom(...CONTACT_MODES),
    treatmentStatus: opt(fc.constantFrom(...TREATMENT_STATUS)),
    takingAsPrescribed: opt(fc.boolean()),
    fallsReferralActioned: opt(fc.constantFrom('yes' as const, 'no' as const, 'not-applicable')),
    note: noteArb,
  })
  .map((b) => compact({ type: 'follow-up-contact' as const, ...b }));

const findingsBody: fc.Arbitrary<Body> = fc
  .record({
    neurologicalDeficit: opt(rare(1, 10)),
    suspectedMalignancy: opt(rare(1, 10)),
    columnInvolvement: opt(fc.constantFrom(...COLUMN_INVOLVEMENT)),
    mriOedema: opt(fc.constantFrom(...MRI_OEDEMA)),
    fallbackOedema: fc.constantFrom(...MRI_OEDEMA),
    note: noteArb,
  })
  .map(({ fallbackOedema, ...b }) => {
    const someFinding =
      b.neurologicalDeficit !== undefined ||
      b.suspectedMalignancy !== undefined ||
      b.columnInvolvement !== undefined ||
      b.mriOedema !== undefined;
    return compact({
      type: 'clinical-findings' as const,
      ...b,
      mriOedema: someFinding ? b.mriOedema : fallbackOedema,
    });
  });

/**
 * Event types whose corrections carry new content: every type but therapy entries (corrected in
 * place, so courses stay consistent; prior therapy and treatment reviews have their own
 * properties in plan/prior-therapy.test.ts), closures, retractions, reschedules (a reschedule's
 * correction needs the plan to pick a day in the window; the reschedule seed makes those) and
 * corrections of the episode's details (the details seed makes those, within the dates the log
 * allows). DXA appointments have their own seed (a cancellation needs a booking in effect).
 */
type Correctable = Exclude<
  EventType,
  | 'bone-therapy-started'
  | 'bone-therapy-dose'
  | 'bone-therapy-stopped'
  | 'prior-bone-therapy'
  | 'treatment-review'
  | 'closure'
  | 'retraction'
  | 'step-rescheduled'
  | 'episode-details-corrected'
  | 'dxa-appointment'
>;

const bodiesByType = fc.record({
  'pain-assessment': painBody,
  'psychological-screen': psychBody,
  'falls-risk-assessment': fallsBody,
  'fracture-risk-assessment': fraxBody,
  'dxa-result': dxaBody,
  'laboratory-screen': labsBody,
  referral: referralBody,
  'follow-up-contact': contactBody,
  'clinical-findings': findingsBody,
});

const newBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 4, arbitrary: painBody },
  { weight: 1, arbitrary: psychBody },
  { weight: 1, arbitrary: fallsBody },
  { weight: 1, arbitrary: fraxBody },
  { weight: 1, arbitrary: dxaBody },
  { weight: 1, arbitrary: labsBody },
  { weight: 3, arbitrary: referralBody },
  { weight: 1, arbitrary: contactBody },
  { weight: 1, arbitrary: findingsBody },
);

// --- Event seeds ----------------------------------------------------------------------------------

interface TimeSeed {
  /**
   * Minutes from the previous entry's recordedAt. Only independent new entries may share the
   * previous entry's recordedAt; anything that depends on earlier entries (therapy, corrections,
   * step keys, closure) is recorded at least a minute later, so the order of the log is certain.
   */
  readonly gap: number;
  /** Minutes from occurredAt back to recordedAt (clamped at the fracture date). */
  readonly lag: number;
  readonly offset: number;
  readonly recordedBy: string;
}

const timeSeedArb: fc.Arbitrary<TimeSeed> = fc.record({
  gap: fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 2 * DAY_MINUTES }) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 * DAY_MINUTES }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 * DAY_MINUTES }) },
  ),
  lag: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 * DAY_MINUTES }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 * DAY_MINUTES }) },
  ),
  offset: offsetArb,
  recordedBy: recordedByArb,
});

type EventSeed =
  | { readonly kind: 'new'; readonly time: TimeSeed; readonly body: Body }
  | {
      readonly kind: 'therapy';
      readonly time: TimeSeed;
      readonly drug: BoneTherapyDrug;
      /** 0..9: below 3 stops a running course, otherwise records a dose. */
      readonly stopRoll: number;
      /** When a course is running, act on a running drug (this picks which) rather than `drug`. */
      readonly running: number | undefined;
      readonly reason: string | undefined;
    }
  | {
      /** Therapy taken before the fracture; years before it, so no corrected fracture date passes it. */
      readonly kind: 'prior';
      readonly time: TimeSeed;
      readonly drug: BoneTherapyDrug;
      /** Days from the start to 1000 days before the fracture. */
      readonly startDaysBefore: number;
      readonly takingAtFracture: boolean;
      /** Days the course ran (before stopping) or to its last dose; at most 500. */
      readonly ranDays: number;
      readonly lastDoseDays: number;
      readonly adherence: (typeof PRIOR_THERAPY_ADHERENCE)[number];
    }
  | {
      /** A treatment review of a running course (this picks which), if one runs. */
      readonly kind: 'review';
      readonly time: TimeSeed;
      readonly running: number;
      readonly takingAsPrescribed: boolean;
      readonly takenCorrectly: boolean;
      readonly outcome: (typeof TREATMENT_REVIEW_OUTCOMES)[number];
    }
  | {
      readonly kind: 'step';
      readonly time: TimeSeed;
      readonly pick: number;
      readonly outcome: (typeof STEP_OUTCOMES)[number];
      readonly note: string | undefined;
    }
  | {
      readonly kind: 'correction';
      readonly time: TimeSeed;
      readonly pick: number;
      readonly bodies: Readonly<Record<Exclude<Correctable, 'step-completed'>, Body>>;
      readonly outcome: (typeof STEP_OUTCOMES)[number];
    }
  | { readonly kind: 'retraction'; readonly time: TimeSeed; readonly pick: number }
  | {
      readonly kind: 'details';
      readonly time: TimeSeed;
      /** Which details to change (at least one; a change that is impossible is skipped). */
      readonly changes: readonly DetailChange[];
      /** Picks a value for each change among those the log allows. */
      readonly picks: readonly number[];
      readonly levels: EpisodeInput['vertebralLevels'];
      readonly offset: number;
      /** Correct the details correction in effect (if there is one) instead of adding another. */
      readonly correct: boolean;
    }
  | {
      /** A DXA appointment booked `days` after the day it is recorded, or the booked one cancelled. */
      readonly kind: 'appointment';
      readonly time: TimeSeed;
      readonly cancel: boolean;
      readonly days: number;
      readonly clock: string | undefined;
      readonly place: string | undefined;
    }
  | {
      readonly kind: 'reschedule';
      readonly time: TimeSeed;
      /** Picks the step among those whose due reminder can still move, and the day in range. */
      readonly pick: number;
      readonly dayPick: number;
      /** Correct the step's reschedule in effect (if there is one) instead of adding another. */
      readonly correct: boolean;
      readonly reason: string;
    };

const DETAIL_CHANGES = [
  'vertebralLevels',
  'fractureDate',
  'fractureDateEstimated',
  'identifiedOn',
  'identification',
  'careSetting',
] as const;
type DetailChange = (typeof DETAIL_CHANGES)[number];

const drugArb: fc.Arbitrary<BoneTherapyDrug> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('denosumab' as const, 'zoledronic-acid' as const) },
  { weight: 2, arbitrary: fc.constantFrom(...BONE_THERAPY_DRUGS) },
);

const pick = fc.nat({ max: 1000 });

const eventSeedArb: fc.Arbitrary<EventSeed> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ kind: fc.constant('new' as const), time: timeSeedArb, body: newBody }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('therapy' as const),
      time: timeSeedArb,
      drug: drugArb,
      stopRoll: fc.integer({ min: 0, max: 9 }),
      running: fc.oneof(
        { weight: 2, arbitrary: fc.nat({ max: 7 }) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      reason: opt(fc.constantFrom('side effects', 'course complete', '')),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('prior' as const),
      time: timeSeedArb,
      drug: drugArb,
      startDaysBefore: fc.nat({ max: 3000 }),
      takingAtFracture: fc.boolean(),
      ranDays: fc.nat({ max: 500 }),
      lastDoseDays: fc.nat({ max: 500 }),
      adherence: fc.constantFrom(...PRIOR_THERAPY_ADHERENCE),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('review' as const),
      time: timeSeedArb,
      running: fc.nat({ max: 7 }),
      takingAsPrescribed: fc.boolean(),
      takenCorrectly: fc.boolean(),
      outcome: fc.constantFrom(...TREATMENT_REVIEW_OUTCOMES),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      time: timeSeedArb,
      pick,
      outcome: fc.constantFrom(...STEP_OUTCOMES),
      note: noteArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('correction' as const),
      time: timeSeedArb,
      pick,
      bodies: bodiesByType,
      outcome: fc.constantFrom(...STEP_OUTCOMES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('retraction' as const), time: timeSeedArb, pick }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('details' as const),
      time: timeSeedArb,
      changes: fc.subarray([...DETAIL_CHANGES], { minLength: 1, maxLength: 3 }),
      picks: fc.array(pick, { minLength: 3, maxLength: 3 }),
      levels: fc.subarray([...VERTEBRAL_LEVELS], { minLength: 1, maxLength: 3 }),
      offset: offsetArb,
      correct: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('appointment' as const),
      time: timeSeedArb,
      cancel: fc.boolean(),
      days: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 14 }) },
        { weight: 2, arbitrary: fc.integer({ min: 0, max: 365 }) },
      ),
      clock: opt(fc.constantFrom('08:15', '10:30', '16:45')),
      place: opt(fc.constantFrom('Radiology', 'DXA unit, St Elsewhere Hospital')),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reschedule' as const),
      time: timeSeedArb,
      pick,
      dayPick: pick,
      correct: fc.boolean(),
      reason: fc.constantFrom('Patient on holiday', 'Clinic capacity', ' Nurse on leave '),
    }),
  },
);

const closureSeedArb = fc.record({
  time: timeSeedArb,
  reason: fc.constantFrom(...CLOSURE_REASONS),
});
type ClosureSeed = typeof closureSeedArb extends fc.Arbitrary<infer T> ? T : never;

// --- Building the log -----------------------------------------------------------------------------

interface Built {
  readonly event: Record<string, unknown> & { id: string; type: EventType };
  readonly occurredAt: number;
}

/** Step keys a step-completed entry may name now: every step id, and instance keys so far. */
function candidateStepKeys(
  built: readonly Built[],
  courses: ReadonlyMap<string, { drug: BoneTherapyDrug; doses: number }>,
): string[] {
  const keys: string[] = STEPS.map((step) => step.id);
  for (const step of STEPS) {
    const { trigger } = step;
    if (trigger.kind === 'each-event') {
      for (const { event } of built)
        if (event.type === trigger.event) keys.push(`${step.id}~${event.id}`);
    } else if (trigger.kind === 'therapy-course' || trigger.kind === 'next-dose') {
      for (const [startId, course] of courses) {
        if (!trigger.drugs.includes(course.drug)) continue;
        if (trigger.kind === 'therapy-course') keys.push(`${step.id}~${startId}`);
        else for (let n = 2; n <= course.doses + 2; n++) keys.push(`${step.id}~${startId}~${n}`);
      }
    }
  }
  return keys;
}

const THERAPY_TYPES: ReadonlySet<EventType> = new Set([
  'bone-therapy-started',
  'bone-therapy-dose',
  'bone-therapy-stopped',
  'prior-bone-therapy',
]);

/** Working days from `earliest` to `latest` (both included), in the service calendar. */
function workingDays(earliest: string, latest: string): string[] {
  const calendar = serviceCalendar();
  const days: string[] = [];
  for (let day = earliest; day <= latest; day = calendar.addToDate(day, { days: 1 })) {
    if (calendar.isWorkingDay(day)) days.push(day);
  }
  return days;
}

function buildEvents(
  times: EpisodeTimes,
  idPrefix: string,
  seeds: readonly EventSeed[],
  closure: ClosureSeed | undefined,
  /** The plan of the log so far as of an instant, to place reschedules inside their windows. */
  planAt: (events: readonly ClinicalEventInput[], asOf: number) => Plan,
  /** The episode as the log so far leaves it (its details corrected), one entry set aside. */
  episodeAt: (events: readonly ClinicalEventInput[], without?: string) => Episode,
): ClinicalEventInput[] {
  const built: Built[] = [];
  const out: ClinicalEventInput[] = [];
  const superseded = new Set<string>();
  const lastTherapyAt = new Map<BoneTherapyDrug, number>();
  const running = new Map<BoneTherapyDrug, string>();
  const courses = new Map<string, { drug: BoneTherapyDrug; doses: number }>();
  let cursor = times.enrolledAt;
  let previousWasReschedule = false;
  // Corrections of the episode's details keep every version of them consistent with the log, so
  // that any of them may later be withdrawn or corrected: every fracture date ever in effect is
  // on or before every identification date, admission day and entry ever recorded. `floor` is the
  // start of the latest fracture date ever in effect (no entry may come before it); the earliest
  // identification date and admission day ever in effect bound how late a fracture date may move.
  let floor = times.floor;
  let earliestIdentified = isoDay(times.identified);
  let earliestAdmissionDay =
    times.admittedAt === undefined ? undefined : serviceCalendar().localDate(times.admittedAt);

  const emit = (
    id: string,
    body: Record<string, unknown> & { type: EventType },
    time: TimeSeed,
    atLeast = floor,
    at?: number,
  ) => {
    // A reschedule was checked against the plan of the entries before it; an entry sharing its
    // recordedAt could be replayed before it and change that plan, so nothing shares it.
    const gap =
      body.type === 'step-completed' ||
      body.type === 'step-rescheduled' ||
      body.type === 'episode-details-corrected' ||
      previousWasReschedule ||
      body.supersedes !== undefined ||
      THERAPY_TYPES.has(body.type) ||
      body.type === 'closure' ||
      body.type === 'dxa-appointment'
        ? Math.max(time.gap, 1)
        : time.gap;
    previousWasReschedule = body.type === 'step-rescheduled';
    const recordedAt = Math.max(cursor + gap * MINUTE, atLeast);
    const occurredAt = at ?? Math.max(recordedAt - time.lag * MINUTE, atLeast);
    cursor = recordedAt;
    const event = { ...body, id };
    built.push({ event, occurredAt });
    out.push(
      compact({
        ...event,
        occurredAt: formatInstant(occurredAt, time.offset),
        recordedAt: formatInstant(recordedAt, time.offset),
        recordedBy: time.recordedBy,
      }) as unknown as ClinicalEventInput,
    );
    return occurredAt;
  };

  /**
   * Entries a correction or retraction may name: still in effect (corrections included). Therapy
   * entries are corrected in place (same drug and time), and only doses are withdrawn, so the
   * courses stay consistent.
   */
  const targets = (purpose: 'correction' | 'retraction') =>
    built.filter(
      ({ event }) =>
        !superseded.has(event.id) &&
        event.type !== 'retraction' &&
        event.type !== 'closure' &&
        (purpose === 'retraction' ||
          (event.type !== 'step-rescheduled' &&
            event.type !== 'episode-details-corrected' &&
            event.type !== 'treatment-review' &&
            event.type !== 'dxa-appointment')) &&
        (purpose === 'correction' ||
          !THERAPY_TYPES.has(event.type) ||
          event.type === 'bone-therapy-dose'),
    );

  seeds.forEach((seed, index) => {
    const id = `${idPrefix}${index + 1}`;
    switch (seed.kind) {
      case 'new':
        emit(id, { ...seed.body }, seed.time);
        return;
      case 'therapy': {
        const runningDrugs = [...running.keys()];
        const drug =
          seed.running !== undefined && runningDrugs.length > 0
            ? (runningDrugs[seed.running % runningDrugs.length] as BoneTherapyDrug)
            : seed.drug;
        // A drug's entries happen in order (start, doses, stop), at least an hour apart.
        const previous = lastTherapyAt.get(drug);
        const earliest = previous === undefined ? floor : Math.max(floor, previous + HOUR);
        const startId = running.get(drug);
        let body: Record<string, unknown> & { type: EventType };
        if (startId === undefined) {
          body = { type: 'bone-therapy-started', drug };
          running.set(drug, id);
          courses.set(id, { drug, doses: 0 });
        } else if (seed.stopRoll < 3) {
          body = compact({ type: 'bone-therapy-stopped' as const, drug, reason: seed.reason });
          running.delete(drug);
        } else {
          body = { type: 'bone-therapy-dose', drug };
          const course = courses.get(startId);
          if (course) course.doses += 1;
        }
        lastTherapyAt.set(drug, emit(id, body, seed.time, earliest));
        return;
      }
      case 'prior': {
        // Still taken at the fracture only for a drug with no entries yet: prior therapy began
        // before anything in the episode, so a start already recorded would be a second course.
        const taking = seed.takingAtFracture && !lastTherapyAt.has(seed.drug);
        const calendar = serviceCalendar();
        const fractureDate = isoDay(times.floor);
        const startedOn = calendar.addToDate(fractureDate, {
          days: -(1000 + seed.startDaysBefore),
        });
        const dosed = seed.drug === 'denosumab' || seed.drug === 'zoledronic-acid';
        const stoppedOn = taking
          ? undefined
          : calendar.addToDate(startedOn, { days: seed.ranDays });
        const lastDoseOn = dosed
          ? calendar.addToDate(startedOn, {
              days: taking ? seed.lastDoseDays : Math.min(seed.lastDoseDays, seed.ranDays),
            })
          : undefined;
        const body = compact({
          type: 'prior-bone-therapy' as const,
          drug: seed.drug,
          startedOn,
          takingAtFracture: taking,
          stoppedOn,
          lastDoseOn,
          adherence: seed.adherence,
        });
        const at = emit(id, body, seed.time);
        if (taking) {
          running.set(seed.drug, id);
          courses.set(id, { drug: seed.drug, doses: 0 });
          lastTherapyAt.set(seed.drug, at);
        }
        return;
      }
      case 'review': {
        const runningDrugs = [...running.keys()];
        const drug = runningDrugs[seed.running % Math.max(runningDrugs.length, 1)];
        if (drug === undefined) return;
        const previous = lastTherapyAt.get(drug);
        const earliest = previous === undefined ? floor : Math.max(floor, previous + HOUR);
        const oral = ['alendronic-acid', 'risedronate', 'ibandronic-acid'].includes(drug);
        const body = compact({
          type: 'treatment-review' as const,
          drug,
          takingAsPrescribed: seed.takingAsPrescribed,
          takenCorrectly: oral ? seed.takenCorrectly : undefined,
          outcome: seed.outcome,
        });
        // A later stop of the drug comes after its review, as for any of its entries.
        lastTherapyAt.set(drug, emit(id, body, seed.time, earliest));
        return;
      }
      case 'step': {
        const keys = candidateStepKeys(built, courses);
        const stepKey = keys[seed.pick % keys.length] as string;
        emit(
          id,
          compact({
            type: 'step-completed' as const,
            stepKey,
            outcome: seed.outcome,
            note: seed.note,
          }),
          seed.time,
        );
        return;
      }
      case 'correction': {
        const list = targets('correction');
        const target = list[seed.pick % Math.max(list.length, 1)];
        if (!target) return;
        superseded.add(target.event.id);
        const supersedes = target.event.id;
        const { type } = target.event;
        if (type === 'prior-bone-therapy') {
          const { id: _id, ...same } = target.event;
          emit(id, { ...same, note: 'Corrected entry.', supersedes }, seed.time);
          return;
        }
        if (THERAPY_TYPES.has(type)) {
          const { drug, reason } = target.event;
          const body = compact({ type, drug, reason, note: 'Corrected entry.', supersedes });
          emit(id, body, seed.time, floor, target.occurredAt);
          return;
        }
        const body =
          type === 'step-completed'
            ? { type, stepKey: target.event.stepKey, outcome: seed.outcome }
            : seed.bodies[type as Exclude<Correctable, 'step-completed'>];
        emit(id, { ...body, supersedes }, seed.time);
        return;
      }
      case 'appointment': {
        // The appointment in effect: the latest dxa-appointment entry not corrected or withdrawn.
        const current = built.findLast(
          ({ event }) => event.type === 'dxa-appointment' && !superseded.has(event.id),
        );
        if (seed.cancel && current?.event.action === 'booked') {
          emit(id, { type: 'dxa-appointment', action: 'cancelled' }, seed.time);
          return;
        }
        // Recorded as emit records it: the day is counted from the recording day.
        const recordedAt = Math.max(cursor + Math.max(seed.time.gap, 1) * MINUTE, floor);
        const calendar = serviceCalendar();
        emit(
          id,
          compact({
            type: 'dxa-appointment' as const,
            action: 'booked',
            appointmentOn: calendar.addToDate(calendar.localDate(recordedAt), { days: seed.days }),
            appointmentTime: seed.clock,
            place: seed.place,
          }),
          seed.time,
        );
        return;
      }
      case 'reschedule': {
        // Recorded as emit records it (at least a minute after the previous entry), so the plan
        // checked here is the one the validation checks against.
        const recordedAt = Math.max(cursor + Math.max(seed.time.gap, 1) * MINUTE, floor);
        const today = serviceCalendar().localDate(recordedAt);
        const movable = planAt(out, recordedAt).steps.flatMap((step) => {
          if (!isActive(step.status) || step.status === 'overdue' || !step.window) return [];
          const range = rescheduleRange(step.window, today, serviceCalendar());
          return range ? [{ key: step.key, days: workingDays(range.earliest, range.latest) }] : [];
        });
        const chosen = movable[seed.pick % Math.max(movable.length, 1)];
        if (!chosen) return;
        const previous = seed.correct
          ? built.findLast(
              ({ event }) =>
                event.type === 'step-rescheduled' &&
                event.stepKey === chosen.key &&
                !superseded.has(event.id),
            )
          : undefined;
        if (previous) superseded.add(previous.event.id);
        emit(
          id,
          compact({
            type: 'step-rescheduled' as const,
            stepKey: chosen.key,
            remindOn: chosen.days[seed.dayPick % chosen.days.length],
            reason: seed.reason,
            supersedes: previous?.event.id,
          }),
          seed.time,
        );
        return;
      }
      case 'details': {
        const calendar = serviceCalendar();
        const recordedAt = Math.max(cursor + Math.max(seed.time.gap, 1) * MINUTE, floor);
        const previous = seed.correct
          ? built.findLast(
              ({ event }) =>
                event.type === 'episode-details-corrected' && !superseded.has(event.id),
            )
          : undefined;
        // Compared with the details as they would be without the entry this one corrects.
        const base = episodeAt(out, previous?.event.id);
        let newFloor = floor;
        let newIdentified = earliestIdentified;
        let newAdmissionDay = earliestAdmissionDay;
        const entryDays = built.map(({ occurredAt }) => calendar.localDate(occurredAt));
        const body: Record<string, unknown> = {};
        seed.changes.forEach((change, i) => {
          const p = seed.picks[i] ?? 0;
          const choose = <T>(options: readonly T[]): T | undefined => options[p % options.length];
          switch (change) {
            case 'vertebralLevels': {
              const same =
                [...seed.levels].sort().join() === [...base.vertebralLevels].sort().join();
              const other = VERTEBRAL_LEVELS.find((level) => !seed.levels.includes(level));
              body.vertebralLevels = same ? [...seed.levels.slice(1), other] : seed.levels;
              return;
            }
            case 'fractureDateEstimated':
              body.fractureDateEstimated = !base.fractureDateEstimated;
              return;
            case 'identification':
              body.identification = choose(
                IDENTIFICATION_ROUTES.filter((route) => route !== base.identification),
              );
              return;
            case 'fractureDate': {
              const latest = [newIdentified, calendar.localDate(recordedAt), ...entryDays]
                .concat(newAdmissionDay === undefined ? [] : [newAdmissionDay])
                .sort()[0] as string;
              const earliest = calendar.addToDate(base.fractureDate, { days: -30 });
              const days: string[] = [];
              for (let day = earliest; day <= latest; day = calendar.addToDate(day, { days: 1 }))
                if (day !== base.fractureDate) days.push(day);
              const day = choose(days);
              if (day === undefined) return;
              body.fractureDate = day;
              newFloor = Math.max(newFloor, Date.parse(`${day}T00:00:00Z`));
              return;
            }
            case 'identifiedOn': {
              const days: string[] = [];
              const last = isoDay(times.enrolledAt);
              for (
                let day = isoDay(newFloor);
                day <= last;
                day = calendar.addToDate(day, { days: 1 })
              )
                if (day !== base.identifiedOn) days.push(day);
              const day = choose(days);
              if (day === undefined) return;
              body.identifiedOn = day;
              if (day < newIdentified) newIdentified = day;
              return;
            }
            case 'careSetting': {
              if (base.careSetting.kind === 'admitted' && p % 3 === 0) {
                body.careSetting = { kind: 'community' };
                return;
              }
              // From 06:00 UTC on the latest fracture date (that date in London) to enrolment.
              const from = newFloor + 6 * HOUR;
              const admittedAt =
                from +
                Math.floor(((times.enrolledAt - from) * (p % 1001)) / 1000 / MINUTE) * MINUTE;
              if (
                base.careSetting.kind === 'admitted' &&
                Date.parse(base.careSetting.admittedAt) === admittedAt
              ) {
                body.careSetting = { kind: 'community' };
                return;
              }
              body.careSetting = {
                kind: 'admitted',
                admittedAt: formatInstant(admittedAt, seed.offset),
              };
              const day = calendar.localDate(admittedAt);
              if (newAdmissionDay === undefined || day < newAdmissionDay) newAdmissionDay = day;
              return;
            }
          }
        });
        if (Object.keys(body).length === 0) return;
        floor = newFloor;
        earliestIdentified = newIdentified;
        earliestAdmissionDay = newAdmissionDay;
        if (previous) superseded.add(previous.event.id);
        emit(
          id,
          compact({
            type: 'episode-details-corrected' as const,
            ...body,
            note: 'Mistyped at enrolment.',
            supersedes: previous?.event.id,
          }),
          seed.time,
        );
        return;
      }
      case 'retraction': {
        const list = targets('retraction');
        const target = list[seed.pick % Math.max(list.length, 1)];
        if (!target) return;
        superseded.add(target.event.id);
        emit(
          id,
          { type: 'retraction', supersedes: target.event.id, note: 'Entered in error.' },
          seed.time,
        );
        return;
      }
    }
  });

  if (closure) {
    emit(
      `${idPrefix}${seeds.length + 1}`,
      { type: 'closure', reason: closure.reason },
      closure.time,
    );
  }
  return out;
}

// --- Public arbitraries ---------------------------------------------------------------------------

const ID_PREFIXES = ['ev', 'e.', 'E_', 'x~', 'evt-'] as const;

/** A valid episode record: patient, episode and an append-only log of 0-15 entries. */
export function episodeRecordArb(options: RecordOptions = {}): fc.Arbitrary<EpisodeRecordInput> {
  const closure = options.closure ?? 'sometimes';
  const closureArb: fc.Arbitrary<ClosureSeed | undefined> =
    closure === 'never'
      ? fc.constant(undefined)
      : closure === 'always'
        ? closureSeedArb
        : fc.oneof(
            { weight: 9, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: closureSeedArb },
          );
  return fc
    .record({
      patient: patientArb,
      episode: episodeSeedArb,
      idPrefix: fc.constantFrom(...ID_PREFIXES),
      seeds: fc.array(
        options.appointments === false
          ? eventSeedArb.filter((seed) => seed.kind !== 'appointment')
          : eventSeedArb,
        { maxLength: options.maxEvents ?? 15, size: 'medium' },
      ),
      closure: closureArb,
    })
    .map(({ patient, episode: episodeSeed, idPrefix, seeds, closure: closureSeed }) => {
      const { episode, times } = buildEpisode(episodeSeed, patient.id);
      const planAt = (events: readonly ClinicalEventInput[], asOf: number) =>
        computePlan({
          patient: PatientSchema.parse(patient),
          episode: EpisodeSchema.parse(episode),
          events: events.map((event) => ClinicalEventSchema.parse(event)),
          asOf,
        });
      const episodeAt = (events: readonly ClinicalEventInput[], without?: string) => {
        const parsed = events.map((event) => ClinicalEventSchema.parse(event));
        const enrolled = EpisodeSchema.parse(episode);
        return without === undefined
          ? effectiveEpisode(enrolled, parsed)
          : effectiveEpisodeWithout(enrolled, parsed, without);
      };
      return {
        patient,
        episode,
        events: buildEvents(times, idPrefix, seeds, closureSeed, planAt, episodeAt),
      };
    });
}

/** The last instant written in a record: enrolment, admission or any entry's recordedAt. */
export function lastRecordedAt(record: EpisodeRecordInput): number {
  let last = Date.parse(record.episode.enrolledAt);
  if (record.episode.careSetting.kind === 'admitted')
    last = Math.max(last, Date.parse(record.episode.careSetting.admittedAt));
  for (const event of record.events) last = Math.max(last, Date.parse(event.recordedAt));
  return last;
}

/** An instant (ISO, UTC) at or after everything in the record: up to ~5 years later. */
export function asOfArb(record: EpisodeRecordInput): fc.Arbitrary<string> {
  const last = lastRecordedAt(record);
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 30 * DAY_MINUTES }) },
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 400 * DAY_MINUTES }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 * DAY_MINUTES }) },
    )
    .map((minutes) => formatInstant(last + minutes * MINUTE));
}

/** A record with an instant after its last entry (the `now` to validate and plan it at). */
export function recordWithAsOfArb(
  options: RecordOptions = {},
): fc.Arbitrary<{ record: EpisodeRecordInput; asOf: string }> {
  return episodeRecordArb(options).chain((record) =>
    asOfArb(record).map((asOf) => ({ record, asOf })),
  );
}

/** The same record as a Scenario, for tests written with the scenario builder. */
export function scenarioFromRecord(record: EpisodeRecordInput): Scenario {
  const scenario = new Scenario(record.patient, record.episode);
  for (const event of record.events) {
    const { occurredAt, ...body } = event;
    scenario.add(occurredAt, body as Parameters<Scenario['add']>[1]);
  }
  return scenario;
}

/** Adds `minutes` to an ISO instant, as ISO UTC text. */
export function instantAfter(iso: string, minutes: number): string {
  return formatInstant(Date.parse(iso) + minutes * MINUTE);
}

export { DAY, HOUR, MINUTE };
