import { correctedEpisode } from '../inputs/episode-details.js';
import { PathwayInputError, parseInstant } from '../inputs/errors.js';
import {
  byRecording,
  effectiveHistory,
  type TherapyCourse,
  type TimedEvent,
  therapyCourses,
  timed,
} from '../inputs/history.js';
import type { ClinicalEvent, Episode, EventOf, Patient } from '../inputs/schemas.js';
import type {
  Condition,
  PathwayDefinition,
  RecommendationDefinition,
  RecordedValueKind,
  RedFlagFinding,
  StepDefinition,
} from '../pathway/definition.js';
import { type BoneTherapyDrug, DRUGS } from '../pathway/drugs.js';
import {
  type CurrentState,
  describeCondition,
  type EpisodeState,
  evaluate,
  FACTS,
  type FactContext,
  latestRecorded,
  recordedValuesOf,
  type StepStatus,
} from '../pathway/facts.js';
import { type PathwayRegistry, PUBLISHED_PATHWAYS } from '../pathway/registry.js';
import { SOURCE_DOCUMENTS, type SourceRef } from '../pathway/sources.js';
import {
  dayInWords,
  describeRecordedValue,
  RECORDED_VALUE_NAMES,
  type RecordedValueAge,
  recordedValueAge,
} from '../pathway/staleness.js';
import type { EpochMs, LocalDate, ServiceCalendar } from '../time/calendar.js';
import { toIso } from '../time/calendar.js';
import {
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettings,
  serviceCalendar,
} from '../time/settings.js';
import { phaseOf } from '../views/summary.js';
import { currentAppointment } from './appointments.js';
import type {
  Citation,
  Phase,
  Plan,
  PlanAppointment,
  PlanCompletion,
  PlanRecommendation,
  PlanStep,
  PlanWindow,
  Timer,
  TimerTransition,
} from './types.js';
import {
  type Anchor,
  anchorInstant,
  type ResolvedWindow,
  rescheduleDue,
  rescheduleProblem,
  resolveWindow,
  statusAt,
} from './window.js';

export interface PlanInput {
  readonly patient: Patient;
  readonly episode: Episode;
  /** The episode's whole append-only log; events recorded after `asOf` are ignored. */
  readonly events: readonly ClinicalEvent[];
  /** The instant the plan is computed for (ISO text or epoch milliseconds). */
  readonly asOf: string | number;
  readonly settings?: ServiceSettings;
  /** Where pathway versions are looked up; the published versions unless a test says otherwise. */
  readonly pathways?: PathwayRegistry;
}

/**
 * The care plan for one fracture episode as of one instant: every step of the episode's pathway
 * version with its window and status, what is recommended now, and the timers that make each
 * future status change happen. A pure function: the same input always gives the same plan.
 */
export function computePlan(input: PlanInput): Plan {
  const definition = (input.pathways ?? PUBLISHED_PATHWAYS).find(input.episode.pathwayVersion);
  if (!definition) {
    throw new PathwayInputError([
      {
        path: 'episode.pathwayVersion',
        message: `names pathway version "${input.episode.pathwayVersion}", which does not exist`,
      },
    ]);
  }
  const asOf = parseInstant(input.asOf, 'asOf');
  const calendar = serviceCalendar(input.settings ?? DEFAULT_SERVICE_SETTINGS);
  const planner = new Planner(definition, calendar, input, asOf);
  return planner.plan();
}

interface Instance {
  readonly key: string;
  readonly anchor: Anchor;
  /** The event that created this instance; it never completes its own step. */
  readonly triggerEventId?: string;
  /** For dose steps: the next dose, which completes it. */
  readonly completedByDose?: TimedEvent<EventOf<'bone-therapy-dose'>>;
  readonly course?: TherapyCourse;
}

type Completion = { item: TimedEvent; outcome: PlanCompletion['outcome'] };

const RED_FLAGS: ReadonlyArray<readonly [RedFlagFinding, string]> = [
  ['neurologicalDeficit', 'neurological deficit'],
  ['suspectedMalignancy', 'suspected malignancy'],
  ['multipleColumnInvolvement', 'multiple-column involvement'],
];

class Planner {
  private readonly history: TimedEvent[];
  /** The episode as enrolled, with its details as the corrections in effect leave them. */
  private readonly episode: Episode;
  private readonly episodeState: EpisodeState;
  private readonly findingSince: Readonly<Record<RedFlagFinding, EpochMs | undefined>>;
  private readonly redFlags: readonly string[];
  private readonly stepDefinitions: ReadonlyMap<string, StepDefinition>;
  private readonly courses: TherapyCourse[];
  /** Prior therapy that had stopped before the fracture. */
  private readonly earlierCourses: readonly TimedEvent<EventOf<'prior-bone-therapy'>>[];
  private readonly closure: TimedEvent<EventOf<'closure'>> | undefined;
  /** The latest reschedule in effect for each step key (the scheduler's last decision). */
  private readonly reschedules: ReadonlyMap<string, TimedEvent<EventOf<'step-rescheduled'>>>;
  private readonly enrolledAt: EpochMs;
  /** The DXA appointment the entries in effect leave (shown on the step that takes it). */
  private readonly appointment: PlanAppointment | undefined;
  private readonly baseContext: Omit<FactContext, 'event'>;

  constructor(
    private readonly definition: PathwayDefinition,
    private readonly calendar: ServiceCalendar,
    private readonly input: PlanInput,
    private readonly asOf: EpochMs,
  ) {
    const known = input.events.map(timed).filter((item) => item.recordedAt <= asOf);
    this.history = effectiveHistory(known);
    this.episode = correctedEpisode(input.episode, this.history);
    this.enrolledAt = Date.parse(input.episode.enrolledAt);
    const findings = this.resolveFindings();
    this.findingSince = findings.since;
    const therapy = therapyCourses(this.history);
    this.courses = therapy.courses;
    this.earlierCourses = therapy.earlier;
    this.closure = this.history.findLast(
      (item): item is TimedEvent<EventOf<'closure'>> => item.event.type === 'closure',
    );
    const reschedules = new Map<string, TimedEvent<EventOf<'step-rescheduled'>>>();
    for (const item of this.history) {
      if (item.event.type !== 'step-rescheduled') continue;
      const seen = reschedules.get(item.event.stepKey);
      if (!seen || byRecording(seen, item) < 0)
        reschedules.set(item.event.stepKey, item as TimedEvent<EventOf<'step-rescheduled'>>);
    }
    this.reschedules = reschedules;
    this.appointment = currentAppointment(this.history, toIso);
    const { episode } = this;
    this.episodeState = {
      fractureDate: episode.fractureDate,
      careSetting: episode.careSetting.kind,
      admittedAt:
        episode.careSetting.kind === 'admitted'
          ? Date.parse(episode.careSetting.admittedAt)
          : undefined,
      neurologicalDeficit: findings.values.neurologicalDeficit,
      suspectedMalignancy: findings.values.suspectedMalignancy,
      multipleColumnInvolvement: findings.values.multipleColumnInvolvement,
      mriOedema: findings.values.mriOedema,
      boneTherapyStarted: this.courses.length > 0,
      fractureOnTreatment: this.fractureOnTreatment(episode.fractureDate),
      ageAtFracture: ageOn(input.patient.dateOfBirth, episode.fractureDate),
    };
    this.redFlags = RED_FLAGS.filter(([finding]) => this.episodeState[finding]).map(
      ([, name]) => name,
    );
    this.stepDefinitions = new Map(definition.steps.map((step) => [step.id, step]));
    this.baseContext = {
      calendar,
      painBands: definition.painBands,
      phases: definition.phases,
      episode: this.episodeState,
      current: this.stateAt(asOf),
    };
  }

  /** A local date as people read it: "Tue 7 Apr 2026". */
  private day(date: LocalDate): string {
    return this.calendar.describeDate(date);
  }

  /** An instant as people read it, in the service's zone: "Sat 5 Dec 2026, 18:30". */
  private at(instant: EpochMs): string {
    return this.calendar.describeInstant(instant);
  }

  plan(): Plan {
    const steps = this.definition.steps.flatMap((step) => this.planStep(step));
    const statuses = new Map<string, Set<StepStatus>>();
    for (const step of steps) {
      const set = statuses.get(step.stepId) ?? new Set<StepStatus>();
      set.add(step.status);
      statuses.set(step.stepId, set);
    }
    const context: FactContext = {
      ...this.baseContext,
      stepStatuses: (id) => statuses.get(id) ?? new Set(),
    };
    const recommendations = this.closure ? [] : this.recommendations(context);
    const daysSinceFracture = this.baseContext.current?.daysSinceFracture ?? 0;
    const { redFlags } = this;
    return {
      pathwayVersion: this.definition.version,
      episodeId: this.input.episode.id,
      patientId: this.input.patient.id,
      asOf: toIso(this.asOf),
      timeZone: this.calendar.timeZone,
      daysSinceFracture,
      phase: this.phase(daysSinceFracture),
      branch: redFlags.length > 0 ? 'red-flag' : 'conservative',
      redFlags,
      closure: this.closure && {
        reason: this.closure.event.reason,
        at: toIso(this.closure.occurredAt),
      },
      steps,
      recommendations,
      timers: steps.flatMap((step) => this.timers(step)),
    };
  }

  // --- Episode state -------------------------------------------------------------------------

  /** Findings at enrolment, updated by later clinical-findings events in clinical order. */
  private resolveFindings() {
    const { episode } = this;
    const values = {
      neurologicalDeficit: episode.neurologicalDeficit,
      suspectedMalignancy: episode.suspectedMalignancy,
      multipleColumnInvolvement: episode.columnInvolvement === 'multiple',
      mriOedema: episode.mriOedema,
    };
    const since: Record<RedFlagFinding, EpochMs | undefined> = {
      neurologicalDeficit: values.neurologicalDeficit ? this.enrolledAt : undefined,
      suspectedMalignancy: values.suspectedMalignancy ? this.enrolledAt : undefined,
      multipleColumnInvolvement: values.multipleColumnInvolvement ? this.enrolledAt : undefined,
    };
    const update = (flag: keyof typeof since, value: boolean | undefined, at: EpochMs) => {
      if (value === undefined) return;
      if (value && !values[flag]) since[flag] = at;
      if (!value) since[flag] = undefined;
      values[flag] = value;
    };
    for (const item of this.history) {
      if (item.event.type !== 'clinical-findings') continue;
      const findings = item.event;
      update('neurologicalDeficit', findings.neurologicalDeficit, item.occurredAt);
      update('suspectedMalignancy', findings.suspectedMalignancy, item.occurredAt);
      update(
        'multipleColumnInvolvement',
        findings.columnInvolvement === undefined
          ? undefined
          : findings.columnInvolvement === 'multiple',
        item.occurredAt,
      );
      if (findings.mriOedema !== undefined) values.mriOedema = findings.mriOedema;
    }
    return { values, since };
  }

  /**
   * Whether a course still taken at the fracture had run for at least the version's minimum time
   * on treatment by the date of fracture. Versions without prior-therapy rules never say so.
   */
  private fractureOnTreatment(fractureDate: LocalDate): boolean {
    const rules = this.definition.priorTherapy;
    if (!rules) return false;
    return this.courses.some(
      (course) =>
        course.prior !== undefined &&
        this.calendar.addToDate(course.prior.startedOn, rules.minimumOnTreatment) <= fractureDate,
    );
  }

  /** When a course began: its start, or the start date reported for prior therapy. */
  private courseStart(course: TherapyCourse): EpochMs {
    return course.prior
      ? this.calendar.startOfDay(course.prior.startedOn)
      : course.started.occurredAt;
  }

  /** What was true at an instant: the latest assessments up to then, running therapy. */
  private stateAt(instant: EpochMs): CurrentState {
    const upTo = this.history.filter((item) => item.occurredAt <= instant);
    const latest = <T extends ClinicalEvent['type']>(type: T) =>
      upTo.findLast((item): item is TimedEvent<EventOf<T>> => item.event.type === type);
    const running = new Set<string>();
    // Denosumab stopped before the fracture carries the same rebound risk as one stopped since.
    let stoppedDenosumab = this.earlierCourses.some((item) => item.event.drug === 'denosumab');
    for (const course of this.courses) {
      if (this.courseStart(course) > instant) continue;
      const stopped = course.stopped && course.stopped.occurredAt <= instant;
      if (stopped && course.drug === 'denosumab') stoppedDenosumab = true;
      if (!stopped) running.add(DRUGS[course.drug].drugClass);
    }
    return {
      daysSinceFracture: this.calendar.daysBetween(
        this.episode.fractureDate,
        this.calendar.localDate(instant),
      ),
      latestPain: latest('pain-assessment'),
      latestPsychologicalScreen: latest('psychological-screen'),
      latestFractureRisk: latest('fracture-risk-assessment'),
      latestFollowUp: latest('follow-up-contact'),
      closed: this.closure !== undefined && this.closure.occurredAt <= instant,
      runningDrugClasses: running,
      stoppedDenosumab,
    };
  }

  private phase(daysSinceFracture: number): Phase {
    return phaseOf(this.definition.phases, daysSinceFracture);
  }

  // --- Steps ---------------------------------------------------------------------------------

  private planStep(step: StepDefinition): PlanStep[] {
    const instances = this.instances(step);
    if (instances.length === 0) {
      return [
        this.stepView(step, step.id, {
          status: 'not-applicable',
          reason:
            this.notApplicableReason(step) ?? `Waiting for ${step.waitingFor ?? 'its trigger'}.`,
        }),
      ];
    }
    return instances.map((instance) => this.planInstance(step, instance));
  }

  private instances(step: StepDefinition): Instance[] {
    const { trigger } = step;
    const { episode } = this;
    const enrolled = this.input.episode;
    switch (trigger.kind) {
      case 'episode': {
        if (trigger.anchor === 'fracture-date') {
          return [
            {
              key: step.id,
              anchor: {
                kind: 'date',
                date: episode.fractureDate,
                label: `the fracture on ${this.day(episode.fractureDate)}${correctedFrom(this.day(enrolled.fractureDate), this.day(episode.fractureDate))}`,
              },
            },
          ];
        }
        if (trigger.anchor === 'identified-date') {
          return [
            {
              key: step.id,
              anchor: {
                kind: 'date',
                date: episode.identifiedOn,
                label: `identification on ${this.day(episode.identifiedOn)}${correctedFrom(this.day(enrolled.identifiedOn), this.day(episode.identifiedOn))}`,
              },
            },
          ];
        }
        if (trigger.anchor === 'enrolment') {
          return [
            {
              key: step.id,
              anchor: {
                kind: 'instant',
                at: this.enrolledAt,
                label: `enrolment on ${this.at(this.enrolledAt)}`,
              },
            },
          ];
        }
        const admittedAt = this.episodeState.admittedAt;
        const enrolledAdmission =
          enrolled.careSetting.kind === 'admitted'
            ? this.at(Date.parse(enrolled.careSetting.admittedAt))
            : 'community care';
        return admittedAt === undefined
          ? []
          : [
              {
                key: step.id,
                anchor: {
                  kind: 'instant',
                  at: admittedAt,
                  label: `admission on ${this.at(admittedAt)}${correctedFrom(enrolledAdmission, this.at(admittedAt))}`,
                },
              },
            ];
      }
      case 'finding': {
        const since = this.findingSince[trigger.finding];
        return since === undefined
          ? []
          : [
              {
                key: step.id,
                anchor: {
                  kind: 'instant',
                  at: since,
                  label: `${FACTS[trigger.finding].label} recorded on ${this.at(since)}`,
                },
              },
            ];
      }
      case 'first-event': {
        const match = this.matchingEvents(trigger.event, trigger.where)[0];
        return match ? [this.eventInstance(step.id, match, false)] : [];
      }
      case 'each-event':
        return this.matchingEvents(trigger.event, trigger.where).map((item) =>
          this.eventInstance(step.id, item, true),
        );
      case 'therapy-course':
        return this.courses
          .filter((course) => trigger.drugs.includes(course.drug))
          .map((course) => ({
            key: `${step.id}~${course.started.rootId}`,
            // A course taken since before the fracture runs from its real start.
            anchor: course.prior
              ? {
                  kind: 'date',
                  date: course.prior.startedOn,
                  label: `${DRUGS[course.drug].label} started ${this.day(course.prior.startedOn)}, before the fracture (prior therapy)`,
                }
              : {
                  kind: 'instant',
                  at: course.started.occurredAt,
                  label: `${DRUGS[course.drug].label} started ${this.at(course.started.occurredAt)}`,
                },
            course,
          }));
      case 'next-dose':
        return this.courses
          .filter((course) => trigger.drugs.includes(course.drug))
          .flatMap((course): Instance[] => {
            const label = DRUGS[course.drug].label;
            // The start of an injected course is its first dose; each dose anchors the next. A
            // course taken since before the fracture starts from its last dose then.
            const first: Anchor | undefined = course.prior
              ? course.prior.lastDoseOn === undefined
                ? undefined
                : {
                    kind: 'date',
                    date: course.prior.lastDoseOn,
                    label: `${label} last dose before the record given ${this.day(course.prior.lastDoseOn)} (prior therapy)`,
                  }
              : {
                  kind: 'instant',
                  at: course.started.occurredAt,
                  label: `${label} dose 1 given ${this.at(course.started.occurredAt)}`,
                };
            const anchors: Anchor[] = [
              ...(first ? [first] : []),
              ...course.doses.map(
                (dose, index): Anchor => ({
                  kind: 'instant',
                  at: dose.occurredAt,
                  label: `${label} dose ${index + (course.prior ? 1 : 2)}${course.prior ? ' since the record began' : ''} given ${this.at(dose.occurredAt)}`,
                }),
              ),
            ];
            // Each anchor's next dose is the dose recorded after it.
            const nextDose = first ? 0 : 1;
            return anchors.map((anchor, index) => ({
              key: `${step.id}~${course.started.rootId}~${index + 2}`,
              anchor,
              completedByDose: course.doses[index + nextDose],
              course,
            }));
          });
    }
  }

  private eventInstance(stepId: string, item: TimedEvent, perEvent: boolean): Instance {
    return {
      key: perEvent ? `${stepId}~${item.rootId}` : stepId,
      anchor: {
        kind: 'instant',
        at: item.occurredAt,
        label: `the ${item.event.type.replace(/-/g, ' ')} of ${this.at(item.occurredAt)}`,
      },
      triggerEventId: item.event.id,
    };
  }

  private matchingEvents(type: ClinicalEvent['type'], where: Condition | undefined): TimedEvent[] {
    return this.history.filter(
      (item) =>
        item.event.type === type &&
        (!where || evaluate(where, { ...this.baseContext, event: item })),
    );
  }

  /** Why a step does not apply to this episode at all, or undefined when it does. */
  private notApplicableReason(step: StepDefinition): string | undefined {
    if (step.branch === 'conservative') {
      const flags = this.redFlags;
      if (flags.length > 0) {
        return `Not on the routine conservative pathway: red flag (${flags.join(', ')}); the specialist team directs care.`;
      }
    }
    if (step.appliesWhen && !evaluate(step.appliesWhen, this.baseContext)) {
      // Written for people in the definition; the rule text is for the pathway document only.
      return `Applies only when ${step.appliesOnlyWhen ?? describeCondition(step.appliesWhen)}.`;
    }
    return undefined;
  }

  private planInstance(step: StepDefinition, instance: Instance): PlanStep {
    const stoppedOn = instance.course?.stopped
      ? this.calendar.localDate(instance.course.stopped.occurredAt)
      : undefined;
    // A follow-on after a course that ended early is needed now, not at the planned end.
    const endsEarly =
      step.trigger.kind === 'therapy-course' && step.trigger.onStop === 'due-when-stopped';
    const window = this.rescheduled(
      instance.key,
      resolveWindow(step.window, instance.anchor, this.calendar, endsEarly ? stoppedOn : undefined),
    );
    const completion = this.completion(step, instance, window);
    const notes = this.notes(step, window, completion);
    if (completion) {
      return this.stepView(step, instance.key, {
        drug: instance.course?.drug,
        status: 'completed',
        reason: describeCompletion(completion, this.calendar),
        window,
        completion,
        notes,
      });
    }
    if (this.closure) {
      return this.stepView(step, instance.key, {
        drug: instance.course?.drug,
        status: 'cancelled',
        reason: `Cancelled: episode closed (${this.closure.event.reason}) on ${this.day(this.calendar.localDate(this.closure.occurredAt))}.`,
        window,
        notes,
      });
    }
    const notApplicable = this.notApplicableReason(step);
    if (notApplicable)
      return this.stepView(step, instance.key, {
        drug: instance.course?.drug,
        status: 'not-applicable',
        reason: notApplicable,
        window,
        notes,
      });
    if (instance.course?.stopped && !endsEarly) {
      return this.stepView(step, instance.key, {
        drug: instance.course?.drug,
        status: 'cancelled',
        reason: `Cancelled: ${DRUGS[instance.course.drug].label} stopped on ${stoppedOn === undefined ? 'an unknown day' : this.day(stoppedOn)}.`,
        window,
        notes,
      });
    }
    const status: StepStatus = statusAt(window.transitions, this.asOf);
    return this.stepView(step, instance.key, {
      drug: instance.course?.drug,
      status,
      reason: timeReason(status, window.view, this.calendar),
      window,
      notes,
    });
  }

  /**
   * Moves the due reminder where a scheduler rescheduled it. The entry was checked against the
   * window when it was recorded; if a later correction moved the window (a corrected anchor) and
   * the day no longer fits, the planned reminder applies again and the plan says why.
   */
  private rescheduled(key: string, window: ResolvedWindow): ResolvedWindow {
    const item = this.reschedules.get(key);
    if (!item) return window;
    const { event } = item;
    const decidedOn = this.calendar.localDate(item.recordedAt);
    const problem = rescheduleProblem(window.view, event.remindOn, this.calendar);
    if (problem) {
      return {
        ...window,
        view: {
          ...window.view,
          adjustments: [
            ...window.view.adjustments,
            `Reminder rescheduled on ${this.day(decidedOn)} to ${this.day(event.remindOn)} set aside: ${problem.field === 'remindOn' ? 'that day' : 'the step'} ${problem.message}`,
          ],
        },
      };
    }
    const planned = window.reminders.due;
    const from = planned === undefined ? '' : ` from ${this.day(this.calendar.localDate(planned))}`;
    // Who rescheduled it is in the episode's history with their name; an id is not for people.
    return rescheduleDue(
      window,
      event.remindOn,
      this.calendar,
      `Reminder rescheduled${from} to ${this.day(event.remindOn)} on ${this.day(decidedOn)}: ${event.reason}`,
    );
  }

  private completion(
    step: StepDefinition,
    instance: Instance,
    window: ResolvedWindow,
  ): Completion | undefined {
    if (instance.completedByDose) return { item: instance.completedByDose, outcome: 'done' };
    const anchorAt = anchorInstant(instance.anchor, this.calendar);
    for (const item of this.history) {
      const { event } = item;
      if (event.type === 'step-completed') {
        if (event.stepKey === instance.key) return { item, outcome: event.outcome };
        continue;
      }
      if (event.id === instance.triggerEventId) continue;
      for (const rule of step.completedBy) {
        if (rule.event !== event.type) continue;
        const earliest =
          rule.from === 'anchor'
            ? anchorAt
            : rule.from === 'opens'
              ? window.opensFrom
              : Number.NEGATIVE_INFINITY;
        if (item.occurredAt < earliest) continue;
        if (rule.where && !evaluate(rule.where, { ...this.baseContext, event: item })) continue;
        return { item, outcome: 'done' };
      }
    }
    return undefined;
  }

  private notes(
    step: StepDefinition,
    window: ResolvedWindow,
    completion: Completion | undefined,
  ): string[] {
    const notes = [...window.view.adjustments];
    for (const note of step.notes ?? []) {
      if (evaluate(note.when, this.baseContext)) notes.push(note.text);
    }
    const early = step.earlyCompletion;
    if (early && completion && completion.item.occurredAt < window.opensFrom) {
      const then = { ...this.baseContext, current: this.stateAt(completion.item.occurredAt) };
      notes.push(evaluate(early.acceptedWhen, then) ? early.accepted : early.questioned);
    }
    return notes;
  }

  private stepView(
    step: StepDefinition,
    key: string,
    state: {
      status: StepStatus;
      reason: string;
      window?: ResolvedWindow;
      completion?: Completion;
      notes?: string[];
      drug?: BoneTherapyDrug;
    },
  ): PlanStep {
    const urgent =
      state.status !== 'completed' &&
      state.status !== 'cancelled' &&
      state.status !== 'not-applicable' &&
      (step.urgency === 'urgent' ||
        (step.urgency === 'urgent-when-overdue' && state.status === 'overdue'));
    return {
      key,
      stepId: step.id,
      title: step.title,
      why: step.why,
      action: step.action,
      category: step.category,
      sources: step.sources.map(cite),
      kpi: step.kpi,
      status: state.status,
      reason: state.reason,
      urgent,
      window: state.window?.view,
      completion: state.completion && {
        eventId: state.completion.item.event.id,
        eventType: state.completion.item.event.type,
        at: toIso(state.completion.item.occurredAt),
        recordedBy: state.completion.item.event.recordedBy,
        outcome: state.completion.outcome,
      },
      notes: state.notes ?? [],
      ...(state.drug ? { drug: state.drug } : {}),
      ...(step.appointmentEntry && this.appointment ? { appointment: this.appointment } : {}),
    };
  }

  // --- Timers and recommendations --------------------------------------------------------------

  /**
   * The step's timers, in time order: each status change, and each reminder. A reminder that
   * goes out when its status changes (hour windows, or a clinic time of 00:00) is one timer that
   * does both; otherwise the status changes at the start of its day ('open', 'due-day',
   * 'overdue-day') and the reminder follows on its working morning ('due', 'overdue').
   */
  private timers(step: PlanStep): Timer[] {
    if (!step.window || !isActive(step.status)) return [];
    const definition = this.stepDefinitions.get(step.stepId);
    const { transitions, reminders } = step.window;
    const list: [TimerTransition, string][] = [];
    if (transitions.open < transitions.due) list.push(['open', transitions.open]);
    if (reminders.due !== transitions.due) list.push(['due-day', transitions.due]);
    if (reminders.due !== undefined) list.push(['due', reminders.due]);
    if (reminders.overdue !== transitions.overdue) list.push(['overdue-day', transitions.overdue]);
    list.push(['overdue', reminders.overdue]);
    // ISO texts in UTC sort as text; a stable sort keeps status changes before reminders.
    list.sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
    return list.map(([transition, fireAt]) => ({
      id: timerId(this.input.episode.id, step.key, transition, fireAt),
      episodeId: this.input.episode.id,
      stepKey: step.key,
      transition,
      fireAt,
      urgent:
        definition?.urgency === 'urgent' ||
        (definition?.urgency === 'urgent-when-overdue' &&
          statusAt(transitions, Date.parse(fireAt)) === 'overdue'),
    }));
  }

  /**
   * The recommendations whose conditions hold, each stating the dates of the recorded values it
   * was read from. Advice read from a value older than the version's limit is held back, and in
   * its place (where the first of it would stand) the plan asks for the value to be assessed again.
   */
  private recommendations(context: FactContext): PlanRecommendation[] {
    const ages = new Map<RecordedValueKind, RecordedValueAge | undefined>();
    const ageOf = (kind: RecordedValueKind) => {
      if (!ages.has(kind)) {
        const item = context.current && latestRecorded(context.current, kind);
        ages.set(
          kind,
          item &&
            recordedValueAge(
              this.definition,
              kind,
              { eventId: item.event.id, occurredAt: item.occurredAt },
              {
                asOf: this.asOf,
                fractureDate: this.episode.fractureDate,
                calendar: this.calendar,
              },
            ),
        );
      }
      return ages.get(kind);
    };
    const listed: (PlanRecommendation | RecordedValueKind)[] = [];
    const held = new Map<RecordedValueKind, RecommendationDefinition[]>();
    for (const rec of this.definition.recommendations) {
      if (!evaluate(rec.when, context)) continue;
      const basedOn = recordedValuesOf(rec.when).flatMap((kind) => ageOf(kind) ?? []);
      const stale = basedOn.find((age) => age.stale);
      if (!stale) {
        listed.push(this.recommendation(rec, basedOn));
        continue;
      }
      const withheld = held.get(stale.what);
      if (withheld) withheld.push(rec);
      else {
        held.set(stale.what, [rec]);
        listed.push(stale.what);
      }
    }
    return listed.map((item) => {
      if (typeof item !== 'string') return item;
      const age = ageOf(item) as RecordedValueAge;
      return this.reassessment(age, held.get(item) ?? []);
    });
  }

  private recommendation(
    rec: RecommendationDefinition,
    basedOn: readonly RecordedValueAge[],
  ): PlanRecommendation {
    const readFrom =
      basedOn.length > 0 ? ` Read from ${basedOn.map(describeRecordedValue).join(' and ')}.` : '';
    return {
      id: rec.id,
      title: rec.title,
      text: rec.text,
      category: rec.category,
      priority: rec.priority,
      reason: `${rec.because}.${readFrom}`,
      sources: rec.sources.map(cite),
      cautions: (rec.cautions ?? []).map((c) => ({ text: c.text, source: cite(c.source) })),
      contested: rec.contested ?? false,
      conflicts: (rec.conflicts ?? []).map((c) => ({
        position: c.position,
        source: cite(c.source),
      })),
      basedOn,
      withholds: [],
    };
  }

  /** The request to assess a stale value again, in place of the advice it would have given. */
  private reassessment(
    age: RecordedValueAge,
    withheld: readonly RecommendationDefinition[],
  ): PlanRecommendation {
    const limit = this.definition.staleness?.[age.what];
    const name = RECORDED_VALUE_NAMES[age.what];
    const titles = withheld.map((rec) => `“${rec.title}”`).join('; ');
    const basis = age.limitBasis?.kind === 'guideline' ? 'guideline' : 'service standard';
    const priorities = withheld.map((rec) => rec.priority);
    return {
      id: `reassess-${age.what}`,
      title: `${limit?.reassess ?? 'Assess again'}: the latest ${name} is ${age.ageDays} days old`,
      text: `${limit?.action ?? ''} The latest ${name} (${dayInWords(age.on)}) is older than its ${age.limitDays}-day limit, so the advice read from it is held back.`.trim(),
      category: withheld[0]?.category ?? 'holistic-assessment',
      priority: priorities.includes('urgent')
        ? 'urgent'
        : priorities.includes('high')
          ? 'high'
          : 'routine',
      reason: `Recommended because ${describeRecordedValue(age)}, is older than its limit of ${age.limitDays} days (${basis}); it would otherwise give ${titles}.`,
      sources: age.limitBasis?.source ? [cite(age.limitBasis.source)] : [],
      cautions: [],
      contested: false,
      conflicts: [],
      basedOn: [age],
      withholds: withheld.map((rec) => ({ id: rec.id, title: rec.title })),
    };
  }
}

/**
 * The statuses of a step that still needs action, in the order a step passes through them with
 * time (statusAt). The one definition: the database's views build
 * their SQL from it, and its SQL function step_status_is_active (used by the episode summary
 * trigger) is checked against it by a test (packages/database/src/views/active-statuses.integration.test.ts).
 */
export const ACTIVE_STEP_STATUSES = [
  'upcoming',
  'open',
  'due',
  'overdue',
] as const satisfies readonly StepStatus[];

export function isActive(status: StepStatus): boolean {
  return (ACTIVE_STEP_STATUSES as readonly StepStatus[]).includes(status);
}

/**
 * Job ids the queue can use (no ":"), unique per step, transition and time, so that re-planning
 * the same thing gives the same id and moving a reminder gives a new one.
 */
export function timerId(
  episodeId: string,
  stepKey: string,
  transition: TimerTransition,
  fireAt: string,
): string {
  const compact = fireAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${episodeId}_${stepKey}_${transition}_${compact}`;
}

// Source references are frozen definition data, so each citation is built once and shared.
const citations = new WeakMap<SourceRef, Citation>();
/** A source reference as plans and pages show it: the document's title and file, the words. */
export function cite(ref: SourceRef): Citation {
  let citation = citations.get(ref);
  if (!citation) {
    const doc = SOURCE_DOCUMENTS[ref.document];
    citation = Object.freeze({
      document: ref.document,
      title: doc.title,
      file: doc.file,
      section: ref.section,
      quote: ref.quote,
    });
    citations.set(ref, citation);
  }
  return citation;
}

/** Whether a timer sends a reminder ('due', 'overdue'), or only changes the status. */
export function isReminderTimer(transition: string): transition is 'due' | 'overdue' {
  return transition === 'due' || transition === 'overdue';
}

/**
 * What an active step becomes at the instant one of its timers fires: the status, reason and
 * urgency computePlan gives at that instant (a property test holds the two together). Lets the
 * worker apply a timer without re-planning, once it has checked that the timer is still current.
 * The status is the one the window gives at the timer's time (statusAt), for status changes and
 * reminders alike, so a reminder sent on a working morning after a holiday never moves a status.
 */
export function stepAtTimer(
  window: PlanWindow,
  timer: Pick<Timer, 'fireAt' | 'urgent'>,
  settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS,
): { readonly status: StepStatus; readonly reason: string; readonly urgent: boolean } {
  const status = statusAt(window.transitions, Date.parse(timer.fireAt));
  return {
    status,
    reason: timeReason(status, window, serviceCalendar(settings)),
    urgent: timer.urgent,
  };
}

/**
 * Why a step has its status, in the dashboard's date language (docs/ui.md, "Dates"): the
 * guideline dates labelled "Opens", "Due" and "Overdue from"; the working-day dates labelled
 * "Reminder" (the due reminder) and "Escalation" (the overdue reminder). Stored with the plan, so
 * it holds no relative days ("in 3 days"): those are the page's, counted when it is shown.
 */
function timeReason(status: StepStatus, v: PlanWindow, calendar: ServiceCalendar): string {
  // Day windows carry the service's dates; hour windows exact instants, said in local time.
  const at = (when: string) =>
    v.granularity === 'day'
      ? calendar.describeDate(when)
      : calendar.describeInstant(Date.parse(when));
  const moved = v.rescheduledTo
    ? ` Reminder rescheduled to ${calendar.describeDate(v.rescheduledTo)}.`
    : '';
  const dueReminder = dueReminderText(v, calendar);
  switch (status) {
    case 'upcoming':
      return `Opens ${at(v.opens)}; due ${at(v.due)}.${moved}${dueReminder}`;
    case 'open':
      return `Open since ${at(v.opens)}; due ${at(v.due)}.${moved}${dueReminder}`;
    case 'due':
      return `Due ${at(v.due)}; overdue from ${at(v.overdueFrom)}.${moved}${dueReminder}${overdueReminderText(v, calendar)}`;
    default:
      return `Overdue from ${at(v.overdueFrom)}; was due ${at(v.due)}.${moved}${overdueReminderText(v, calendar)}`;
  }
}

/** "Tue 7 Apr 2026 at 09:00": the local day and time a reminder goes out. */
function reminderTime(iso: string, calendar: ServiceCalendar): string {
  const instant = Date.parse(iso);
  return `${calendar.describeDate(calendar.localDate(instant))} at ${calendar.describeTime(instant)}`;
}

/**
 * The sentence saying when the reminder (the due reminder) goes out, when that is not on the due
 * day itself (a weekend or bank holiday moved it, or no working day is left before the step is
 * overdue). Empty for hour windows, a reminder on its due day, and a rescheduled one (said
 * already). Plans stored before reminders were planned apart from status changes have no
 * `reminders`.
 */
function dueReminderText(v: PlanWindow, calendar: ServiceCalendar): string {
  if (v.granularity !== 'day' || v.rescheduledTo || !v.reminders) return '';
  const on = v.reminders.due;
  const due = calendar.describeDate(v.due);
  const why = calendar.describeNonWorkingDay(v.due) ?? 'not a working day';
  if (on === undefined) {
    return ` ${due} is ${why} and no working day is left before the step is overdue: no reminder; the escalation goes out on ${reminderTime(v.reminders.overdue, calendar)}.`;
  }
  const day = calendar.localDate(Date.parse(on));
  if (day === v.due) return '';
  return day > v.due
    ? ` ${due} is ${why}: the reminder goes out on ${reminderTime(on, calendar)}.`
    : ` ${due} is ${why} and the next working day is not before the step is overdue: the reminder goes out on ${reminderTime(on, calendar)}, the last working day before.`;
}

/** The sentence saying when the escalation (the overdue reminder) goes out, when not on the overdue day. */
function overdueReminderText(v: PlanWindow, calendar: ServiceCalendar): string {
  if (v.granularity !== 'day' || !v.reminders) return '';
  const day = calendar.localDate(Date.parse(v.reminders.overdue));
  if (day === v.overdueFrom) return '';
  const why = calendar.describeNonWorkingDay(v.overdueFrom) ?? 'not a working day';
  return ` ${calendar.describeDate(v.overdueFrom)} is ${why}: the escalation goes out on ${reminderTime(v.reminders.overdue, calendar)}.`;
}

/**
 * How a step was completed, in words. Who recorded it is not written here: the plan holds their
 * id (completion.recordedBy), which pages show as the person's name.
 */
function describeCompletion(completion: Completion, calendar: ServiceCalendar): string {
  const { event } = completion.item;
  const on = calendar.describeDate(calendar.localDate(completion.item.occurredAt));
  if (event.type === 'step-completed') {
    const outcome = {
      done: 'done',
      declined: 'declined by the patient',
      'not-indicated': 'not indicated',
    }[completion.outcome];
    return `Recorded as ${outcome} on ${on}${event.note ? `: ${event.note}` : '.'}`;
  }
  const what =
    event.type === 'referral' ? `${event.referralType} referral` : event.type.replace(/-/g, ' ');
  return `Completed by the ${what} of ${on}.`;
}

/** " (corrected; enrolled as ...)" when a correction changed an anchor, so the plan says so. */
function correctedFrom(enrolled: string, current: string): string {
  return enrolled === current ? '' : ` (corrected; enrolled as ${enrolled})`;
}

/** Completed years of age on a date (a 29 February birthday counts from 1 March). */
function ageOn(dateOfBirth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return date.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}
