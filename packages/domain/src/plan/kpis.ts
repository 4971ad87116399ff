import { parseInstant } from '../inputs/errors.js';
import { effectiveHistory, timed } from '../inputs/history.js';
import type { ClinicalEvent, EventOf, EventType } from '../inputs/schemas.js';
import type { StepDefinition } from '../pathway/definition.js';
import type { StepStatus } from '../pathway/facts.js';
import { CURRENT_PATHWAY_VERSION, findPathway } from '../pathway/registry.js';
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
  'follow-up-16-weeks',
  'treatment-started-by-follow-up',
  'adherence-52-weeks',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiDefinition {
  readonly id: KpiId;
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
}

export type KpiResult = 'met' | 'not-met' | 'pending' | 'excluded';

export interface KpiOutcome {
  readonly kpi: KpiId;
  readonly result: KpiResult;
  /** Why, in words ("done on 2026-03-02, after the due date 2026-02-28"). */
  readonly reason: string;
}

/** A plan step as the measures need it (a stored plan-step row carries exactly this). */
export interface KpiStep {
  readonly stepId: string;
  readonly status: StepStatus;
  readonly window: Pick<PlanWindow, 'granularity' | 'due'> | undefined;
  readonly completion: Pick<PlanCompletion, 'eventId' | 'eventType' | 'at' | 'outcome'> | undefined;
}

export interface EpisodeKpiInput {
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

const pathway = findPathway(CURRENT_PATHWAY_VERSION);

function stepOf(stepId: string): StepDefinition {
  const step = pathway?.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`KPI step "${stepId}" is not in pathway ${CURRENT_PATHWAY_VERSION}`);
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

function stepMeasure(
  id: KpiId,
  stepId: string,
  text: { met: string; counted: string; notCounted: string },
): KpiDefinition {
  const step = stepOf(stepId);
  if (!step.kpi) throw new Error(`Step "${stepId}" names no KPI in the pathway definition`);
  return { id, title: step.kpi, stepId, ...text, sources: sourcesOf(step) };
}

function buildDefinitions(): readonly KpiDefinition[] {
  const within = (stepId: string) => dueOffset(stepOf(stepId));
  return [
    stepMeasure('fracture-risk-assessment', 'fracture-risk-assessment', {
      met: `A fracture risk assessment (FRAX or QFracture) recorded within ${within('fracture-risk-assessment')} of the fracture.`,
      counted: 'Every episode.',
      notCounted: `Episodes still within the ${within('fracture-risk-assessment')} are pending. "Not indicated" recorded for the step is not counted; declined counts as not met. ${CLOSED_RULE}`,
    }),
    stepMeasure('dxa', 'dxa-scan', {
      met: `A DXA result recorded within ${within('dxa-scan')} of the fracture.`,
      counted: 'Every episode where DXA is indicated.',
      notCounted: `DXA recorded as not indicated (the guidance: not where it would not change management, e.g. the very frail) is not counted. Episodes still within the ${within('dxa-scan')} are pending; declined counts as not met. ${CLOSED_RULE}`,
    }),
    stepMeasure('falls-assessment', 'falls-risk-assessment', {
      met: `A falls risk assessment recorded within ${within('falls-risk-assessment')} of the fracture (the step's window).`,
      counted:
        'Every episode, whatever the age: the key practice points ask for a falls assessment in every patient with a vertebral fracture, although the FLS standard names people aged 65 or over.',
      notCounted: `Episodes still within the ${within('falls-risk-assessment')} are pending. "Not indicated" is not counted; declined counts as not met. ${CLOSED_RULE}`,
    }),
    stepMeasure('bone-therapy-recommended', 'bone-therapy-decision', {
      met: `Bone therapy recommended (recorded as done) or started within ${within('bone-therapy-decision')} of the fracture, or the therapy the patient was already taking reviewed (continue or change) by then. A recommendation the patient declined counts as met: it was made. ${ALREADY_TREATED_RULE}`,
      counted: 'Every episode where bone therapy is indicated.',
      notCounted: `Bone therapy recorded as not indicated, or stopped at a treatment review, is not counted. Episodes still within the ${within('bone-therapy-decision')} are pending. ${CLOSED_RULE}`,
    }),
    stepMeasure('follow-up-16-weeks', 'fls-follow-up-16-weeks', {
      met: `An FLS follow-up contact in the step's window (from week 12) and by ${within('fls-follow-up-16-weeks')} after the fracture.`,
      counted: 'Every episode.',
      notCounted: `Episodes before the ${within('fls-follow-up-16-weeks')} are pending. "Not indicated" is not counted; declined counts as not met. ${CLOSED_RULE}`,
    }),
    {
      id: 'treatment-started-by-follow-up',
      title: 'Treatment started by first follow-up',
      stepId: 'fls-follow-up-16-weeks',
      met: `Bone therapy started on or before the first FLS follow-up contact (the contact that completed the 16-week follow-up step), by a recorded start or as the contact reported. ${ALREADY_TREATED_RULE}`,
      counted:
        'Episodes with a first follow-up contact for whom bone therapy had been recommended by then (recorded as recommended, declined, or reported as "not started" at the contact).',
      notCounted:
        'Episodes without a follow-up contact yet are pending; closed before it, not counted. Bone therapy not indicated or reported "not recommended" is not counted, nor is an episode with no recommendation recorded by the contact.',
      sources: [...sourcesOf(stepOf('fls-follow-up-16-weeks')), ROS_TREATMENT_TAKEN],
    },
    stepMeasure('adherence-52-weeks', 'fls-adherence-52-weeks', {
      met: `At the adherence check (from week 48, by ${within('fls-adherence-52-weeks')} after the fracture) the patient was taking bone therapy as prescribed.`,
      counted:
        'Episodes where bone therapy was started (the step applies only then). A check not made by the due date, or made without recording adherence, counts as not met: adherence was not confirmed.',
      notCounted: `Episodes without bone therapy are not counted; those before ${within('fls-adherence-52-weeks')} are pending. ${CLOSED_RULE}`,
    }),
  ];
}

export const KPI_DEFINITIONS: readonly KpiDefinition[] = buildDefinitions();

/** The plan steps the measures read. */
export const KPI_STEP_IDS: readonly string[] = [
  ...new Set([...KPI_DEFINITIONS.map((k) => k.stepId), 'bone-therapy-decision']),
];

// --- Measuring one episode -------------------------------------------------------------------

interface Context {
  readonly calendar: ServiceCalendar;
  readonly today: LocalDate;
  readonly closure: EpisodeKpiInput['closure'];
  readonly closedOn: LocalDate | undefined;
}

const outcome = (kpi: KpiId, result: KpiResult, reason: string): KpiOutcome => ({
  kpi,
  result,
  reason,
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
  return context.today <= due
    ? outcome(kpi, 'pending', `Not done yet; due by ${due}.`)
    : outcome(kpi, 'not-met', `Not done by the due date ${due}.`);
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

/** How one episode counts towards each measure, in the order of KPI_DEFINITIONS. */
export function episodeKpis(input: EpisodeKpiInput): KpiOutcome[] {
  const asOf = parseInstant(input.asOf, 'asOf');
  const calendar = serviceCalendar(input.settings ?? DEFAULT_SERVICE_SETTINGS);
  const context: Context = {
    calendar,
    today: calendar.localDate(asOf),
    closure: input.closure,
    closedOn: input.closure ? calendar.localDate(Date.parse(input.closure.at)) : undefined,
  };
  const known = input.events.map(timed).filter((item) => item.recordedAt <= asOf);
  const events: Effective = new Map(
    effectiveHistory(known).map((item) => [item.event.id, item.event]),
  );
  const step = (stepId: string) => input.steps.find((s) => s.stepId === stepId);
  const indicated = 'The step does not apply to this episode.';
  return KPI_DEFINITIONS.map((definition) => {
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
      default:
        return measureStep(definition.id, step(definition.stepId), context, {
          declined: 'not-met',
          notApplicable: indicated,
        });
    }
  });
}

// --- Adding up -------------------------------------------------------------------------------

export interface KpiSummary {
  readonly definition: KpiDefinition;
  readonly met: number;
  readonly notMet: number;
  readonly pending: number;
  readonly excluded: number;
  /** met + not met: the denominator. */
  readonly eligible: number;
  /** Percentage met of the eligible (0 to 100), undefined when none are eligible. */
  readonly percentMet: number | undefined;
}

/** Counts outcomes per measure; feed it episodes in batches. */
export class KpiTally {
  private readonly counts = new Map<KpiId, Record<KpiResult, number>>(
    KPI_IDS.map((id) => [id, { met: 0, 'not-met': 0, pending: 0, excluded: 0 }]),
  );
  private episodeCount = 0;

  add(outcomes: readonly KpiOutcome[]): void {
    this.episodeCount += 1;
    for (const { kpi, result } of outcomes) {
      const counts = this.counts.get(kpi);
      if (counts) counts[result] += 1;
    }
  }

  get episodes(): number {
    return this.episodeCount;
  }

  summaries(): KpiSummary[] {
    return KPI_DEFINITIONS.map((definition) => {
      const counts = this.counts.get(definition.id) as Record<KpiResult, number>;
      const eligible = counts.met + counts['not-met'];
      return {
        definition,
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
