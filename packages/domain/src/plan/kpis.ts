import { parseInstant } from '../inputs/errors.js';
import { effectiveHistory, timed } from '../inputs/history.js';
import type { ClinicalEvent, EventOf, EventType } from '../inputs/schemas.js';
import type { PathwayDefinition, StepDefinition } from '../pathway/definition.js';
import type { StepStatus } from '../pathway/facts.js';
import { type PathwayRegistry, PUBLISHED_PATHWAYS } from '../pathway/registry.js';
import type { SourceRef } from '../pathway/sources.js';
import type { LocalDate, ServiceCalendar } from '../time/calendar.js';
import {
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettings,
  serviceCalendar,
} from '../time/settings.js';
import type { PlanCompletion, PlanWindow } from './types.js';

/**
 * Fracture liaison service key performance indicators, measured per episode from its plan (the
 * steps that carry a `kpi` in the pathway definition, with their windows and completions) and
 * from the few recorded events a measure needs beyond that (follow-up contacts, therapy starts).
 * They are the FLS-DB audit measures (Royal College of Physicians' Fracture Liaison Service
 * Database) that apply to a vertebral fracture service; each definition names its FLS-DB KPI.
 *
 * Every episode is measured under its own pathway version (episode.pathwayVersion): the steps a
 * measure reads, its wording and its sources come from that version's definition, never from
 * the current one, so publishing a version does not change how older episodes count.
 *
 * A measure's result depends on the date only through "pending": an outcome that is pending
 * carries `until`, the last day it can still be met, and is not met from the next day unless a
 * write changes it. So the outcomes of an episode can be stored when it is written
 * (episodeKpiRecord) and read on any later day (resolveKpiOutcome) without recomputing.
 * Change KPI_LOGIC_VERSION with any change to how an episode counts: stored results of an older
 * logic are rebuilt at deploy.
 *
 * The pathway's steps decide what is due and by when; this module only decides how one episode
 * counts towards each measure. Where the guidance does not define a denominator, the choice made
 * is written in the measure's `counted` and `notCounted` text, which the dashboard shows.
 *
 * Rules shared by every step-based measure:
 * - met: the step was done on or before the last day of its window (its due date);
 * - "not indicated" recorded for the step: not counted (the guidance allows it, e.g. DXA in the
 *   very frail);
 * - "declined by the patient": counted as not met, unless the measure says otherwise;
 * - not done yet and its due date not passed: pending (not counted yet);
 * - episode closed before the due date without the step done: not counted when the patient died
 *   or was transferred (the service could no longer act), counted as not met when discharged.
 */
export const KPI_IDS = [
  'fracture-risk-assessment',
  'dxa',
  'falls-assessment',
  'bone-therapy-recommended',
  'strength-balance-16-weeks',
  'follow-up-16-weeks',
  'treatment-started-by-follow-up',
  'adherence-52-weeks',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

/**
 * Bump with any change to how an episode counts towards a measure or a completeness field:
 * stored per-episode results carry the version they were computed with, and the database
 * rebuilds those of an older version (packages/database rebuildEpisodeKpis, run at deploy).
 */
export const KPI_LOGIC_VERSION = 2;

/** Where a measure comes from in the FLS-DB audit (RCP Fracture Liaison Service Database). */
export interface FlsDbMeasure {
  /** "KPI 8". */
  readonly kpi: string;
  readonly name: string;
  /** What FLS-DB measures, in our words, and how this service's measure relates to it. */
  readonly explanation: string;
}

export const FLS_DB_SOURCE = {
  title:
    'Royal College of Physicians, Falls and Fragility Fracture Audit Programme: Fracture Liaison Service Database (FLS-DB) key performance indicators',
  url: 'https://www.rcplondon.ac.uk/projects/outputs/fls-db-improvement-repository',
} as const;

export interface KpiDefinition {
  readonly id: KpiId;
  /** The pathway version this wording and these steps come from. */
  readonly pathwayVersion: string;
  readonly title: string;
  /** The pathway step the measure is read from. */
  readonly stepId: string;
  /** What counts as met (the numerator). */
  readonly met: string;
  /** Which episodes are counted (the denominator). */
  readonly counted: string;
  /** Which are left out, and why. */
  readonly notCounted: string;
  readonly sources: readonly SourceRef[];
  /** The FLS-DB audit measure this is. */
  readonly flsDb: FlsDbMeasure;
}

export type KpiResult = 'met' | 'not-met' | 'pending' | 'excluded';

export interface KpiOutcome {
  readonly kpi: KpiId;
  readonly result: KpiResult;
  /** Why, in words ("done on 2026-03-02, after the due date 2026-02-28"). */
  readonly reason: string;
  /**
   * For a pending result: the last day it can still be met. From the next day it is not met,
   * unless something is recorded. Absent: pending until something is recorded.
   */
  readonly until?: LocalDate;
}

/** A plan step as the measures need it (a stored plan-step row carries exactly this). */
export interface KpiStep {
  readonly stepId: string;
  readonly status: StepStatus;
  readonly window: Pick<PlanWindow, 'granularity' | 'due'> | undefined;
  readonly completion: Pick<PlanCompletion, 'eventId' | 'eventType' | 'at' | 'outcome'> | undefined;
}

export interface EpisodeKpiInput {
  /** The pathway version the episode is planned under (episode.pathwayVersion). */
  readonly pathwayVersion: string;
  /** The episode's plan steps; only the KPI steps are read. */
  readonly steps: readonly KpiStep[];
  /**
   * The episode's recorded events. Only the types in KPI_EVENT_TYPES are read, so a caller may
   * pass just those (with their corrections and the retractions, which decide what counts).
   */
  readonly events: readonly ClinicalEvent[];
  readonly closure: { readonly reason: string; readonly at: string } | undefined;
  /** The instant the measures are taken at: what is not yet due is pending. */
  readonly asOf: string | number;
  readonly settings?: ServiceSettings;
  /** Where pathway versions are looked up; the published versions unless a test says otherwise. */
  readonly pathways?: PathwayRegistry;
  /** The patient's identifier kind, for the NHS number completeness field (not read otherwise). */
  readonly identifierKind?: 'nhs-number' | 'mrn';
}

/** The event types the measures read besides the plan (plus retractions, which withdraw them). */
export const KPI_EVENT_TYPES: readonly EventType[] = [
  'follow-up-contact',
  'bone-therapy-started',
  'prior-bone-therapy',
  'treatment-review',
  'retraction',
];

// --- Definitions -----------------------------------------------------------------------------

const ROS_TREATMENT_TAKEN: SourceRef = {
  document: 'ros2022',
  section: 'Appendix B: Secondary fracture prevention',
  quote: 'Treatment has been started and taken appropriately.',
};

function stepIn(pathway: PathwayDefinition, stepId: string): StepDefinition {
  const step = pathway.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`KPI step "${stepId}" is not in pathway ${pathway.version}`);
  return step;
}

/** The step's sources and the source of its timing (the FLS audit standard). */
function sourcesOf(step: StepDefinition): SourceRef[] {
  const timingSource = step.window.timing.source;
  return timingSource && !step.sources.includes(timingSource)
    ? [...step.sources, timingSource]
    : [...step.sources];
}

/** "90 days", "16 weeks": the step's due offset, read from its definition. */
function dueOffset(step: StepDefinition): string {
  const due = step.window.due as Record<string, number | undefined>;
  const parts = Object.entries(due)
    .filter(([, value]) => value)
    .map(([unit, value]) => `${value} ${value === 1 ? unit.replace(/s$/, '') : unit}`);
  return parts.join(' ') || 'the same day';
}

const ALREADY_TREATED_RULE =
  'A patient already treated correctly (taking bone therapy at the fracture, as prescribed as they report it, and not found otherwise at a treatment review since) counts as met, as already treated: not as a new start.';

const CLOSED_RULE =
  'Episodes closed before the due date without it are not counted when the patient died or was transferred, and count as not met when discharged.';

function buildDefinitions(pathway: PathwayDefinition): readonly KpiDefinition[] {
  const stepOf = (stepId: string) => stepIn(pathway, stepId);
  const within = (stepId: string) => dueOffset(stepOf(stepId));
  const pathwayVersion = pathway.version;
  const stepMeasure = (
    id: KpiId,
    stepId: string,
    text: { met: string; counted: string; notCounted: string; flsDb: FlsDbMeasure },
  ): KpiDefinition => {
    const step = stepOf(stepId);
    if (!step.kpi) throw new Error(`Step "${stepId}" names no KPI in pathway ${pathwayVersion}`);
    return { id, pathwayVersion, title: step.kpi, stepId, ...text, sources: sourcesOf(step) };
  };
  return [
    stepMeasure('fracture-risk-assessment', 'fracture-risk-assessment', {
      met: `A fracture risk assessment (FRAX or QFracture) recorded within ${within('fracture-risk-assessment')} of the fracture.`,
      counted: 'Every episode.',
      notCounted: `Episodes still within the ${within('fracture-risk-assessment')} are pending. "Not indicated" recorded for the step is not counted; declined counts as not met. ${CLOSED_RULE}`,
      flsDb: {
        kpi: 'KPI 4',
        name: 'Time to FLS assessment',
        explanation:
          'FLS-DB counts the patients assessed by the FLS within 90 days of the fracture. Here the fracture risk assessment (FRAX or QFracture) is the record of that assessment.',
      },
    }),
    stepMeasure('dxa', 'dxa-scan', {
      met: `A DXA result recorded within ${within('dxa-scan')} of the fracture.`,
      counted: 'Every episode where DXA is indicated.',
      notCounted: `DXA recorded as not indicated (the guidance: not where it would not change management, e.g. the very frail) is not counted. Episodes still within the ${within('dxa-scan')} are pending; declined counts as not met. ${CLOSED_RULE}`,
      flsDb: {
        kpi: 'KPI 5',
        name: 'Time to DXA',
        explanation:
          'FLS-DB counts, of the patients for whom DXA was ordered or recommended, those scanned within 90 days of the fracture.',
      },
    }),
    stepMeasure('falls-assessment', 'falls-risk-assessment', {
      met: `A falls risk assessment recorded within ${within('falls-risk-assessment')} of the fracture (the step's window).`,
      counted:
        'Every episode, whatever the age: the key practice points ask for a falls assessment in every patient with a vertebral fracture, although the FLS standard names people aged 65 or over.',
      notCounted: `Episodes still within the ${within('falls-risk-assessment')} are pending. "Not indicated" is not counted; declined counts as not met. ${CLOSED_RULE}`,
      flsDb: {
        kpi: 'KPI 6',
        name: 'Falls assessment',
        explanation:
          'FLS-DB counts the patients who had a falls assessment or were referred or recommended for one. Here the falls risk assessment recorded by the FLS is counted.',
      },
    }),
    stepMeasure('bone-therapy-recommended', 'bone-therapy-decision', {
      met: `Bone therapy recommended (recorded as done) or started within ${within('bone-therapy-decision')} of the fracture, or the therapy the patient was already taking reviewed (continue or change) by then. A recommendation the patient declined counts as met: it was made. ${ALREADY_TREATED_RULE}`,
      counted: 'Every episode where bone therapy is indicated.',
      notCounted: `Bone therapy recorded as not indicated, or stopped at a treatment review, is not counted. Episodes still within the ${within('bone-therapy-decision')} are pending. ${CLOSED_RULE}`,
      flsDb: {
        kpi: 'KPI 7',
        name: 'Bone therapy recommended',
        explanation:
          'FLS-DB counts the patients who were recommended anti-osteoporosis medication.',
      },
    }),
    {
      id: 'strength-balance-16-weeks',
      pathwayVersion,
      title: 'Strength and balance training by 16 weeks',
      stepId: 'exercise-programme-referral',
      met: `A referral to an individualised exercise programme (the pathway's step "${stepOf('exercise-programme-referral').title}", recorded as done) on or before the date 16 weeks after the fracture, the due date of the 16-week follow-up.`,
      counted:
        'Episodes on the conservative pathway, where the exercise programme referral applies. Every patient here has a vertebral fracture, a non-hip fracture in FLS-DB terms.',
      notCounted: `Episodes where the step does not apply (red-flag and specialist-care branches) or was recorded as not indicated are not counted; declined counts as not met. Episodes before 16 weeks are pending. ${CLOSED_RULE}`,
      sources: sourcesOf(stepOf('exercise-programme-referral')),
      flsDb: {
        kpi: 'KPI 8',
        name: 'Strength and balance training',
        explanation:
          'FLS-DB counts the non-hip fracture patients who started strength and balance training within 16 weeks of the fracture. This service records the referral to an individualised exercise programme (targeting back extensor endurance, balance and function, graduated to progressive balance and strength training), not the first session, so the referral by week 16 is the evidence counted here.',
      },
    },
    stepMeasure('follow-up-16-weeks', 'fls-follow-up-16-weeks', {
      met: `An FLS follow-up contact in the step's window (from week 12) and by ${within('fls-follow-up-16-weeks')} after the fracture.`,
      counted: 'Every episode.',
      notCounted: `Episodes before the ${within('fls-follow-up-16-weeks')} are pending. "Not indicated" is not counted; declined counts as not met. ${CLOSED_RULE}`,
      flsDb: {
        kpi: 'KPI 9',
        name: 'Monitoring contact 12 to 16 weeks',
        explanation:
          'FLS-DB counts the patients contacted by the FLS 12 to 16 weeks after the fracture.',
      },
    }),
    {
      id: 'treatment-started-by-follow-up',
      pathwayVersion,
      title: 'Treatment started by first follow-up',
      stepId: 'fls-follow-up-16-weeks',
      met: `Bone therapy started on or before the first FLS follow-up contact (the contact that completed the 16-week follow-up step), by a recorded start or as the contact reported. ${ALREADY_TREATED_RULE}`,
      counted:
        'Episodes with a first follow-up contact for whom bone therapy had been recommended by then (recorded as recommended, declined, or reported as "not started" at the contact).',
      notCounted:
        'Episodes without a follow-up contact yet are pending; closed before it, not counted. Bone therapy not indicated or reported "not recommended" is not counted, nor is an episode with no recommendation recorded by the contact.',
      sources: [...sourcesOf(stepOf('fls-follow-up-16-weeks')), ROS_TREATMENT_TAKEN],
      flsDb: {
        kpi: 'KPI 10',
        name: 'Commenced bone therapy by 16 weeks',
        explanation:
          'FLS-DB counts, of the patients recommended bone therapy, those who had started it by 16 weeks after the fracture, as found at the monitoring contact. Here the first follow-up contact is that point.',
      },
    },
    stepMeasure('adherence-52-weeks', 'fls-adherence-52-weeks', {
      met: `At the adherence check (from week 48, by ${within('fls-adherence-52-weeks')} after the fracture) the patient was taking bone therapy as prescribed.`,
      counted:
        'Episodes where bone therapy was started (the step applies only then). A check not made by the due date, or made without recording adherence, counts as not met: adherence was not confirmed.',
      notCounted: `Episodes without bone therapy are not counted; those before ${within('fls-adherence-52-weeks')} are pending. ${CLOSED_RULE}`,
      flsDb: {
        kpi: 'KPI 11',
        name: 'Adherence at 52 weeks',
        explanation:
          'FLS-DB counts, of the patients who started bone therapy, those still taking it as prescribed 52 weeks after the fracture.',
      },
    }),
  ];
}

const definitionsByPathway = new WeakMap<PathwayDefinition, readonly KpiDefinition[]>();

/** The measures as one pathway definition words them (built once per definition). */
export function kpiDefinitionsOf(pathway: PathwayDefinition): readonly KpiDefinition[] {
  let definitions = definitionsByPathway.get(pathway);
  if (!definitions) {
    definitions = buildDefinitions(pathway);
    definitionsByPathway.set(pathway, definitions);
  }
  return definitions;
}

/** The measures of one pathway version, in the order of KPI_IDS. */
export function kpiDefinitions(
  pathwayVersion: string,
  pathways: PathwayRegistry = PUBLISHED_PATHWAYS,
): readonly KpiDefinition[] {
  const pathway = pathways.find(pathwayVersion);
  if (!pathway) {
    throw new Error(
      `KPIs: pathway version "${pathwayVersion}" is not published (known: ${pathways.versions().join(', ')})`,
    );
  }
  return kpiDefinitionsOf(pathway);
}

/** The plan steps the measures and completeness fields read, under any of the given versions. */
export function kpiStepIds(pathways: PathwayRegistry = PUBLISHED_PATHWAYS): string[] {
  const ids = new Set<string>(['bone-therapy-decision', 'fls-follow-up-16-weeks']);
  for (const version of pathways.versions()) {
    for (const definition of kpiDefinitions(version, pathways)) ids.add(definition.stepId);
  }
  for (const field of KPI_FIELDS) if (field.stepId) ids.add(field.stepId);
  return [...ids];
}

// --- Data completeness fields ----------------------------------------------------------------

/**
 * The fields FLS-DB's data completeness measure (KPI 1) is counted over: the items the measures
 * above are computed from, plus the NHS number. FLS-DB's own dataset has more fields (17 in its
 * 2017 report); these are the ones this service records. A field is missing for an episode when
 * nothing was recorded for it by its due date (any outcome, even declined or not indicated, or a
 * late entry, counts as recorded); episodes not yet due, or where it does not apply, are not
 * counted for that field.
 */
export const KPI_FIELD_IDS = [
  'nhs-number',
  'fracture-risk-assessment',
  'dxa',
  'falls-assessment',
  'bone-therapy-decision',
  'exercise-programme',
  'follow-up-16-weeks',
  'treatment-status-at-follow-up',
  'adherence-52-weeks',
] as const;
export type KpiFieldId = (typeof KPI_FIELD_IDS)[number];

export interface KpiFieldDefinition {
  readonly id: KpiFieldId;
  readonly title: string;
  /** The plan step the field is read from, if any. */
  readonly stepId?: string;
  /** When the field counts as recorded. */
  readonly recorded: string;
}

export const KPI_FIELDS: readonly KpiFieldDefinition[] = [
  {
    id: 'nhs-number',
    title: 'NHS number',
    recorded: 'The patient is identified by NHS number (not only a local MRN).',
  },
  {
    id: 'fracture-risk-assessment',
    title: 'Fracture risk assessment',
    stepId: 'fracture-risk-assessment',
    recorded: 'A FRAX or QFracture result, or an outcome for the step, by its due date.',
  },
  {
    id: 'dxa',
    title: 'DXA',
    stepId: 'dxa-scan',
    recorded: 'A DXA result, or an outcome for the step (e.g. not indicated), by its due date.',
  },
  {
    id: 'falls-assessment',
    title: 'Falls assessment',
    stepId: 'falls-risk-assessment',
    recorded: 'A falls risk assessment, or an outcome for the step, by its due date.',
  },
  {
    id: 'bone-therapy-decision',
    title: 'Bone therapy recommendation',
    stepId: 'bone-therapy-decision',
    recorded: 'A therapy start or a recorded recommendation outcome, by its due date.',
  },
  {
    id: 'exercise-programme',
    title: 'Exercise programme referral',
    stepId: 'exercise-programme-referral',
    recorded: 'A referral to an individualised exercise programme, or an outcome for the step.',
  },
  {
    id: 'follow-up-16-weeks',
    title: 'Follow-up contact (12 to 16 weeks)',
    stepId: 'fls-follow-up-16-weeks',
    recorded: 'A follow-up contact in the window, or an outcome for the step, by week 16.',
  },
  {
    id: 'treatment-status-at-follow-up',
    title: 'Treatment status at follow-up',
    recorded:
      'At the first follow-up contact, whether bone therapy had started (the contact says, or a start is recorded by then). Only episodes with that contact are counted.',
  },
  {
    id: 'adherence-52-weeks',
    title: 'Adherence at 52 weeks',
    stepId: 'fls-adherence-52-weeks',
    recorded:
      'Whether the patient takes bone therapy as prescribed, recorded at the 52-week check (or an outcome for the step), by week 52.',
  },
];

export interface KpiFieldOutcome {
  readonly field: KpiFieldId;
  /** met = recorded, not-met = missing, pending = not yet due, excluded = not expected. */
  readonly result: KpiResult;
  readonly until?: LocalDate;
}

/** FLS-DB KPI 1: good data completeness is fewer than five fields with more than 20% missing. */
export const COMPLETENESS_RULE = {
  missingAbovePercent: 20,
  fewerThanFields: 5,
  flsDb: {
    kpi: 'KPI 1',
    name: 'Data completeness',
    explanation:
      'FLS-DB counts a service as having a good level of data completeness when fewer than five fields have more than 20% of their data missing. Here the rule is applied to the fields listed, over the episodes with a fracture date in the period.',
  } satisfies FlsDbMeasure,
} as const;

/** FLS-DB KPI 2: identification against the service's own estimate of its yearly caseload. */
export const IDENTIFICATION_MEASURE = {
  title: 'Identification against the estimated caseload',
  flsDb: {
    kpi: 'KPI 2',
    name: 'Identification (all fragility fractures)',
    explanation:
      "FLS-DB compares the patient records a service submits with its local estimated caseload. Here: episodes with a fracture date in the period, as a percentage of the service's own estimate of its yearly caseload (a service setting), pro rata to the length of the period. FLS-DB KPI 3 (the share of spine fractures) is not measured: every patient of this service has a vertebral fracture.",
  } satisfies FlsDbMeasure,
} as const;

// --- Measuring one episode -------------------------------------------------------------------

interface Context {
  readonly calendar: ServiceCalendar;
  readonly closure: EpisodeKpiInput['closure'];
  readonly closedOn: LocalDate | undefined;
}

const outcome = (kpi: KpiId, result: KpiResult, reason: string, until?: LocalDate): KpiOutcome => ({
  kpi,
  result,
  reason,
  ...(until === undefined ? {} : { until }),
});

/** The last day the step counts as on time: its due date, as a local date. */
function dueDate(step: KpiStep, calendar: ServiceCalendar): LocalDate | undefined {
  if (!step.window) return undefined;
  return step.window.granularity === 'day'
    ? step.window.due
    : calendar.localDate(Date.parse(step.window.due));
}

/** The shared rules (see the module comment) for a measure read from one step. */
function measureStep(
  kpi: KpiId,
  step: KpiStep | undefined,
  context: Context,
  options: { declined: 'met' | 'not-met'; notApplicable: string },
): KpiOutcome {
  if (!step) return outcome(kpi, 'excluded', 'The plan has no such step.');
  if (step.status === 'not-applicable') return outcome(kpi, 'excluded', options.notApplicable);
  const due = dueDate(step, context.calendar);
  if (!due) return outcome(kpi, 'excluded', 'The step has no window.');
  const { completion } = step;
  if (completion) {
    const on = context.calendar.localDate(Date.parse(completion.at));
    if (completion.outcome === 'not-indicated') {
      return outcome(kpi, 'excluded', `Recorded as not indicated on ${on}.`);
    }
    if (completion.outcome === 'declined' && options.declined === 'not-met') {
      return outcome(kpi, 'not-met', `Declined by the patient on ${on}.`);
    }
    const what = completion.outcome === 'declined' ? 'Declined by the patient' : 'Done';
    return on <= due
      ? outcome(kpi, 'met', `${what} on ${on}, by the due date ${due}.`)
      : outcome(kpi, 'not-met', `${what} on ${on}, after the due date ${due}.`);
  }
  const { closure, closedOn } = context;
  if (closure && closedOn !== undefined && closedOn <= due) {
    return closure.reason === 'died' || closure.reason === 'transferred'
      ? outcome(
          kpi,
          'excluded',
          `Episode closed (${closure.reason}) on ${closedOn}, before it was due.`,
        )
      : outcome(kpi, 'not-met', `Episode closed (${closure.reason}) on ${closedOn} without it.`);
  }
  if (step.status === 'cancelled') return outcome(kpi, 'excluded', 'The step was cancelled.');
  // Not met from the day after `due` (resolveKpiOutcome), unless a write changes it.
  return outcome(kpi, 'pending', `Not done yet; due by ${due}.`, due);
}

type Effective = ReadonlyMap<string, ClinicalEvent>;

/**
 * The prior therapy that shows a patient was already treated correctly: still taking the drug at
 * the fracture, as prescribed as the patient reports it, and not found otherwise at a treatment
 * review of that drug since. Such a patient counts as met for the treatment measures, as already
 * treated, never as a new start (ROS 2022, Appendix B: treatment "started and taken
 * appropriately").
 */
export function alreadyTreated(
  events: Iterable<ClinicalEvent>,
): EventOf<'prior-bone-therapy'> | undefined {
  const list = [...events];
  return list.find(
    (event): event is EventOf<'prior-bone-therapy'> =>
      event.type === 'prior-bone-therapy' &&
      event.takingAtFracture &&
      event.adherence === 'as-prescribed' &&
      !list.some(
        (review) =>
          review.type === 'treatment-review' &&
          review.drug === event.drug &&
          (!review.takingAsPrescribed || review.takenCorrectly === false),
      ),
  );
}

function alreadyTreatedReason(prior: EventOf<'prior-bone-therapy'>, context: Context): string {
  const recorded = context.calendar.localDate(Date.parse(prior.occurredAt));
  return `Already treated: ${prior.drug} taken since ${prior.startedOn}, as prescribed (prior therapy recorded on ${recorded}); not a new start.`;
}

/**
 * Bone therapy recommended: the decision step's shared rules, where a treatment review of the
 * therapy the patient was already taking is the decision (continue or change: a recommendation;
 * stop: none to count), and a patient already treated correctly counts as met.
 */
function boneTherapyRecommended(
  step: KpiStep | undefined,
  context: Context,
  events: Effective,
): KpiOutcome {
  const kpi: KpiId = 'bone-therapy-recommended';
  const base = measureStep(kpi, step, context, {
    declined: 'met',
    notApplicable: 'The step does not apply to this episode.',
  });
  const review = step?.completion && events.get(step.completion.eventId);
  if (review?.type === 'treatment-review') {
    const on = context.calendar.localDate(Date.parse(review.occurredAt));
    if (review.outcome === 'stop') {
      return outcome(kpi, 'excluded', `Bone therapy stopped at a treatment review on ${on}.`);
    }
    return outcome(
      kpi,
      base.result,
      `Already on bone therapy, reviewed on ${on} (${review.outcome}): ${base.reason}`,
    );
  }
  if (base.result === 'pending' || base.result === 'not-met') {
    const prior = alreadyTreated(events.values());
    if (prior) return outcome(kpi, 'met', alreadyTreatedReason(prior, context));
  }
  return base;
}

function adherence(step: KpiStep | undefined, context: Context, events: Effective): KpiOutcome {
  const kpi: KpiId = 'adherence-52-weeks';
  const base = measureStep(kpi, step, context, {
    declined: 'not-met',
    notApplicable: 'Bone therapy was not started.',
  });
  if (base.result !== 'met' || !step?.completion) return base;
  const check = events.get(step.completion.eventId);
  const on = context.calendar.localDate(Date.parse(step.completion.at));
  if (check?.type !== 'follow-up-contact' || check.takingAsPrescribed === undefined) {
    return outcome(kpi, 'not-met', `Checked on ${on}, but adherence was not recorded.`);
  }
  return check.takingAsPrescribed
    ? outcome(kpi, 'met', `Taking bone therapy as prescribed at the check on ${on}.`)
    : outcome(kpi, 'not-met', `Not taking bone therapy as prescribed at the check on ${on}.`);
}

function treatmentStartedByFollowUp(
  followUp: KpiStep | undefined,
  decision: KpiStep | undefined,
  context: Context,
  events: Effective,
): KpiOutcome {
  const kpi: KpiId = 'treatment-started-by-follow-up';
  if (!followUp || followUp.status === 'not-applicable') {
    return outcome(kpi, 'excluded', 'The follow-up step does not apply.');
  }
  const done = followUp.completion;
  if (!done) {
    if (context.closure) {
      return outcome(
        kpi,
        'excluded',
        `Episode closed (${context.closure.reason}) before a follow-up contact.`,
      );
    }
    return outcome(kpi, 'pending', 'No follow-up contact yet.');
  }
  if (done.outcome !== 'done') {
    return outcome(
      kpi,
      'excluded',
      `The follow-up was recorded as ${done.outcome.replace('-', ' ')}.`,
    );
  }
  const at = Date.parse(done.at);
  const on = context.calendar.localDate(at);
  const prior = alreadyTreated(events.values());
  if (prior) return outcome(kpi, 'met', alreadyTreatedReason(prior, context));
  const contact = events.get(done.eventId);
  const reported = contact?.type === 'follow-up-contact' ? contact.treatmentStatus : undefined;
  const started = [...events.values()].find(
    (event): event is EventOf<'bone-therapy-started'> =>
      event.type === 'bone-therapy-started' && Date.parse(event.occurredAt) <= at,
  );
  if (started) {
    const startedOn = context.calendar.localDate(Date.parse(started.occurredAt));
    return outcome(kpi, 'met', `Bone therapy started on ${startedOn}; first follow-up on ${on}.`);
  }
  if (reported === 'started') {
    return outcome(kpi, 'met', `Reported as started at the first follow-up on ${on}.`);
  }
  if (reported === 'not-recommended') {
    return outcome(
      kpi,
      'excluded',
      `Bone therapy reported as not recommended at the follow-up on ${on}.`,
    );
  }
  const recommendation = decision?.completion;
  if (recommendation?.outcome === 'not-indicated') {
    return outcome(kpi, 'excluded', 'Bone therapy was recorded as not indicated.');
  }
  if ((recommendation && Date.parse(recommendation.at) <= at) || reported === 'not-started') {
    return outcome(kpi, 'not-met', `Recommended but not started by the first follow-up on ${on}.`);
  }
  return outcome(
    kpi,
    'excluded',
    `No bone therapy recommendation recorded by the follow-up on ${on}.`,
  );
}

/**
 * The exercise programme referral, measured against the date 16 weeks after the fracture (the
 * 16-week follow-up's due date in the episode's plan) instead of the referral step's own window.
 */
function strengthAndBalance(
  referral: KpiStep | undefined,
  followUp: KpiStep | undefined,
  context: Context,
): KpiOutcome {
  const kpi: KpiId = 'strength-balance-16-weeks';
  if (!referral || referral.status === 'not-applicable') {
    return outcome(kpi, 'excluded', 'The exercise programme referral does not apply.');
  }
  if (!followUp?.window) return outcome(kpi, 'excluded', 'The plan has no 16-week date.');
  return measureStep(kpi, { ...referral, window: followUp.window }, context, {
    declined: 'not-met',
    notApplicable: 'The exercise programme referral does not apply.',
  });
}

type StepOf = (stepId: string) => KpiStep | undefined;

function measureAll(
  definitions: readonly KpiDefinition[],
  step: StepOf,
  context: Context,
  events: Effective,
): KpiOutcome[] {
  const indicated = 'The step does not apply to this episode.';
  return definitions.map((definition) => {
    switch (definition.id) {
      case 'bone-therapy-recommended':
        return boneTherapyRecommended(step(definition.stepId), context, events);
      case 'treatment-started-by-follow-up':
        return treatmentStartedByFollowUp(
          step('fls-follow-up-16-weeks'),
          step('bone-therapy-decision'),
          context,
          events,
        );
      case 'adherence-52-weeks':
        return adherence(step(definition.stepId), context, events);
      case 'strength-balance-16-weeks':
        return strengthAndBalance(step(definition.stepId), step('fls-follow-up-16-weeks'), context);
      default:
        return measureStep(definition.id, step(definition.stepId), context, {
          declined: 'not-met',
          notApplicable: indicated,
        });
    }
  });
}

const field = (id: KpiFieldId, result: KpiResult, until?: LocalDate): KpiFieldOutcome => ({
  field: id,
  result,
  ...(until === undefined ? {} : { until }),
});

/** A field read from a step: recorded when the step has any completion. */
function stepField(id: KpiFieldId, step: KpiStep | undefined, context: Context): KpiFieldOutcome {
  if (!step || step.status === 'not-applicable') return field(id, 'excluded');
  if (step.completion) return field(id, 'met');
  const due = dueDate(step, context.calendar);
  if (!due) return field(id, 'excluded');
  const { closure, closedOn } = context;
  if (closure && closedOn !== undefined && closedOn <= due) {
    return field(
      id,
      closure.reason === 'died' || closure.reason === 'transferred' ? 'excluded' : 'not-met',
    );
  }
  if (step.status === 'cancelled') return field(id, 'excluded');
  return field(id, 'pending', due);
}

function completenessFields(
  input: Pick<EpisodeKpiInput, 'identifierKind'>,
  step: StepOf,
  context: Context,
  events: Effective,
): KpiFieldOutcome[] {
  return KPI_FIELDS.map((definition): KpiFieldOutcome => {
    switch (definition.id) {
      case 'nhs-number':
        if (!input.identifierKind) return field(definition.id, 'excluded');
        return field(definition.id, input.identifierKind === 'nhs-number' ? 'met' : 'not-met');
      case 'treatment-status-at-follow-up': {
        const done = step('fls-follow-up-16-weeks')?.completion;
        if (done?.outcome !== 'done') return field(definition.id, 'excluded');
        const contact = events.get(done.eventId);
        const at = Date.parse(done.at);
        const reported = contact?.type === 'follow-up-contact' && contact.treatmentStatus;
        const started = [...events.values()].some(
          (event) => event.type === 'bone-therapy-started' && Date.parse(event.occurredAt) <= at,
        );
        return field(definition.id, reported || started ? 'met' : 'not-met');
      }
      case 'adherence-52-weeks': {
        const adherenceStep = step('fls-adherence-52-weeks');
        const base = stepField(definition.id, adherenceStep, context);
        const done = adherenceStep?.completion;
        if (base.result !== 'met' || done?.outcome !== 'done') return base;
        const check = events.get(done.eventId);
        const known = check?.type === 'follow-up-contact' && check.takingAsPrescribed !== undefined;
        return field(definition.id, known ? 'met' : 'not-met');
      }
      default:
        return stepField(definition.id, step(definition.stepId as string), context);
    }
  });
}

/** One episode's measures and completeness fields, as stored: pending outcomes carry `until`. */
export interface EpisodeKpiRecord {
  readonly pathwayVersion: string;
  readonly outcomes: readonly KpiOutcome[];
  readonly fields: readonly KpiFieldOutcome[];
}

/**
 * How one episode counts, whatever the day: what is not yet decided is pending with the last day
 * it can still be met. Every recorded event is read (a stored result is rewritten by the write
 * that records the next one). The write path stores this; resolveKpiOutcome reads it on a day.
 */
export function episodeKpiRecord(input: Omit<EpisodeKpiInput, 'asOf'>): EpisodeKpiRecord {
  return measureEpisode(input, Number.POSITIVE_INFINITY);
}

function measureEpisode(input: Omit<EpisodeKpiInput, 'asOf'>, asOf: number): EpisodeKpiRecord {
  const definitions = kpiDefinitions(input.pathwayVersion, input.pathways);
  const calendar = serviceCalendar(input.settings ?? DEFAULT_SERVICE_SETTINGS);
  const context: Context = {
    calendar,
    closure: input.closure,
    closedOn: input.closure ? calendar.localDate(Date.parse(input.closure.at)) : undefined,
  };
  const known = input.events.map(timed).filter((item) => item.recordedAt <= asOf);
  const events: Effective = new Map(
    effectiveHistory(known).map((item) => [item.event.id, item.event]),
  );
  const step: StepOf = (stepId) => input.steps.find((s) => s.stepId === stepId);
  return {
    pathwayVersion: input.pathwayVersion,
    outcomes: measureAll(definitions, step, context, events),
    fields: completenessFields(input, step, context, events),
  };
}

/** A stored result as it reads on `today`: pending past its last day is not met. */
export function resolveKpiResult(
  result: KpiResult,
  until: LocalDate | undefined,
  today: LocalDate,
): KpiResult {
  return result === 'pending' && until !== undefined && today > until ? 'not-met' : result;
}

/** A stored outcome as it reads on `today`. */
export function resolveKpiOutcome(stored: KpiOutcome, today: LocalDate): KpiOutcome {
  if (resolveKpiResult(stored.result, stored.until, today) === stored.result) return stored;
  return outcome(stored.kpi, 'not-met', `Not done by the due date ${stored.until}.`);
}

/**
 * How one episode counts towards each measure as of `asOf`, in the order of KPI_IDS, under the
 * episode's own pathway version: episodeKpiRecord of the events recorded by then, read on the
 * service's day of `asOf`.
 */
export function episodeKpis(input: EpisodeKpiInput): KpiOutcome[] {
  const asOf = parseInstant(input.asOf, 'asOf');
  const today = serviceCalendar(input.settings ?? DEFAULT_SERVICE_SETTINGS).localDate(asOf);
  return measureEpisode(input, asOf).outcomes.map((o) => resolveKpiOutcome(o, today));
}

// --- Adding up -------------------------------------------------------------------------------

export type KpiCounts = Record<KpiResult, number>;

export interface KpiSummary {
  readonly id: KpiId;
  /** The current wording of the measure (the newest version among those counted). */
  readonly definition: KpiDefinition;
  /**
   * The measure as each pathway version counted in it words it, one per version (oldest first):
   * every episode was measured under its own version.
   */
  readonly definitions: readonly KpiDefinition[];
  readonly met: number;
  readonly notMet: number;
  readonly pending: number;
  readonly excluded: number;
  /** met + not met: the denominator. */
  readonly eligible: number;
  /** Percentage met of the eligible (0 to 100), undefined when none are eligible. */
  readonly percentMet: number | undefined;
}

const emptyCounts = (): KpiCounts => ({ met: 0, 'not-met': 0, pending: 0, excluded: 0 });

/**
 * Counts outcomes per measure and pathway version: feed it episodes (add) or counts already
 * added up by the database (addCounts).
 */
export class KpiTally {
  private readonly counts = new Map<string, Map<KpiId, KpiCounts>>();
  private episodeCount = 0;

  constructor(private readonly pathways: PathwayRegistry = PUBLISHED_PATHWAYS) {}

  private countsOf(pathwayVersion: string, kpi: KpiId): KpiCounts {
    let byKpi = this.counts.get(pathwayVersion);
    if (!byKpi) {
      kpiDefinitions(pathwayVersion, this.pathways); // an unknown version fails here
      byKpi = new Map();
      this.counts.set(pathwayVersion, byKpi);
    }
    let counts = byKpi.get(kpi);
    if (!counts) {
      counts = emptyCounts();
      byKpi.set(kpi, counts);
    }
    return counts;
  }

  /** One episode's outcomes, measured under `pathwayVersion`. */
  add(pathwayVersion: string, outcomes: readonly KpiOutcome[]): void {
    this.episodeCount += 1;
    for (const { kpi, result } of outcomes) this.countsOf(pathwayVersion, kpi)[result] += 1;
  }

  /** Counts of `episodes` episodes under one version, already added up per measure. */
  addCounts(
    pathwayVersion: string,
    episodes: number,
    counts: Partial<Record<KpiId, Partial<KpiCounts>>>,
  ): void {
    this.episodeCount += episodes;
    for (const [kpi, some] of Object.entries(counts) as [KpiId, Partial<KpiCounts>][]) {
      const total = this.countsOf(pathwayVersion, kpi);
      for (const [result, n] of Object.entries(some) as [KpiResult, number][]) total[result] += n;
    }
  }

  get episodes(): number {
    return this.episodeCount;
  }

  /** The pathway versions counted, in the registry's order. */
  get pathwayVersions(): string[] {
    return this.pathways.versions().filter((v) => this.counts.has(v));
  }

  summaries(): KpiSummary[] {
    const versions = this.pathwayVersions;
    const current = this.pathways.current;
    return KPI_IDS.map((id) => {
      const counts = emptyCounts();
      for (const version of versions) {
        const some = this.counts.get(version)?.get(id);
        if (some)
          for (const result of Object.keys(counts) as KpiResult[]) counts[result] += some[result];
      }
      const definitions = (versions.length > 0 ? versions : [current]).map(
        (version) =>
          kpiDefinitions(version, this.pathways).find((d) => d.id === id) as KpiDefinition,
      );
      const eligible = counts.met + counts['not-met'];
      return {
        id,
        definition: definitions[definitions.length - 1] as KpiDefinition,
        definitions,
        met: counts.met,
        notMet: counts['not-met'],
        pending: counts.pending,
        excluded: counts.excluded,
        eligible,
        percentMet: eligible === 0 ? undefined : (100 * counts.met) / eligible,
      };
    });
  }
}
