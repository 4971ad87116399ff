import type { TimedEvent } from '../inputs/history.js';
import type { ClinicalEvent, EventOf } from '../inputs/schemas.js';
import type { EpochMs, LocalDate, ServiceCalendar } from '../time/calendar.js';
import type {
  Condition,
  FactTest,
  PathwayDefinition,
  RecordedValueKind,
  Scalar,
} from './definition.js';
import { DRUGS } from './drugs.js';
import { phaseOf } from './phases.js';

export type PainBand = 'mild' | 'moderate' | 'severe';
export type StepStatus =
  | 'upcoming'
  | 'open'
  | 'due'
  | 'overdue'
  | 'completed'
  | 'not-applicable'
  | 'cancelled';

/** The episode as it stands after every finding recorded so far. */
export interface EpisodeState {
  readonly fractureDate: LocalDate;
  readonly careSetting: 'community' | 'admitted';
  readonly admittedAt: EpochMs | undefined;
  readonly neurologicalDeficit: boolean;
  readonly suspectedMalignancy: boolean;
  readonly multipleColumnInvolvement: boolean;
  readonly mriOedema: 'present' | 'absent' | 'not-imaged';
  readonly boneTherapyStarted: boolean;
  /**
   * The fracture happened while the patient was taking bone therapy they had been on for at
   * least the version's minimum time on treatment (PathwayDefinition.priorTherapy).
   */
  readonly fractureOnTreatment: boolean;
  /** Whole years of age on the date of fracture. */
  readonly ageAtFracture: number;
}

/** What is true as of the plan's instant; recommendations read these. */
export interface CurrentState {
  readonly daysSinceFracture: number;
  readonly latestPain: TimedEvent<EventOf<'pain-assessment'>> | undefined;
  readonly latestPsychologicalScreen: TimedEvent<EventOf<'psychological-screen'>> | undefined;
  readonly latestFractureRisk: TimedEvent<EventOf<'fracture-risk-assessment'>> | undefined;
  readonly latestFollowUp: TimedEvent<EventOf<'follow-up-contact'>> | undefined;
  readonly closed: boolean;
  readonly runningDrugClasses: ReadonlySet<string>;
  readonly stoppedDenosumab: boolean;
}

export interface FactContext {
  readonly calendar: ServiceCalendar;
  readonly painBands: { readonly mildMax: number; readonly moderateMax: number };
  /** The pathway version's phases: conditions name a phase instead of repeating its day limits. */
  readonly phases: PathwayDefinition['phases'];
  readonly episode: EpisodeState;
  readonly event?: TimedEvent;
  readonly current?: CurrentState;
  readonly stepStatuses?: (stepId: string) => ReadonlySet<StepStatus>;
}

type FactScope = 'episode' | 'event' | 'current';
interface FactSpec {
  readonly scope: FactScope;
  /** Reads naturally after "when": "care setting", "worst pain score (NRS)". */
  readonly label: string;
  /** For current facts read from the latest entry of a kind: which, so the plan can date it. */
  readonly recorded?: RecordedValueKind;
  read(context: FactContext, test: FactTest): Scalar | readonly Scalar[] | undefined;
}

export function painBand(worstNrs: number, bands: FactContext['painBands']): PainBand {
  if (worstNrs <= bands.mildMax) return 'mild';
  if (worstNrs <= bands.moderateMax) return 'moderate';
  return 'severe';
}

/** The worse of pain at rest and pain on activity: the table's bands apply to either. */
export function worstNrs(pain: EventOf<'pain-assessment'>): number {
  return Math.max(pain.nrsAtRest, pain.nrsOnActivity);
}

function eventOf<T extends ClinicalEvent['type']>(
  context: FactContext,
  type: T,
): EventOf<T> | undefined {
  const event = context.event?.event;
  return event?.type === type ? (event as EventOf<T>) : undefined;
}

const FACT_SPECS = {
  // Episode: the fracture and its findings as they now stand.
  careSetting: { scope: 'episode', label: 'care setting', read: (c) => c.episode.careSetting },
  neurologicalDeficit: {
    scope: 'episode',
    label: 'neurological deficit recorded',
    read: (c) => c.episode.neurologicalDeficit,
  },
  suspectedMalignancy: {
    scope: 'episode',
    label: 'malignancy suspected',
    read: (c) => c.episode.suspectedMalignancy,
  },
  multipleColumnInvolvement: {
    scope: 'episode',
    label: 'more than the anterior column involved',
    read: (c) => c.episode.multipleColumnInvolvement,
  },
  redFlag: {
    scope: 'episode',
    label: 'a red flag is recorded',
    read: (c) =>
      c.episode.neurologicalDeficit ||
      c.episode.suspectedMalignancy ||
      c.episode.multipleColumnInvolvement,
  },
  mriOedema: {
    scope: 'episode',
    label: 'vertebral body oedema on MRI',
    read: (c) => c.episode.mriOedema,
  },
  ageAtFracture: {
    scope: 'episode',
    label: 'age at fracture (years)',
    read: (c) => c.episode.ageAtFracture,
  },
  boneTherapyStarted: {
    scope: 'episode',
    label: 'bone therapy has been started',
    read: (c) => c.episode.boneTherapyStarted,
  },
  fractureOnTreatment: {
    scope: 'episode',
    label:
      'fracture while taking bone therapy for at least the minimum time on treatment (prior bone therapy)',
    read: (c) => c.episode.fractureOnTreatment,
  },

  // Event: the recorded event being matched by a trigger or a completion rule.
  painBand: {
    scope: 'event',
    label: 'pain band of the assessment (worse of rest and activity)',
    read: (c) => {
      const pain = eventOf(c, 'pain-assessment');
      return pain && painBand(worstNrs(pain), c.painBands);
    },
  },
  worstNrs: {
    scope: 'event',
    label: 'worst pain score of the assessment (NRS, rest or activity)',
    read: (c) => {
      const pain = eventOf(c, 'pain-assessment');
      return pain && worstNrs(pain);
    },
  },
  functionalLimitation: {
    scope: 'event',
    label: 'functional limitation',
    read: (c) => eventOf(c, 'pain-assessment')?.functionalLimitation,
  },
  mobility: {
    scope: 'event',
    label: 'mobility',
    read: (c) => eventOf(c, 'pain-assessment')?.mobility,
  },
  onAnalgesia: {
    scope: 'event',
    label: 'analgesia already started',
    read: (c) => eventOf(c, 'pain-assessment')?.onAnalgesia,
  },
  selfCareDifficulty: {
    scope: 'event',
    label: 'difficulty with dressing or self-care',
    read: (c) => eventOf(c, 'pain-assessment')?.selfCareDifficulty,
  },
  daysAfterFracture: {
    scope: 'event',
    label: 'days from fracture to the event',
    read: (c) =>
      c.event &&
      c.calendar.daysBetween(c.episode.fractureDate, c.calendar.localDate(c.event.occurredAt)),
  },
  phaseAtEvent: {
    scope: 'event',
    label: 'phase of recovery when the event happened',
    read: (c) =>
      c.event &&
      phaseOf(
        c.phases,
        c.calendar.daysBetween(c.episode.fractureDate, c.calendar.localDate(c.event.occurredAt)),
      ),
  },
  hoursAfterAdmission: {
    scope: 'event',
    label: 'hours from admission to the event',
    read: (c) =>
      c.event && c.episode.admittedAt !== undefined
        ? (c.event.occurredAt - c.episode.admittedAt) / 3_600_000
        : undefined,
  },
  fallsRiskIndicated: {
    scope: 'event',
    label: 'at risk of falls or a history of falls',
    read: (c) => {
      const falls = eventOf(c, 'falls-risk-assessment');
      return (
        falls &&
        (falls.result === 'at-risk' || falls.fallsInLastYear > 0 || falls.presentedWithFall)
      );
    },
  },
  referralType: {
    scope: 'event',
    label: 'referral made',
    read: (c) => eventOf(c, 'referral')?.referralType,
  },
  startsAntiresorptive: {
    scope: 'event',
    label: 'starts an antiresorptive drug',
    read: (c) => {
      const started = eventOf(c, 'bone-therapy-started');
      return started && DRUGS[started.drug].antiresorptive;
    },
  },

  // Current: what holds at the plan's instant.
  daysSinceFracture: {
    scope: 'current',
    label: 'days since the fracture',
    read: (c) => c.current?.daysSinceFracture,
  },
  phase: {
    scope: 'current',
    label: 'phase of recovery',
    read: (c) => c.current && phaseOf(c.phases, c.current.daysSinceFracture),
  },
  latestPainPhase: {
    scope: 'current',
    recorded: 'pain-assessment',
    label: 'phase of recovery at the latest pain assessment',
    read: (c) => {
      const latest = c.current?.latestPain;
      return (
        latest &&
        phaseOf(
          c.phases,
          c.calendar.daysBetween(c.episode.fractureDate, c.calendar.localDate(latest.occurredAt)),
        )
      );
    },
  },
  latestPainBand: {
    scope: 'current',
    recorded: 'pain-assessment',
    label: 'latest pain band',
    read: (c) => {
      const latest = c.current?.latestPain?.event;
      return latest && painBand(worstNrs(latest), c.painBands);
    },
  },
  latestPainDaysAfterFracture: {
    scope: 'current',
    recorded: 'pain-assessment',
    label: 'days from fracture to the latest pain assessment',
    read: (c) => {
      const latest = c.current?.latestPain;
      return (
        latest &&
        c.calendar.daysBetween(c.episode.fractureDate, c.calendar.localDate(latest.occurredAt))
      );
    },
  },
  anxietyOrLowMood: {
    scope: 'current',
    recorded: 'psychological-screen',
    label: 'anxiety or low mood on the latest screen',
    read: (c) => c.current?.latestPsychologicalScreen?.event.anxietyOrLowMood,
  },
  painCatastrophising: {
    scope: 'current',
    recorded: 'psychological-screen',
    label: 'pain catastrophising on the latest screen',
    read: (c) => c.current?.latestPsychologicalScreen?.event.painCatastrophising,
  },
  fearOfFalling: {
    scope: 'current',
    recorded: 'psychological-screen',
    label: 'fear of falling on the latest screen',
    read: (c) => c.current?.latestPsychologicalScreen?.event.fearOfFalling,
  },
  fractureRiskCategory: {
    scope: 'current',
    recorded: 'fracture-risk-assessment',
    label: 'latest fracture-risk category',
    read: (c) => c.current?.latestFractureRisk?.event.category,
  },
  followUpTreatmentStatus: {
    scope: 'current',
    recorded: 'follow-up-contact',
    label: 'bone therapy at the latest follow-up contact',
    read: (c) => c.current?.latestFollowUp?.event.treatmentStatus,
  },
  followUpTakingAsPrescribed: {
    scope: 'current',
    recorded: 'follow-up-contact',
    label: 'taking bone therapy as prescribed at the latest follow-up contact',
    read: (c) => c.current?.latestFollowUp?.event.takingAsPrescribed,
  },
  followUpFallsReferralActioned: {
    scope: 'current',
    recorded: 'follow-up-contact',
    label: 'falls referral actioned at the latest follow-up contact',
    read: (c) => c.current?.latestFollowUp?.event.fallsReferralActioned,
  },
  runningDrugClass: {
    scope: 'current',
    label: 'bone therapy class currently running',
    read: (c) => (c.current ? [...c.current.runningDrugClasses] : undefined),
  },
  stoppedDenosumab: {
    scope: 'current',
    label: 'denosumab has been stopped',
    read: (c) => c.current?.stoppedDenosumab,
  },
  closed: { scope: 'current', label: 'episode closed', read: (c) => c.current?.closed },
  stepStatus: {
    scope: 'current',
    label: 'status of step',
    read: (c, test) => (test.step && c.stepStatuses ? [...c.stepStatuses(test.step)] : undefined),
  },
} satisfies Record<string, FactSpec>;

export type FactName = keyof typeof FACT_SPECS;
export const FACTS: Readonly<Record<FactName, FactSpec>> = FACT_SPECS;

function isFactTest(condition: Condition): condition is FactTest {
  return 'fact' in condition;
}

function compare(value: Scalar, test: FactTest): boolean {
  if (test.eq !== undefined && value !== test.eq) return false;
  if (test.in !== undefined && !test.in.includes(value)) return false;
  if (typeof value === 'number') {
    if (test.gt !== undefined && !(value > test.gt)) return false;
    if (test.gte !== undefined && !(value >= test.gte)) return false;
    if (test.lt !== undefined && !(value < test.lt)) return false;
    if (test.lte !== undefined && !(value <= test.lte)) return false;
  } else if (
    test.gt !== undefined ||
    test.gte !== undefined ||
    test.lt !== undefined ||
    test.lte !== undefined
  ) {
    return false;
  }
  return true;
}

/** The latest entry of a recorded kind as of the plan's instant. */
export function latestRecorded(
  current: CurrentState,
  kind: RecordedValueKind,
): TimedEvent | undefined {
  switch (kind) {
    case 'pain-assessment':
      return current.latestPain;
    case 'psychological-screen':
      return current.latestPsychologicalScreen;
    case 'fracture-risk-assessment':
      return current.latestFractureRisk;
    case 'follow-up-contact':
      return current.latestFollowUp;
  }
}

/** The recorded values a condition reads, in the order it first names them. */
export function recordedValuesOf(condition: Condition): RecordedValueKind[] {
  const found: RecordedValueKind[] = [];
  const walk = (c: Condition) => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else {
      const kind = FACTS[c.fact].recorded;
      if (kind && !found.includes(kind)) found.push(kind);
    }
  };
  walk(condition);
  return found;
}

/** Evaluates a condition. A fact with no value (no such event yet) makes its test false. */
export function evaluate(condition: Condition, context: FactContext): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, context));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, context));
  if ('not' in condition) return !evaluate(condition.not, context);
  const value = FACTS[condition.fact].read(context, condition);
  if (value === undefined) return false;
  // A list-valued fact (running drug classes, step statuses) passes when any member passes.
  if (Array.isArray(value)) return value.some((v: Scalar) => compare(v, condition));
  return compare(value as Scalar, condition);
}

const yesNo = (value: Scalar) =>
  typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);

function describeTest(test: FactTest, context: FactContext | undefined): string {
  const fact = FACTS[test.fact];
  const label = test.step ? `${fact.label} "${test.step}"` : fact.label;
  const expected: string[] = [];
  if (test.eq !== undefined) expected.push(yesNo(test.eq));
  if (test.in !== undefined) expected.push(test.in.map(yesNo).join(' or '));
  if (test.gt !== undefined) expected.push(`> ${test.gt}`);
  if (test.gte !== undefined) expected.push(`>= ${test.gte}`);
  if (test.lt !== undefined) expected.push(`< ${test.lt}`);
  if (test.lte !== undefined) expected.push(`<= ${test.lte}`);
  const text = `${label}${typeof test.eq === 'boolean' ? ':' : ' is'} ${expected.join(' and ')}`;
  if (!context) return text;
  const value = fact.read(context, test);
  const shown =
    value === undefined
      ? 'not recorded'
      : Array.isArray(value)
        ? value.map(yesNo).join(', ') || 'none'
        : yesNo(value as Scalar);
  return `${text} (here: ${shown})`;
}

/**
 * The condition in words: for documents without a context, and for a plan's reasons with one,
 * when each test also shows the value that decided it ("care setting is admitted (here: community)").
 */
export function describeCondition(condition: Condition, context?: FactContext): string {
  if (isFactTest(condition)) return describeTest(condition, context);
  if ('all' in condition)
    return condition.all.map((c) => describeNested(c, context)).join('; and ');
  if ('any' in condition) return condition.any.map((c) => describeNested(c, context)).join('; or ');
  return `not (${describeCondition(condition.not, context)})`;
}

function describeNested(condition: Condition, context: FactContext | undefined): string {
  const text = describeCondition(condition, context);
  return isFactTest(condition) || 'not' in condition ? text : `(${text})`;
}
