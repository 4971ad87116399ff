// The demo service: staff accounts for each role and a caseload whose histories are recorded
// through the same write path as real use, replayed at the times they happened. So on first
// open there are steps due today, due this week and overdue, reminders, and KPIs with numbers,
// whatever the instant it is seeded at: every calendar day and wall-clock time in a story is the
// service's own (Europe/London by default, from the domain's calendar), and every story ends
// before `now`. Deterministic for a given `now`: the same caseload every time. Names are
// obviously fictional.
import {
  CURRENT_PATHWAY_VERSION,
  computePlan,
  DEFAULT_SERVICE_SETTINGS,
  type EventType,
  findPathway,
  type LocalDate,
  normaliseNhsNumber,
  type ServiceCalendar,
  type ServiceSettings,
  type StepEntries,
  serviceCalendar,
  stepEntries,
} from '@vfx/domain';
import { hashPassword } from '../auth/password.js';
import type { Queryable } from '../client.js';
import { createHashedUser } from '../commands/create-user.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import { fireFollowUps } from '../follow-ups/fire.js';
import { pendingFollowUpsBefore } from '../follow-ups/queries.js';
import { syncPatientMessagesForPatient } from '../patient-messages/sync.js';
import { audit } from '../records/audit.js';
import { RecordError } from '../records/errors.js';
import { type EnrolmentInput, loadEpisodeRecord, runWrite } from '../records/write-path.js';

/** Every demo account signs in with this password (README lists the addresses). */
export const DEMO_PASSWORD = 'demo-password-2026';

export const DEMO_USERS = [
  { key: 'nurse', email: 'nurse@demo.fls.example', name: 'Nell Nightingale', role: 'nurse' },
  { key: 'nurse2', email: 'nurse2@demo.fls.example', name: 'Noor Bramley', role: 'nurse' },
  {
    key: 'scheduler',
    email: 'scheduler@demo.fls.example',
    name: 'Sol Calendar',
    role: 'scheduler',
  },
  { key: 'admin', email: 'admin@demo.fls.example', name: 'Ada Ledger', role: 'admin' },
] as const;

const GIVEN = {
  female: [
    'Agatha',
    'Clementine',
    'Edwina',
    'Gwendolyn',
    'Imelda',
    'Kitty',
    'Mabel',
    'Ophelia',
    'Queenie',
    'Sybil',
    'Ursula',
    'Winifred',
    'Yolanda',
  ],
  male: [
    'Bertram',
    'Dorian',
    'Fergus',
    'Horace',
    'Jasper',
    'Lionel',
    'Neville',
    'Percival',
    'Rupert',
    'Tobias',
    'Vernon',
    'Xavier',
    'Zebedee',
  ],
} as const;
const FAMILY = [
  'Applewhite',
  'Bramblecombe',
  'Cobblestone',
  'Dandelion',
  'Elderflower',
  'Fennelby',
  'Gooseberry',
  'Hollyhock',
  'Inkwell',
  'Juniper',
  'Kettleby',
  'Lavender',
  'Marigold',
  'Nettlebed',
  'Oakapple',
  'Pennywhistle',
  'Quillfeather',
  'Rosehip',
  'Sorrel',
  'Thistledown',
  'Umberfield',
  'Vetchling',
  'Willowherb',
  'Yarrowby',
  'Zestwick',
  'Buttercup',
  'Crumpleton',
];

export type Random = ReturnType<typeof random>;

/** A small deterministic generator (mulberry32), so the demo is the same on every machine. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}

const SEED = 20_261_121;
const PURPOSES = { story: 0x5eed, 'catch-up': 0xca7c, nurse: 0x4e55, contact: 0xc0de } as const;

/**
 * Patient n's own generator for one purpose, so patient n has the same story however many
 * patients come before it and whatever the database did for them (the demo and the scale seed
 * draw the same patients, and tests can draw one without seeding the rest).
 */
export function patientRandom(purpose: keyof typeof PURPOSES, n: number): Random {
  return random(Math.imul((n + 1) ^ PURPOSES[purpose], 0x9e3779b1) ^ SEED);
}

/**
 * NHS numbers in the 999 range, which the NHS keeps for testing (never a real patient), in order
 * and each once: about 900,000 valid ones.
 */
export function* testNhsNumbers(): Generator<string, never> {
  for (let k = 0; ; k++) {
    const nine = `999${String(k % 1_000_000).padStart(6, '0')}`;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) yield normaliseNhsNumber(`${nine}${check}`);
  }
}

// What the seeds write is recognisable by its ids and addresses (these, and the patterns below
// that match them), so a database can tell the demo's rows from what people entered themselves,
// which nothing may drop.
const DEMO_EMAIL_DOMAIN = '@demo.fls.example';
export const demoIds = {
  patient: (n: number) => `demo-patient-${n + 1}`,
  episode: (n: number) => `demo-episode-${n + 1}`,
  entry: (episodeId: string, index: number) => `${episodeId}-entry-${index + 1}`,
  catchUp: (episodeId: string, index: number) => `${episodeId}-catch-up-${index + 1}`,
  /** The scale seed's further nurses (nurse3@..., nurse4@...). */
  nurseEmail: (i: number) => `nurse${i}${DEMO_EMAIL_DOMAIN}`,
};
const DEMO_PATIENT_ID = '^demo-patient-[0-9]+$';
const DEMO_EPISODE_ID = '^demo-episode-[0-9]+$';
const DEMO_ENTRY_ID = '^demo-episode-[0-9]+-(entry|catch-up)-[0-9]+$';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Enrolment lies at least this long before `now`, so no story reaches the future. */
const ENROLLED_BEFORE_NOW = 2 * HOUR;
/** History entries happened an hour or more ago and were written down by this long ago. */
const HISTORY_RECORDED_BEFORE_NOW = 45 * MINUTE;
/** The catch-up entries were written last, just before now. */
const CATCH_UP_RECORDED_BEFORE_NOW = 30 * MINUTE;

/** Where a demo patient is on the pathway. */
type Stage =
  | 'just-admitted'
  | 'pain-review-due'
  | 'acute'
  | 'weeks-4-12'
  | 'past-12-weeks'
  | 'denosumab-late';

interface PlannedEvent {
  readonly id: string;
  /** When it happened. */
  readonly at: number;
  /** When the nurse wrote it down: after it happened, after the entry before it, before now. */
  readonly recordedAt: number;
  readonly event: Record<string, unknown>;
}

export interface SeedOptions {
  /** The instant the demo is seeded as of (tests pass a fixed one). */
  readonly now?: Date;
  /** How many patients (about 60 makes a believable service). */
  readonly patients?: number;
  /** Progress lines, e.g. console.log. */
  readonly log?: (line: string) => void;
  /** Record that the seed finished (false when a larger seed goes on after this one). */
  readonly markSeeded?: boolean;
  /** The service's calendar settings (its time zone decides what "today" is). */
  readonly settings?: ServiceSettings;
}

export interface SeedResult {
  readonly users: Record<(typeof DEMO_USERS)[number]['key'], string>;
  readonly patients: number;
  readonly events: number;
  readonly remindersFired: number;
}

const SEEDED = 'demo.seeded';

let demoPasswordHash: Promise<string> | undefined;
/**
 * The demo password, hashed once per process for every demo account: it is published, so a salt
 * of its own per account would protect nothing, and each hash takes most of a second.
 */
export function hashedDemoPassword(): Promise<string> {
  demoPasswordHash ??= hashPassword(DEMO_PASSWORD).catch((error: unknown) => {
    demoPasswordHash = undefined;
    throw error;
  });
  return demoPasswordHash;
}

/** Rows people entered themselves: staff accounts, patients, episodes and entries. */
export interface OwnRows {
  readonly users: number;
  readonly patients: number;
  readonly episodes: number;
  readonly entries: number;
}

/**
 * 'complete': a demo seed finished here. 'partial': demo rows without a finished seed (left by a
 * seed that was not one transaction, as older versions' were). 'absent': no demo rows. Beside an
 * unfinished demo, what people entered themselves.
 */
export type SeedState =
  | { readonly demo: 'complete' }
  | { readonly demo: 'partial' | 'absent'; readonly own: OwnRows };

/** Whether the demo is there, and (unless it is complete) what people entered beside it. */
export async function seedState(db: Queryable): Promise<SeedState> {
  const finished = await db.auditEntry.count({ where: { action: SEEDED } });
  if (finished > 0) return { demo: 'complete' };
  const [row] = await db.$queryRaw<(OwnRows & { demo: number })[]>`
    SELECT
      (SELECT count(*)::int FROM users WHERE email LIKE ${`%${DEMO_EMAIL_DOMAIN}`})
        + (SELECT count(*)::int FROM patients WHERE id ~ ${DEMO_PATIENT_ID}) AS demo,
      (SELECT count(*)::int FROM users WHERE email NOT LIKE ${`%${DEMO_EMAIL_DOMAIN}`}) AS users,
      (SELECT count(*)::int FROM patients WHERE id !~ ${DEMO_PATIENT_ID}) AS patients,
      (SELECT count(*)::int FROM episodes WHERE id !~ ${DEMO_EPISODE_ID}) AS episodes,
      (SELECT count(*)::int FROM clinical_events WHERE id !~ ${DEMO_ENTRY_ID}) AS entries`;
  if (!row) throw new Error('seedState: the database returned no row');
  const { demo, ...own } = row;
  return { demo: demo > 0 ? 'partial' : 'absent', own };
}

/**
 * What to do about the demo in a database: seed it (only an empty one: the demo's fictional
 * patients and accounts never join a service's own); nothing, because it is there ('present');
 * nothing, because the database holds data of its own ('refuse'); or start afresh from an empty
 * database (a partial demo and nothing anyone entered beside it, so nothing is lost). Nothing
 * people entered is ever dropped.
 */
export type DemoDecision =
  | { readonly kind: 'seed' }
  | { readonly kind: 'present' | 'refuse' | 'recreate'; readonly why: string };

export function demoDecision(state: SeedState): DemoDecision {
  if (state.demo === 'complete')
    return { kind: 'present', why: 'The demo caseload is already there.' };
  const { users, patients, episodes, entries } = state.own;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const own = `${count(users, 'staff account', 'staff accounts')}, ${count(patients, 'patient', 'patients')}, ${count(episodes, 'episode', 'episodes')} and ${count(entries, 'entry', 'entries')} entered by people`;
  const empty = users + patients + episodes + entries === 0;
  if (state.demo === 'absent') {
    return empty
      ? { kind: 'seed' }
      : {
          kind: 'refuse',
          why: `The database holds data of its own (${own}); the demo's fictional patients are not added to it.`,
        };
  }
  return empty
    ? {
        kind: 'recreate',
        why: 'An earlier seed was cut off and left a partial demo caseload, with nothing entered by people beside it.',
      }
    : {
        kind: 'refuse',
        why: `An earlier seed left a partial demo caseload beside ${own}; nothing is dropped. To start afresh, move those elsewhere and recreate the database.`,
      };
}

/** Records that a seed finished, so a second run leaves the database alone. */
export async function markSeeded(db: Queryable, summary: Record<string, number>): Promise<void> {
  await db.$transaction((tx) =>
    audit(tx, {
      actor: 'system:seed',
      action: SEEDED,
      entityType: 'service',
      entityId: 'demo',
      after: summary,
    }),
  );
}

/**
 * Seeds the demo accounts and caseload as of `now`, in one transaction (each write of the replay
 * is nested in it): a seed that fails for any reason leaves nothing behind, so the next attempt
 * starts afresh. Only into an empty database (demoDecision): anything else is refused, unchanged.
 */
export async function seedDemo(db: Queryable, options: SeedOptions = {}): Promise<SeedResult> {
  // About 12 s for 60 patients here; the limit leaves room for a slow machine.
  return db.$transaction(
    async (tx) => {
      const decision = demoDecision(await seedState(tx));
      if (decision.kind !== 'seed') {
        throw new RecordError('conflict', `The demo was not seeded: ${decision.why}`);
      }
      return seedDemoIn(tx, options);
    },
    { maxWait: 10_000, timeout: 15 * 60_000 },
  );
}

async function seedDemoIn(db: Queryable, options: SeedOptions): Promise<SeedResult> {
  const now = (options.now ?? new Date()).getTime();
  const count = options.patients ?? 60;
  const log = options.log ?? (() => {});
  const settings = options.settings ?? DEFAULT_SERVICE_SETTINGS;
  const calendar = serviceCalendar(settings);

  const users = {} as Record<(typeof DEMO_USERS)[number]['key'], string>;
  const passwordHash = await hashedDemoPassword();
  for (const user of DEMO_USERS) {
    const created = await createHashedUser(
      db,
      { email: user.email, name: user.name, role: user.role, passwordHash },
      'system:seed',
    );
    users[user.key] = created.id;
  }
  log(`Created ${DEMO_USERS.length} demo accounts.`);

  let events = 0;
  let contacts = 0;
  const numbers = testNhsNumbers();
  for (let n = 0; n < count; n++) {
    // The patients that give the demo its shape are the demo nurse's, so her first worklist
    // has something overdue, something due and something coming this week.
    const nurseId =
      n < STAGES.length || patientRandom('nurse', n).chance(0.7) ? users.nurse : users.nurse2;
    const patient = demoPatient(n, now, numbers, nurseId, calendar);
    const { episodeId } = patient;
    await enrolPatient(db, patient.enrolment, {
      actorId: nurseId,
      now: new Date(patient.enrolledAt),
      settings,
    });
    // Replayed as it happened: each entry recorded a little after the event, by the nurse.
    for (const { id, at, recordedAt, event } of patient.history) {
      await recordEvent(
        db,
        { episodeId, event: { id, ...event, occurredAt: iso(at) } },
        { actorId: nurseId, now: new Date(recordedAt), settings },
      );
      events++;
    }
    events += await catchUp(db, n, patient, nurseId, now, settings);
    contacts += await demoContactPreferences(db, n, patient.enrolment, nurseId, now, settings);
    if ((n + 1) % 10 === 0) log(`Recorded ${n + 1} of ${count} patients (${events} events).`);
  }

  events += await demoDxaAppointment(db, now, settings);

  // What the worker would have done meanwhile: every status change whose time has come.
  let fired = 0;
  for (;;) {
    const due = await pendingFollowUpsBefore(db, new Date(now));
    if (due.length === 0) break;
    const outcomes = await fireFollowUps(
      db,
      due.slice(0, 500).map((f) => f.id),
      { now: new Date(now), emailReminders: false, settings },
    );
    fired += [...outcomes.values()].filter((o) => o.kind === 'applied').length;
  }
  // The worker would have applied each of them at its time: record them so, or the queue health
  // page would report the seed's catch-up as weeks of lateness.
  await db.$executeRaw`
    UPDATE follow_ups SET settled_at = fire_at, lateness_ms = 0
    WHERE state = 'fired' AND settled_at >= ${new Date(now)}`;
  log(`Applied the status changes already due (${fired} reminders).`);
  log(`Recorded contact preferences for ${contacts} patients (patient reminders planned).`);
  if (options.markSeeded !== false) await markSeeded(db, { patients: count, events, fired });
  return { users, patients: count, events, remindersFired: fired };
}

/**
 * The first patients are one of each stage, in this order, so even a small demo covers every
 * phase and has work overdue (the late denosumab dose), due (the 48-hour review) and coming this
 * week (the just-admitted patient's review), and one patient well past the 16-week follow-up
 * with a full record (the patient page's timeline at its most telling); the rest follow the
 * weights.
 */
const STAGES: readonly Stage[] = [
  'just-admitted',
  'pain-review-due',
  'acute',
  'weeks-4-12',
  'past-12-weeks',
  'denosumab-late',
];
const STAGE_WEIGHTS = [0.08, 0.04, 0.28, 0.25, 0.3, 0.05];
const STAGE_LIMITS = STAGE_WEIGHTS.map((_, i) =>
  STAGE_WEIGHTS.slice(0, i + 1).reduce((a, b) => a + b, 0),
);

/** How many days before today the fracture was, by stage (the 48-hour review's is by hours). */
const DAYS_AGO: Record<Exclude<Stage, 'pain-review-due'>, readonly [number, number]> = {
  'just-admitted': [0, 1],
  acute: [3, 40],
  // Inside the subacute phase (from day 42 to day 84) with a margin at each end.
  'weeks-4-12': [43, 82],
  'past-12-weeks': [90, 420],
  // A dose is overdue from 6 months and 4 weeks after the last (at most 213 days, and a few more
  // when holidays push the reminder): started 20-30 days after a fracture this long ago, the
  // second dose is late at every instant.
  'denosumab-late': [255, 285],
};
/** The shaping patient past 12 weeks is past the 16-week follow-up contact (days 110-118) too. */
const SHAPING_PAST_12_WEEKS: readonly [number, number] = [130, 420];

export interface DemoPatient {
  readonly episodeId: string;
  readonly enrolment: EnrolmentInput;
  readonly enrolledAt: number;
  /** What happened after enrolment, oldest first, in the order it was written down. */
  readonly history: readonly PlannedEvent[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (ms: number) => new Date(ms).toISOString();

/** A wall-clock time, on the quarter hour. */
const clockTime = (rng: Random, fromHour: number, toHour: number) =>
  `${pad(rng.int(fromHour, toHour))}:${pad(15 * rng.int(0, 3))}`;

const minDate = (a: LocalDate, b: LocalDate) => (a < b ? a : b);

/**
 * The first daytime moment (08:00-20:00, any day: wards see admitted patients at weekends) from
 * `instant` on: when the service would first see someone admitted at night.
 */
function daytimeFrom(instant: number, rng: Random, calendar: ServiceCalendar): number {
  const day = calendar.localDate(instant);
  if (instant >= calendar.atLocalTime(day, '08:00') && instant < calendar.atLocalTime(day, '20:00'))
    return instant;
  const next =
    instant < calendar.atLocalTime(day, '08:00') ? day : calendar.addToDate(day, { days: 1 });
  return calendar.atLocalTime(next, clockTime(rng, 8, 9));
}

interface Presentation {
  readonly fractureDay: LocalDate;
  readonly identifiedDay: LocalDate;
  readonly admittedAt: number | undefined;
  readonly enrolledAt: number;
}

/**
 * When the fracture happened, was identified, and (if admitted) the patient was admitted, and when
 * the FLS enrolled them, in the service's days and hours: admitted patients on the ward, by day,
 * any day of the week; community patients on a working day, identified by their GP or imaging.
 * Enrolment lies at least ENROLLED_BEFORE_NOW before `now`: a presentation the day has not yet
 * reached (an enrolment this afternoon, seen at 01:00) moves back a day, so the story is
 * believable at any hour.
 */
function presentation(
  stage: Stage,
  shaping: boolean,
  now: number,
  rng: Random,
  calendar: ServiceCalendar,
): Presentation {
  if (stage === 'pain-review-due') {
    // Admitted 50-66 hours ago, at whatever hour that was: the 48-hour review is due now.
    const admittedAt = now - rng.int(50 * 4, 66 * 4) * 15 * MINUTE;
    const day = calendar.localDate(admittedAt);
    return {
      fractureDay: day,
      identifiedDay: day,
      admittedAt,
      enrolledAt: daytimeFrom(admittedAt + rng.int(1, 3) * HOUR, rng, calendar),
    };
  }
  const today = calendar.localDate(now);
  const [fewest, most] =
    shaping && stage === 'past-12-weeks' ? SHAPING_PAST_12_WEEKS : DAYS_AGO[stage];
  let fractureDay = calendar.addToDate(today, { days: -rng.int(fewest, most) });
  const admitted = stage === 'just-admitted' || rng.chance(0.45);
  const admissionTime = clockTime(rng, 7, 15);
  const hoursToEnrolment = rng.int(1, 4);
  const identifiedAfter = rng.int(1, 4);
  const enrolmentTime = clockTime(rng, 9, 16);
  let identifiedDay = admitted
    ? fractureDay
    : calendar.workingDayOnOrAfter(calendar.addToDate(fractureDay, { days: identifiedAfter }));
  if (identifiedDay > today) identifiedDay = calendar.workingDayOnOrBefore(today);
  fractureDay = minDate(fractureDay, identifiedDay);
  const enrolment = () => {
    const admittedAt = admitted ? calendar.atLocalTime(fractureDay, admissionTime) : undefined;
    const enrolledAt =
      admittedAt !== undefined
        ? admittedAt + hoursToEnrolment * HOUR
        : calendar.atLocalTime(identifiedDay, enrolmentTime);
    return { fractureDay, identifiedDay, admittedAt, enrolledAt };
  };
  const first = enrolment();
  if (first.enrolledAt <= now - ENROLLED_BEFORE_NOW) return first;
  // Later today than now allows: the day before (the previous working day in the community). It
  // ended before 20:00, at least 4 hours before any moment of today.
  identifiedDay = admitted
    ? calendar.addToDate(identifiedDay, { days: -1 })
    : calendar.workingDayOnOrBefore(calendar.addToDate(identifiedDay, { days: -1 }));
  fractureDay = admitted ? identifiedDay : minDate(fractureDay, identifiedDay);
  const moved = enrolment();
  if (moved.enrolledAt > now - ENROLLED_BEFORE_NOW)
    throw new Error(`demo seed: no enrolment before ${iso(now)} for a ${stage} patient`);
  return moved;
}

/** Patient number n of the demo as of `now`: where they are on the pathway, what was recorded. */
export function demoPatient(
  n: number,
  now: number,
  numbers: Iterator<string>,
  nurseId: string,
  calendar: ServiceCalendar = serviceCalendar(),
): DemoPatient {
  const rng = patientRandom('story', n);
  const r = rng.next();
  const shaping = n < STAGES.length;
  const stage: Stage = STAGES[n] ?? STAGES[STAGE_LIMITS.findIndex((limit) => r < limit)] ?? 'acute';
  const { fractureDay, identifiedDay, admittedAt, enrolledAt } = presentation(
    stage,
    shaping,
    now,
    rng,
    calendar,
  );
  const age = rng.int(58, 92);
  const dateOfBirth = `${Number(fractureDay.slice(0, 4)) - age}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const levels = rng.pick([['T12'], ['L1'], ['T11', 'T12'], ['L2'], ['T8'], ['L1', 'L2'], ['T7']]);
  const episodeId = demoIds.episode(n);
  const sex = rng.chance(0.75) ? 'female' : 'male';
  const admitted = admittedAt !== undefined;
  const enrolment: EnrolmentInput = {
    patient: {
      id: demoIds.patient(n),
      identifier: { kind: 'nhs-number', value: numbers.next().value },
      dateOfBirth,
      sex,
    },
    demographics: { givenName: rng.pick(GIVEN[sex]), familyName: FAMILY[n % FAMILY.length] },
    episode: {
      id: episodeId,
      pathwayVersion: CURRENT_PATHWAY_VERSION,
      vertebralLevels: levels,
      fractureDate: fractureDay,
      fractureDateEstimated: !admitted && rng.chance(0.3),
      identifiedOn: identifiedDay,
      identification: admitted
        ? 'symptomatic-presentation'
        : rng.pick(['symptomatic-presentation', 'incidental-imaging']),
      careSetting: admitted
        ? { kind: 'admitted', admittedAt: iso(admittedAt) }
        : { kind: 'community' },
      columnInvolvement: 'anterior-only',
      neurologicalDeficit: false,
      suspectedMalignancy: false,
      mriOedema: admitted ? rng.pick(['present', 'not-imaged']) : 'not-imaged',
    },
    nurseId,
  };
  return {
    episodeId,
    enrolment,
    enrolledAt,
    history: historyOf(stage, shaping, episodeId, enrolledAt, fractureDay, now, rng, calendar),
  };
}

/**
 * A service keeps up with most of its work: steps left overdue for weeks are mostly recorded as
 * done on a working day while they were due (entered late, as happens), a few declined or not
 * indicated; the rest stay overdue. A late denosumab dose is left alone: the demo shows one.
 */
async function catchUp(
  db: Queryable,
  n: number,
  patient: DemoPatient,
  nurseId: string,
  now: number,
  settings: ServiceSettings,
): Promise<number> {
  const calendar = serviceCalendar(settings);
  const rng = patientRandom('catch-up', n);
  const record = await loadEpisodeRecord(db, patient.episodeId);
  if (!record) return 0;
  const plan = computePlan({ ...record, asOf: now, settings });
  const recordedAt = now - CATCH_UP_RECORDED_BEFORE_NOW;
  const weeksAgo = calendar.addToInstant(now, { days: -21 });
  let recorded = 0;
  for (const step of plan.steps) {
    const overdueFrom = step.window ? Date.parse(step.window.transitions.overdue) : Number.NaN;
    if (step.status !== 'overdue' || !(overdueFrom < weeksAgo)) continue;
    if (step.stepId.startsWith('denosumab') || !rng.chance(0.88)) continue;
    const due = Date.parse(step.window?.transitions.due ?? '');
    const dueDay = calendar.localDate(due);
    const daysDue = calendar.daysBetween(dueDay, calendar.localDate(overdueFrom));
    const day = calendar.workingDayOnOrAfter(
      calendar.addToDate(dueDay, { days: rng.int(0, Math.max(0, daysDue - 1)) }),
    );
    const done = calendar.atLocalTime(day, clockTime(rng, 9, 16));
    const definition = findPathway(plan.pathwayVersion)?.steps.find((s) => s.id === step.stepId);
    const entry = definition && catchUpEntry(step.key, stepEntries(definition, step.drug), rng);
    if (!entry) continue;
    await recordEvent(
      db,
      {
        episodeId: patient.episodeId,
        event: {
          id: demoIds.catchUp(patient.episodeId, recorded),
          ...entry,
          occurredAt: iso(Math.min(Math.max(done, patient.enrolledAt + 15 * MINUTE), recordedAt)),
        },
      },
      { actorId: nurseId, now: new Date(recordedAt), settings },
    );
    recorded++;
  }
  return recorded;
}

/**
 * What a nurse catching up records for a step: mostly the entry the step needs, with a plausible
 * routine finding (a referral made, a screen with nothing found), sometimes the step declined or
 * not indicated where the pathway allows that. Undefined for a step a catch-up does not settle.
 */
function catchUpEntry(
  stepKey: string,
  entries: StepEntries,
  rng: Random,
): Record<string, unknown> | undefined {
  const notDone = entries.generic?.outcomes.filter((outcome) => outcome !== 'done') ?? [];
  if (notDone.length > 0 && rng.chance(0.1)) {
    return { type: 'step-completed', stepKey, outcome: rng.pick(notDone) };
  }
  if (entries.generic?.outcomes.includes('done')) {
    return { type: 'step-completed', stepKey, outcome: 'done' };
  }
  const offer = entries.offers.find((o) => o.effect !== 'stops-therapy');
  if (!offer) return undefined;
  const findings: Partial<Record<EventType, Record<string, unknown>>> = {
    'pain-assessment': {
      nrsAtRest: 1,
      nrsOnActivity: rng.int(2, 3),
      functionalLimitation: 'mild',
      mobility: 'independent',
      onAnalgesia: true,
    },
    'psychological-screen': {
      anxietyOrLowMood: false,
      painCatastrophising: false,
      fearOfFalling: rng.chance(0.3),
    },
    'falls-risk-assessment': {
      fallsInLastYear: 0,
      presentedWithFall: false,
      gaitOrBalanceDifficulty: false,
      result: 'not-at-risk',
    },
    'fracture-risk-assessment': {
      tool: 'FRAX',
      majorOsteoporoticFractureRisk: rng.int(150, 350) / 10,
      category: 'high',
    },
    'dxa-result': { lumbarSpineTScore: -rng.int(20, 35) / 10, vertebralFractureAssessment: true },
    'laboratory-screen': { secondaryCauseFound: false },
    'follow-up-contact': {
      mode: 'telephone',
      treatmentStatus: 'started',
      takingAsPrescribed: true,
    },
    'bone-therapy-started': { drug: 'alendronic-acid' },
  };
  const finding = findings[offer.event];
  const simple = offer.event === 'referral' || offer.event === 'bone-therapy-dose';
  if (!finding && !simple) return undefined;
  return { type: offer.event, ...finding, ...offer.fill };
}

/**
 * A plausible record for a patient at this stage; some steps are left undone on purpose, except
 * by the patients that give the demo its shape, whose nurses are diligent. The service's own
 * contacts fall on working days.
 */
function historyOf(
  stage: Stage,
  shaping: boolean,
  episodeId: string,
  enrolledAt: number,
  fractureDay: LocalDate,
  now: number,
  rng: Random,
  calendar: ServiceCalendar,
): PlannedEvent[] {
  const happened: { at: number; event: Record<string, unknown> }[] = [];
  /** The first working day on or after a day after the fracture, at a local time. */
  const at = (day: number, time = '10:00') =>
    calendar.atLocalTime(
      calendar.workingDayOnOrAfter(calendar.addToDate(fractureDay, { days: day })),
      time,
    );
  const add = (when: number, event: Record<string, unknown>) => {
    if (when > enrolledAt && when < now - HOUR) happened.push({ at: when, event });
  };
  // Pain settles over weeks for most, stays high for a few.
  let pain = rng.int(6, 9);
  const settles = rng.chance(0.8);
  const assessPain = (when: number) => {
    pain = Math.max(1, Math.min(10, pain + (settles ? -rng.int(0, 2) : rng.int(-1, 1))));
    add(when, {
      type: 'pain-assessment',
      nrsAtRest: Math.max(0, pain - 2),
      nrsOnActivity: pain,
      functionalLimitation: pain >= 7 ? 'severe' : pain >= 4 ? 'moderate' : 'mild',
      mobility: pain >= 8 ? 'with-help' : 'independent',
      onAnalgesia: true,
    });
  };
  const diligent = shaping || (stage !== 'just-admitted' && rng.chance(0.75));

  // The first contact: the holistic assessment soon after enrolment, then advice.
  const firstContact = enrolledAt + rng.int(2, 8) * 15 * MINUTE;
  assessPain(firstContact);
  if (stage !== 'just-admitted' && stage !== 'pain-review-due') {
    add(firstContact + 15 * MINUTE, {
      type: 'step-completed',
      stepKey: 'self-management-advice',
      outcome: 'done',
    });
    laterHistory();
  }
  // Written down in order, each a little after it happened, none later than shortly before now.
  happened.sort((a, b) => a.at - b.at);
  let lastRecorded = enrolledAt;
  return happened.map(({ at: when, event }, index) => {
    lastRecorded = Math.min(
      Math.max(lastRecorded, when + rng.int(5, 90) * MINUTE),
      now - HISTORY_RECORDED_BEFORE_NOW,
    );
    return { id: demoIds.entry(episodeId, index), at: when, recordedAt: lastRecorded, event };
  });

  function laterHistory(): void {
    if (rng.chance(0.85)) assessPain(at(2, clockTime(rng, 9, 16)));
    for (const day of [7, 14, 21, 35, 56, 84]) {
      if (rng.chance(0.6)) assessPain(at(day, clockTime(rng, 9, 16)));
    }
    if (diligent || rng.chance(0.5)) {
      add(at(rng.int(8, 16)), {
        type: 'psychological-screen',
        anxietyOrLowMood: rng.chance(0.3),
        painCatastrophising: rng.chance(0.2),
        fearOfFalling: rng.chance(0.4),
        tools: 'HADS, FES-I short form',
      });
    }
    if (diligent) {
      const falls = rng.int(0, 2);
      add(at(rng.int(10, 20)), {
        type: 'falls-risk-assessment',
        fallsInLastYear: falls,
        presentedWithFall: rng.chance(0.5),
        gaitOrBalanceDifficulty: falls > 0,
        result: falls > 0 ? 'at-risk' : 'not-at-risk',
      });
      add(at(rng.int(14, 30)), { type: 'laboratory-screen', secondaryCauseFound: rng.chance(0.1) });
    }
    if (diligent && rng.chance(0.85)) {
      add(at(rng.int(20, 45)), {
        type: 'fracture-risk-assessment',
        tool: 'FRAX',
        majorOsteoporoticFractureRisk: rng.int(140, 420) / 10,
        hipFractureRisk: rng.int(30, 150) / 10,
        category: rng.pick(['high', 'very-high']),
      });
    }
    if (diligent && rng.chance(0.7)) {
      add(at(rng.int(30, 70)), {
        type: 'dxa-result',
        lumbarSpineTScore: -rng.int(20, 38) / 10,
        totalHipTScore: -rng.int(15, 32) / 10,
      });
    }
    if (rng.chance(0.6)) {
      add(at(rng.int(28, 60)), {
        type: 'referral',
        referralType: rng.pick(['physiotherapy', 'individualised-exercise-programme']),
      });
    }
    const drug =
      stage === 'denosumab-late'
        ? 'denosumab'
        : rng.pick(['alendronic-acid', 'alendronic-acid', 'denosumab', 'zoledronic-acid']);
    const started = at(stage === 'denosumab-late' ? rng.int(20, 30) : rng.int(40, 75));
    const onTherapy = stage === 'denosumab-late' || (diligent && rng.chance(0.8));
    if (onTherapy) add(started, { type: 'bone-therapy-started', drug });
    if (rng.chance(0.75) || shaping) {
      add(at(rng.int(110, 118), '14:00'), {
        type: 'follow-up-contact',
        mode: rng.pick(['telephone', 'face-to-face', 'video']),
        treatmentStatus: 'started',
        takingAsPrescribed: rng.chance(0.85),
        fallsReferralActioned: 'not-applicable',
      });
    }
    if (rng.chance(0.7) || shaping) {
      add(at(rng.int(362, 368), '14:00'), {
        type: 'follow-up-contact',
        mode: 'telephone',
        treatmentStatus: 'started',
        takingAsPrescribed: rng.chance(0.8),
      });
    }
    // Denosumab is every 6 months, on a working day; the late patient's second dose is not given.
    if (onTherapy && drug === 'denosumab' && stage !== 'denosumab-late') {
      for (let dose = 1; dose <= 2; dose++) {
        const day = calendar.addToDate(calendar.localDate(started), { months: 6 * dose });
        add(calendar.atLocalTime(calendar.workingDayOnOrAfter(day), '10:00'), {
          type: 'bone-therapy-dose',
          drug,
        });
      }
    }
  }
}

/**
 * A good share of the demo's patients have contact preferences, so `npm start` shows patient
 * reminders (in the local mailbox without NOTIFY_API_KEY): text message, e-mail, letter, none,
 * opted out, or nothing recorded. The details are fictional: mobiles in Ofcom's range for drama
 * (07700 900000 to 900999), e-mail addresses at example.org and example.com (reserved for
 * examples), addresses on made-up streets. Recorded at `now`, with the reminders planned then.
 */
/**
 * One DXA appointment, so the demo shows it on a DXA step and plans its patient reminder: booked
 * about two weeks ahead for the last patient (highest episode id) who agreed to text messages and
 * whose DXA scan is still to do under pathway version 3. The browser tests record their own on
 * patients without contact preferences. Returns the entries recorded (0 or 1).
 */
async function demoDxaAppointment(
  db: Queryable,
  now: number,
  settings: ServiceSettings,
): Promise<number> {
  const calendar = serviceCalendar(settings);
  const episode = await db.episode.findFirst({
    where: {
      closedAt: null,
      pathwayVersion: CURRENT_PATHWAY_VERSION,
      patient: { contactPreferences: { is: { channel: 'sms', optedOutAt: null } } },
      steps: { some: { stepId: 'dxa-scan', status: { in: ['open', 'due', 'overdue'] } } },
    },
    orderBy: { id: 'desc' },
    select: { id: true, patient: { select: { nurseId: true } } },
  });
  const nurseId = episode?.patient.nurseId;
  if (!episode || !nurseId) return 0;
  const day = calendar.workingDayOnOrAfter(
    calendar.addToDate(calendar.localDate(now), { days: 15 }),
  );
  await recordEvent(
    db,
    {
      episodeId: episode.id,
      event: {
        id: `${episode.id}-dxa-appointment`,
        type: 'dxa-appointment',
        action: 'booked',
        appointmentOn: day,
        appointmentTime: '10:30',
        place: 'DXA unit, Radiology',
        occurredAt: iso(now),
      },
    },
    { actorId: nurseId, now: new Date(now), settings },
  );
  return 1;
}

async function demoContactPreferences(
  db: Queryable,
  n: number,
  enrolment: { readonly patient: unknown; readonly demographics: unknown },
  nurseId: string,
  now: number,
  settings: ServiceSettings,
): Promise<number> {
  const rng = patientRandom('contact', n);
  const roll = rng.next();
  const channel =
    roll < 0.35
      ? 'sms'
      : roll < 0.55
        ? 'email'
        : roll < 0.7
          ? 'letter'
          : roll < 0.78
            ? 'none'
            : roll < 0.86
              ? 'opted-out'
              : undefined;
  if (!channel) return 0;
  const patientId = (enrolment.patient as { id: string }).id;
  const { givenName, familyName } = enrolment.demographics as {
    givenName: string;
    familyName: string;
  };
  const at = new Date(now);
  const local = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');
  await runWrite(db, async (tx) => {
    await tx.patientContactPreferences.create({
      data: {
        patientId,
        channel: channel === 'opted-out' ? 'sms' : channel,
        consentAt: channel === 'none' ? null : at,
        consentBy: channel === 'none' ? null : nurseId,
        mobile: `+447700900${String(n % 1000).padStart(3, '0')}`,
        email: `${local(givenName)}.${local(familyName)}@${n % 2 === 0 ? 'example.org' : 'example.com'}`,
        addressLines: [`${1 + (n % 98)} Sample Street`, 'Exampleton'],
        postcode: 'LS1 4AP',
        optedOutAt: channel === 'opted-out' ? at : null,
        optedOutBy: channel === 'opted-out' ? nurseId : null,
        optOutReason: channel === 'opted-out' ? 'Asked for no text messages' : null,
        updatedAt: at,
        updatedBy: nurseId,
      },
    });
    await syncPatientMessagesForPatient(tx, { patientId, now: at, settings });
  });
  return 1;
}
