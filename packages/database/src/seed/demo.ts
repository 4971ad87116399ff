// The demo service: staff accounts for each role and a caseload whose histories are recorded
// through the same write path as real use, replayed at the times they happened. So on first
// open there are steps due today, due this week and overdue, reminders, and KPIs with numbers.
// Deterministic for a given `now`: the same caseload every time. Names are obviously fictional.
import { CURRENT_PATHWAY_VERSION, computePlan, normaliseNhsNumber } from '@vfx/domain';
import { createUser } from '../auth/users.js';
import type { Database } from '../client.js';
import { fireFollowUps } from '../follow-ups/fire.js';
import { pendingFollowUpsBefore } from '../follow-ups/queries.js';
import { audit } from '../records/audit.js';
import {
  type EnrolmentInput,
  enrolPatient,
  loadEpisodeRecord,
  recordEvent,
} from '../records/write-path.js';

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

const DAY = 86_400_000;
const HOUR = 3_600_000;

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

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** Where a demo patient is on the pathway, in days since the fracture. */
type Stage = 'just-admitted' | 'acute' | 'weeks-4-12' | 'past-12-weeks' | 'denosumab-late';

interface PlannedEvent {
  readonly at: number;
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
}

export interface SeedResult {
  readonly users: Record<(typeof DEMO_USERS)[number]['key'], string>;
  readonly patients: number;
  readonly events: number;
  readonly remindersFired: number;
}

const SEEDED = 'demo.seeded';

/**
 * Whether the demo is there: 'complete', 'absent', or 'interrupted' (accounts exist but the
 * seed did not finish, so the caseload is partial and the database should be recreated).
 */
export async function seedState(db: Database): Promise<'complete' | 'absent' | 'interrupted'> {
  if ((await db.auditEntry.count({ where: { action: SEEDED } })) > 0) return 'complete';
  const accounts = await db.user.count({ where: { email: DEMO_USERS[0].email } });
  return accounts > 0 ? 'interrupted' : 'absent';
}

/** Records that a seed finished, so a second run leaves the database alone. */
export async function markSeeded(db: Database, summary: Record<string, number>): Promise<void> {
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

export async function seedDemo(db: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const now = (options.now ?? new Date()).getTime();
  const count = options.patients ?? 60;
  const log = options.log ?? (() => {});
  const rng = random(20_261_121);

  const users = {} as Record<(typeof DEMO_USERS)[number]['key'], string>;
  for (const user of DEMO_USERS) {
    const created = await createUser(
      db,
      { email: user.email, name: user.name, role: user.role, password: DEMO_PASSWORD },
      'system:seed',
    );
    users[user.key] = created.id;
  }
  log(`Created ${DEMO_USERS.length} demo accounts.`);

  let events = 0;
  const numbers = testNhsNumbers();
  for (let n = 0; n < count; n++) {
    const nurseId = rng.chance(0.7) ? users.nurse : users.nurse2;
    const patient = demoPatient(n, now, rng, numbers, nurseId);
    const { episodeId } = patient;
    await enrolPatient(db, patient.enrolment, {
      actorId: nurseId,
      now: new Date(patient.enrolledAt),
    });
    // Replayed as it happened: each entry recorded a little after the event, by the nurse.
    for (const [index, { at, event }] of patient.history.entries()) {
      await recordEvent(
        db,
        {
          episodeId,
          event: { id: `${episodeId}-entry-${index + 1}`, ...event, occurredAt: iso(at) },
        },
        { actorId: nurseId, now: new Date(Math.min(at + rng.int(5, 90) * 60_000, now - 60_000)) },
      );
      events++;
    }
    events += await catchUp(db, episodeId, nurseId, now, rng);
    if ((n + 1) % 10 === 0) log(`Recorded ${n + 1} of ${count} patients (${events} events).`);
  }

  // What the worker would have done meanwhile: every status change whose time has come.
  let fired = 0;
  for (;;) {
    const due = await pendingFollowUpsBefore(db, new Date(now));
    if (due.length === 0) break;
    const outcomes = await fireFollowUps(
      db,
      due.slice(0, 500).map((f) => f.id),
      { now: new Date(now), emailReminders: false },
    );
    fired += [...outcomes.values()].filter((o) => o.kind === 'applied').length;
  }
  // The worker would have applied each of them at its time: record them so, or the queue health
  // page would report the seed's catch-up as weeks of lateness.
  await db.$executeRaw`
    UPDATE follow_ups SET settled_at = fire_at, lateness_ms = 0
    WHERE state = 'fired' AND settled_at >= ${new Date(now)}`;
  log(`Applied the status changes already due (${fired} reminders).`);
  if (options.markSeeded !== false) await markSeeded(db, { patients: count, events, fired });
  return { users, patients: count, events, remindersFired: fired };
}

const STAGES: readonly Stage[] = [
  'just-admitted',
  'acute',
  'weeks-4-12',
  'past-12-weeks',
  'denosumab-late',
];
const STAGE_WEIGHTS = [0.1, 0.3, 0.25, 0.3, 0.05];
const STAGE_LIMITS = STAGE_WEIGHTS.map((_, i) =>
  STAGE_WEIGHTS.slice(0, i + 1).reduce((a, b) => a + b, 0),
);

export interface DemoPatient {
  readonly episodeId: string;
  readonly enrolment: EnrolmentInput;
  readonly enrolledAt: number;
  /** What happened after enrolment, oldest first (occurredAt in ms). */
  readonly history: readonly PlannedEvent[];
}

/** Patient number n of the demo: where they are on the pathway and what was recorded. */
export function demoPatient(
  n: number,
  now: number,
  rng: Random,
  numbers: Iterator<string>,
  nurseId: string,
): DemoPatient {
  // The first patients cover every stage; the rest follow the weights.
  const r = rng.next();
  const stage: Stage = STAGES[n] ?? STAGES[STAGE_LIMITS.findIndex((limit) => r < limit)] ?? 'acute';
  const daysAgo = {
    'just-admitted': rng.int(0, 1),
    acute: rng.int(3, 40),
    'weeks-4-12': rng.int(42, 84),
    'past-12-weeks': rng.int(90, 420),
    'denosumab-late': rng.int(250, 280),
  }[stage];
  const today = new Date(now);
  const fracture =
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - daysAgo * DAY;
  const admitted = stage === 'just-admitted' || rng.chance(0.45);
  const todayStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const identified = Math.min(fracture + (admitted ? 0 : rng.int(1, 4) * DAY), todayStart);
  // Enrolled in working hours, never in the future.
  const enrolledAt = Math.min(identified + (admitted ? 15 : 10) * HOUR, now - 2 * HOUR);
  const age = rng.int(58, 92);
  const birth = Date.UTC(new Date(fracture).getUTCFullYear() - age, rng.int(0, 11), rng.int(1, 28));
  const levels = rng.pick([['T12'], ['L1'], ['T11', 'T12'], ['L2'], ['T8'], ['L1', 'L2'], ['T7']]);
  const episodeId = `demo-episode-${n + 1}`;
  const sex = rng.chance(0.75) ? 'female' : 'male';
  const enrolment: EnrolmentInput = {
    patient: {
      id: `demo-patient-${n + 1}`,
      identifier: { kind: 'nhs-number', value: numbers.next().value },
      dateOfBirth: isoDay(birth),
      sex,
    },
    demographics: { givenName: rng.pick(GIVEN[sex]), familyName: FAMILY[n % FAMILY.length] },
    episode: {
      id: episodeId,
      pathwayVersion: CURRENT_PATHWAY_VERSION,
      vertebralLevels: levels,
      fractureDate: isoDay(fracture),
      fractureDateEstimated: !admitted && rng.chance(0.3),
      identifiedOn: isoDay(identified),
      identification: admitted
        ? 'symptomatic-presentation'
        : rng.pick(['symptomatic-presentation', 'incidental-imaging']),
      careSetting: admitted
        ? { kind: 'admitted', admittedAt: iso(fracture + 14 * HOUR) }
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
    history: historyOf(stage, enrolledAt, fracture, now, rng),
  };
}

/**
 * A service keeps up with most of its work: steps left overdue for weeks are mostly recorded as
 * done (entered late, as happens), a few declined or not indicated; the rest stay overdue. A late
 * denosumab dose is left alone: the demo shows one.
 */
async function catchUp(
  db: Database,
  episodeId: string,
  nurseId: string,
  now: number,
  rng: Random,
): Promise<number> {
  const record = await loadEpisodeRecord(db, episodeId);
  if (!record) return 0;
  const plan = computePlan({ ...record, asOf: now });
  let recorded = 0;
  for (const step of plan.steps) {
    const overdueFrom = step.window ? Date.parse(step.window.transitions.overdue) : Number.NaN;
    if (step.status !== 'overdue' || !(overdueFrom < now - 21 * DAY)) continue;
    if (step.stepId.startsWith('denosumab') || !rng.chance(0.88)) continue;
    const due = Date.parse(step.window?.transitions.due ?? '');
    await recordEvent(
      db,
      {
        episodeId,
        event: {
          id: `${episodeId}-catch-up-${recorded + 1}`,
          type: 'step-completed',
          stepKey: step.key,
          outcome: rng.chance(0.9) ? 'done' : rng.pick(['declined', 'not-indicated']),
          occurredAt: iso(
            due + rng.int(0, Math.max(0, Math.floor((overdueFrom - due) / DAY))) * DAY,
          ),
        },
      },
      { actorId: nurseId, now: new Date(now - 30 * 60_000) },
    );
    recorded++;
  }
  return recorded;
}

/** A plausible record for a patient at this stage; some steps are left undone on purpose. */
function historyOf(
  stage: Stage,
  enrolledAt: number,
  fracture: number,
  now: number,
  rng: Random,
): PlannedEvent[] {
  const planned: PlannedEvent[] = [];
  const at = (day: number, hour = 10) => fracture + day * DAY + hour * HOUR;
  const add = (when: number, event: Record<string, unknown>) => {
    if (when > enrolledAt && when < now - HOUR) planned.push({ at: when, event });
  };
  // Pain settles over weeks for most, stays high for a few.
  let pain = rng.int(6, 9);
  const settles = rng.chance(0.8);
  const painAt = (day: number) => {
    pain = Math.max(1, Math.min(10, pain + (settles ? -rng.int(0, 2) : rng.int(-1, 1))));
    add(at(day, rng.int(9, 16)), {
      type: 'pain-assessment',
      nrsAtRest: Math.max(0, pain - 2),
      nrsOnActivity: pain,
      functionalLimitation: pain >= 7 ? 'severe' : pain >= 4 ? 'moderate' : 'mild',
      mobility: pain >= 8 ? 'with-help' : 'independent',
      onAnalgesia: true,
    });
  };
  const diligent = stage !== 'just-admitted' && rng.chance(0.75);

  painAt(0.5);
  if (stage === 'just-admitted') return sorted(planned);
  if (rng.chance(0.85)) painAt(2);
  add(at(1, 11), { type: 'step-completed', stepKey: 'self-management-advice', outcome: 'done' });
  for (const day of [7, 14, 21, 35, 56, 84]) if (rng.chance(0.6)) painAt(day);
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
  if (rng.chance(0.75)) {
    add(at(rng.int(110, 118), 14), {
      type: 'follow-up-contact',
      mode: rng.pick(['telephone', 'face-to-face', 'video']),
      treatmentStatus: 'started',
      takingAsPrescribed: rng.chance(0.85),
      fallsReferralActioned: 'not-applicable',
    });
  }
  if (rng.chance(0.7)) {
    add(at(rng.int(362, 368), 14), {
      type: 'follow-up-contact',
      mode: 'telephone',
      treatmentStatus: 'started',
      takingAsPrescribed: rng.chance(0.8),
    });
  }
  // Denosumab is every 6 months; the late patient's second dose has not been given.
  if (onTherapy && drug === 'denosumab' && stage !== 'denosumab-late') {
    for (let dose = 1; dose <= 2; dose++)
      add(started + dose * 182 * DAY, { type: 'bone-therapy-dose', drug });
  }
  return sorted(planned);
}

const sorted = (events: PlannedEvent[]) => events.sort((a, b) => a.at - b.at);
