import type { z } from 'zod';
import { type PathwayRegistry, PUBLISHED_PATHWAYS } from '../pathway/registry.js';
import { genericCompletionProblem } from '../pathway/step-entries.js';
import { appointmentProblems, currentAppointment } from '../plan/appointments.js';
import { computePlan, isActive } from '../plan/compute-plan.js';
import type { Plan } from '../plan/types.js';
import { type RescheduleProblem, rescheduleProblem } from '../plan/window.js';
import { type EpochMs, type ServiceCalendar, toIso } from '../time/calendar.js';
import {
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettings,
  serviceCalendar,
} from '../time/settings.js';
import { carriedDetails, changedDetails, correctedEpisode } from './episode-details.js';
import { type InputIssue, issuesFromZod, PathwayInputError, parseInstant } from './errors.js';
import { isoDateTime } from './fields.js';
import {
  byRecording,
  effectiveHistory,
  type TimedEvent,
  therapyCourses,
  timed,
} from './history.js';
import { priorTherapyProblems, treatmentReviewProblems } from './prior-therapy.js';
import {
  type ClinicalEvent,
  ClinicalEventSchema,
  type Episode,
  type EpisodeDetailField,
  EpisodeSchema,
  type EventOf,
  type Patient,
  PatientSchema,
} from './schemas.js';

export interface ValidationContext {
  /** The current instant, passed in: validation never reads the clock. */
  readonly now: string | number;
  readonly settings?: ServiceSettings;
  /** Where pathway versions are looked up; the published versions unless a test says otherwise. */
  readonly pathways?: PathwayRegistry;
}

interface Resolved {
  readonly now: EpochMs;
  readonly today: string;
  readonly settings: ServiceSettings;
  readonly calendar: ServiceCalendar;
  readonly pathways: PathwayRegistry;
}

function resolve(context: ValidationContext): Resolved {
  const now = parseInstant(context.now, 'now');
  const settings = context.settings ?? DEFAULT_SERVICE_SETTINGS;
  const calendar = serviceCalendar(settings);
  return {
    now,
    today: calendar.localDate(now),
    settings,
    calendar,
    pathways: context.pathways ?? PUBLISHED_PATHWAYS,
  };
}

/**
 * An object schema's fields one by one: the whole input when it is valid, otherwise the fields
 * that are valid on their own (the rest undefined), with every field's problems. The checks that
 * compare fields then run on what is valid, so a form hears of a future date of birth together
 * with a missing sex, not one after the other.
 */
function parseFields<S extends z.ZodObject>(
  schema: S,
  input: unknown,
  path: string,
): { readonly valid: Partial<z.output<S>>; readonly issues: InputIssue[] } {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { valid: result.data, issues: [] };
  const issues = issuesFromZod(path, result.error);
  const valid: Record<string, unknown> = {};
  if (typeof input === 'object' && input !== null) {
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const one = field.safeParse((input as Record<string, unknown>)[key]);
      if (one.success && one.data !== undefined) valid[key] = one.data;
    }
  }
  return { valid: valid as Partial<z.output<S>>, issues };
}

/** Validates a patient. */
export function parsePatient(
  input: unknown,
  context: ValidationContext,
  path = 'patient',
): Patient {
  const { today } = resolve(context);
  const { valid: patient, issues } = parseFields(PatientSchema, input, path);
  if (patient.dateOfBirth !== undefined && patient.dateOfBirth > today)
    issues.push({
      path: `${path}.dateOfBirth`,
      message: `is in the future (${patient.dateOfBirth})`,
    });
  if (issues.length > 0) throw new PathwayInputError(issues);
  return patient as Patient;
}

/** Validates a fracture episode for a patient: fields, then dates against each other and now. */
export function parseEpisode(
  input: unknown,
  context: ValidationContext & { readonly patient: Patient },
  path = 'episode',
): Episode {
  const { now, today, calendar, pathways } = resolve(context);
  // Each check runs when the fields it compares are valid, whatever else is wrong.
  const { valid: episode, issues } = parseFields(EpisodeSchema, input, path);
  const at = (field: string, message: string) => issues.push({ path: `${path}.${field}`, message });
  if (episode.pathwayVersion !== undefined && !pathways.find(episode.pathwayVersion)) {
    at(
      'pathwayVersion',
      `names an unknown pathway version "${episode.pathwayVersion}" (known: ${pathways.versions().join(', ')})`,
    );
  }
  if (episode.patientId !== undefined && episode.patientId !== context.patient.id) {
    at('patientId', `is "${episode.patientId}" but the patient is "${context.patient.id}"`);
  }
  const { fractureDate, identifiedOn, careSetting } = episode;
  if (fractureDate !== undefined && fractureDate > today)
    at('fractureDate', `is in the future (${episode.fractureDate}; today is ${today})`);
  if (identifiedOn !== undefined && identifiedOn > today)
    at('identifiedOn', `is in the future (${episode.identifiedOn}; today is ${today})`);
  if (fractureDate !== undefined && fractureDate < context.patient.dateOfBirth) {
    at('fractureDate', `is before the patient's date of birth (${context.patient.dateOfBirth})`);
  }
  if (identifiedOn !== undefined && fractureDate !== undefined && identifiedOn < fractureDate) {
    at(
      'identifiedOn',
      `is before the date of fracture or symptom onset (${episode.fractureDate}); the fracture cannot be identified before it happened`,
    );
  }
  if (careSetting?.kind === 'admitted') {
    const admittedAt = Date.parse(careSetting.admittedAt);
    if (admittedAt > now) at('careSetting.admittedAt', 'is in the future');
    if (fractureDate !== undefined && calendar.localDate(admittedAt) < fractureDate) {
      at(
        'careSetting.admittedAt',
        `is before the date of fracture or symptom onset (${episode.fractureDate}); for a fracture that happened in hospital, give the time it was diagnosed`,
      );
    }
  }
  if (episode.enrolledAt !== undefined) {
    const enrolledAt = Date.parse(episode.enrolledAt);
    if (enrolledAt > now) at('enrolledAt', 'is in the future');
    if (identifiedOn !== undefined && calendar.localDate(enrolledAt) < identifiedOn) {
      at('enrolledAt', `is before the date the fracture was identified (${identifiedOn})`);
    }
  }
  if (issues.length > 0) throw new PathwayInputError(issues);
  return episode as Episode;
}

/**
 * Validates one new event against the episode and the events already recorded: fields, times,
 * corrections, therapy courses and closure. Nothing is accepted half-checked: either the event
 * is returned, or every problem is reported.
 */
export function parseEvent(
  input: unknown,
  context: ValidationContext & {
    readonly episode: Episode;
    readonly history: readonly ClinicalEvent[];
    /**
     * The episode's patient. Needed to check a step-rescheduled entry against the plan (which
     * steps apply can depend on the patient); other entries are checked without it.
     */
    readonly patient?: Patient;
  },
  path = 'event',
): ClinicalEvent {
  const resolved = resolve(context);
  const parsed = ClinicalEventSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    // The times are still checked when they are readable, so every problem is said at once.
    const timing = readableTimes(input);
    const current = correctedEpisode(context.episode, effectiveHistory(context.history.map(timed)));
    throw new PathwayInputError([
      ...issuesFromZod(path, parsed.error),
      ...(timing ? timeIssues(timing, current, resolved, path) : []),
    ]);
  }
  const event = parsed.data;
  const issues = checkAgainstHistory(
    event,
    { episode: context.episode, patient: context.patient },
    context.history.map(timed),
    resolved,
    path,
  );
  issues.push(...newEntryIssues(event, context.episode, resolved, path));
  if (issues.length > 0) throw new PathwayInputError(issues);
  return event;
}

/**
 * Rules for entries made from now on, which the record's replay does not apply to entries made
 * before they existed (those stay as they were recorded). A generic "step completed" must not
 * stand in for the entry a step needs (a dose, a referral, a result), and stopping a therapy
 * needs its reason.
 */
function newEntryIssues(
  event: ClinicalEvent,
  episode: Episode,
  { pathways }: Resolved,
  path: string,
): InputIssue[] {
  if (event.type === 'step-completed') {
    const stepId = event.stepKey.split('~')[0];
    const step = pathways.find(episode.pathwayVersion)?.steps.find((s) => s.id === stepId);
    const problem = step && genericCompletionProblem(step, event.outcome);
    if (problem) return [{ path: `${path}.outcome`, message: problem }];
  }
  if (event.type === 'bone-therapy-stopped' && !event.reason?.trim()) {
    return [
      {
        path: `${path}.reason`,
        message:
          'must say why the therapy was stopped: stopping bone therapy ends its doses and reviews',
      },
    ];
  }
  return [];
}

/** Validates a whole record (patient, episode, every event in the order they were recorded). */
export function parseEpisodeRecord(
  input: {
    readonly patient: unknown;
    readonly episode: unknown;
    readonly events: readonly unknown[];
  },
  context: ValidationContext,
): { patient: Patient; episode: Episode; events: ClinicalEvent[] } {
  const resolved = resolve(context);
  const patient = parsePatient(input.patient, context);
  const episode = parseEpisode(input.episode, { ...context, patient });
  if (!Array.isArray(input.events))
    throw new PathwayInputError([{ path: 'events', message: 'must be a list of events' }]);
  const issues: InputIssue[] = [];
  const parsed: { item: TimedEvent; index: number }[] = [];
  input.events.forEach((raw, index) => {
    const result = ClinicalEventSchema.safeParse(raw, { reportInput: true });
    if (result.success) parsed.push({ item: timed(result.data), index });
    else issues.push(...issuesFromZod(`events[${index}]`, result.error));
  });
  if (issues.length > 0) throw new PathwayInputError(issues);
  // Replay the log in the order it was written: each entry must have been valid when made.
  parsed.sort((a, b) => byRecording(a.item, b.item));
  const accepted: TimedEvent[] = [];
  for (const { item, index } of parsed) {
    const problems = checkAgainstHistory(
      item.event,
      { episode, patient },
      accepted,
      resolved,
      `events[${index}]`,
    );
    if (problems.length > 0) issues.push(...problems);
    else accepted.push(item);
  }
  if (issues.length > 0) throw new PathwayInputError(issues);
  return { patient, episode, events: accepted.map((item) => item.event) };
}

/** When an entry happened and was recorded, from input that failed its schema, if readable. */
function readableTimes(
  input: unknown,
): { occurredAt: EpochMs; recordedAt: EpochMs; type: unknown } | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { occurredAt, recordedAt, type } = input as Record<string, unknown>;
  const instant = isoDateTime();
  const occurred = instant.safeParse(occurredAt);
  const recorded = instant.safeParse(recordedAt);
  if (!occurred.success || !recorded.success) return undefined;
  return {
    occurredAt: Date.parse(occurred.data) as EpochMs,
    recordedAt: Date.parse(recorded.data) as EpochMs,
    type,
  };
}

/** An entry's times against now, each other and the fracture date. */
function timeIssues(
  item: { readonly occurredAt: EpochMs; readonly recordedAt: EpochMs; readonly type: unknown },
  current: Episode,
  { now, calendar }: Resolved,
  path: string,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const at = (field: string, message: string) => issues.push({ path: `${path}.${field}`, message });
  if (item.recordedAt > now) at('recordedAt', 'is in the future');
  if (item.occurredAt > item.recordedAt)
    at(
      'occurredAt',
      `must not be after the time it is recorded (${new Date(item.recordedAt).toISOString()}): an event cannot be recorded before it happens`,
    );
  if (item.occurredAt < calendar.startOfDay(current.fractureDate)) {
    at(
      'occurredAt',
      `is before the date of fracture or symptom onset (${current.fractureDate})${
        item.type === 'bone-therapy-started'
          ? '; for therapy the patient was already taking, record prior-bone-therapy (today, with the real start date) instead'
          : ''
      }`,
    );
  }
  return issues;
}

function checkAgainstHistory(
  event: ClinicalEvent,
  { episode, patient }: { readonly episode: Episode; readonly patient: Patient | undefined },
  history: readonly TimedEvent[],
  resolved: Resolved,
  path: string,
): InputIssue[] {
  const { calendar, pathways } = resolved;
  const issues: InputIssue[] = [];
  const at = (field: string, message: string) => issues.push({ path: `${path}.${field}`, message });
  const item = timed(event);
  const effective = effectiveHistory(history);
  // Entries are checked against the episode as corrected so far, not as first enrolled.
  const current = correctedEpisode(episode, effective);

  if (history.some((h) => h.event.id === event.id))
    at('id', `"${event.id}" is already used by another entry in this episode`);
  issues.push(...timeIssues({ ...item, type: event.type }, current, resolved, path));
  if (item.recordedAt < Date.parse(episode.enrolledAt))
    at('recordedAt', 'is before the episode was enrolled');
  if (event.supersedes !== undefined) {
    const target = history.find((h) => h.event.id === event.supersedes);
    if (!target) {
      at('supersedes', `names "${event.supersedes}", which is not an entry of this episode`);
    } else if (target.event.type === 'retraction') {
      at(
        'supersedes',
        `names "${event.supersedes}", a withdrawal; a withdrawal cannot be undone, so record the entry again instead`,
      );
    } else if (!effective.some((h) => h.event.id === target.event.id)) {
      at(
        'supersedes',
        `names "${event.supersedes}", which has already been corrected or withdrawn; correct the latest version instead`,
      );
    } else if (event.type !== 'retraction' && target.event.type !== event.type) {
      at(
        'type',
        `must match the entry it corrects ("${target.event.type}"); to withdraw an entry use a retraction`,
      );
    }
  }

  const closure = effective.findLast((h) => h.event.type === 'closure');
  const touchesClosure = event.supersedes !== undefined && event.supersedes === closure?.event.id;
  if (closure && !touchesClosure) {
    at(
      'type',
      `cannot be recorded: the episode was closed on ${calendar.localDate(closure.occurredAt)}; withdraw or correct the closure first`,
    );
  }

  if (event.type === 'step-completed') {
    const definition = pathways.find(episode.pathwayVersion);
    const stepId = event.stepKey.split('~')[0];
    if (definition && !definition.steps.some((s) => s.id === stepId)) {
      at(
        'stepKey',
        `names "${event.stepKey}", which is not a step of pathway ${episode.pathwayVersion}`,
      );
    }
  }

  if (event.type === 'prior-bone-therapy') {
    const definition = pathways.find(episode.pathwayVersion);
    if (definition && !definition.priorTherapy) {
      at(
        'type',
        `cannot be recorded under pathway ${episode.pathwayVersion}, which plans every course from a start recorded since the fracture; pathway ${pathways.current} and later read therapy taken before the fracture`,
      );
    }
    for (const problem of priorTherapyProblems(
      event,
      current.fractureDate,
      calendar.localDate(item.occurredAt),
    )) {
      at(problem.field, problem.message);
    }
  }

  if (event.type === 'treatment-review') {
    for (const problem of treatmentReviewProblems(event)) at(problem.field, problem.message);
    const { courses } = therapyCourses(effective);
    const running = courses.some(
      (course) =>
        course.drug === event.drug &&
        (course.prior !== undefined || course.started.occurredAt <= item.occurredAt) &&
        !(course.stopped && course.stopped.occurredAt <= item.occurredAt),
    );
    if (!running) {
      at(
        'drug',
        `names ${event.drug}, but no course of it is running at the time of the review; record prior-bone-therapy (taken before the fracture) or bone-therapy-started first`,
      );
    }
  }

  if (event.type === 'episode-details-corrected' || event.supersedes !== undefined) {
    issues.push(
      ...episodeDetailsIssues(event, item, { episode, current, patient }, history, resolved, path),
    );
  }

  if (event.type === 'dxa-appointment') {
    const definition = pathways.find(episode.pathwayVersion);
    if (definition && !definition.steps.some((s) => s.appointmentEntry === 'dxa-appointment')) {
      const recording = pathways
        .versions()
        .filter((version) =>
          pathways.find(version)?.steps.some((s) => s.appointmentEntry === 'dxa-appointment'),
        );
      at(
        'type',
        `cannot be recorded under pathway ${episode.pathwayVersion}, which records no DXA appointments${recording.length > 0 ? `; pathway ${recording.join(', ')} does` : ''}`,
      );
    } else {
      // The appointment in effect without this entry (and without the one it corrects).
      const before = currentAppointment(
        effective.filter((h) => h.event.id !== event.supersedes),
        toIso,
      );
      const recordedOn = calendar.localDate(item.recordedAt);
      for (const problem of appointmentProblems(event, before, {
        fractureDate: current.fractureDate,
        recordedOn,
        latest: calendar.addToDate(recordedOn, { years: 1 }),
      })) {
        at(problem.field, problem.message);
      }
    }
  }

  if (event.type === 'step-rescheduled' && !closure) {
    if (!patient) {
      // A programming error, not bad input: the caller must pass the patient (see parseEvent).
      throw new Error('parseEvent needs context.patient to check a step-rescheduled entry');
    }
    const plan = computePlan({
      patient,
      episode,
      events: history.map((h) => h.event),
      asOf: item.recordedAt,
      settings: resolved.settings,
      pathways,
    });
    const problem = rescheduleIssue(event, plan, calendar.localDate(item.recordedAt), resolved);
    if (problem) at(problem.field, problem.message);
  }

  const therapyEvent =
    event.type === 'bone-therapy-started' ||
    event.type === 'bone-therapy-dose' ||
    event.type === 'bone-therapy-stopped' ||
    event.type === 'prior-bone-therapy';
  if (therapyEvent || event.supersedes !== undefined) {
    issues.push(...lastDoseIssues(event, effectiveHistory([...history, item]), calendar, path));
    const known = new Set(therapyCourses(effective).problems.map((p) => p.eventId));
    for (const problem of therapyCourses(effectiveHistory([...history, item])).problems) {
      if (problem.eventId === event.id) at('drug', problem.message);
      // A correction or withdrawal must not leave other entries inconsistent (doses with no start).
      else if (!known.has(problem.eventId)) {
        at(
          event.supersedes === undefined ? 'occurredAt' : 'supersedes',
          `would leave entry ${problem.eventId} inconsistent: ${problem.message}`,
        );
      }
    }
  }
  return issues;
}

/**
 * A dose recorded since enrolment must come after the last dose the prior therapy reported, or
 * the next dose would be planned from the wrong one. Reported on whichever of the two this entry is.
 */
function lastDoseIssues(
  event: ClinicalEvent,
  effectiveAfter: readonly TimedEvent[],
  calendar: ServiceCalendar,
  path: string,
): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const course of therapyCourses(effectiveAfter).courses) {
    const lastDoseOn = course.prior?.lastDoseOn;
    if (lastDoseOn === undefined) continue;
    for (const dose of course.doses) {
      const givenOn = calendar.localDate(dose.occurredAt);
      if (givenOn > lastDoseOn) continue;
      if (dose.event.id === event.id) {
        issues.push({
          path: `${path}.occurredAt`,
          message: `is on or before the last dose reported with the prior therapy (${lastDoseOn}, entry ${course.started.event.id}); correct that entry if this dose is the latest`,
        });
      } else if (course.started.event.id === event.id) {
        issues.push({
          path: `${path}.lastDoseOn`,
          message: `is on or after the dose recorded on ${givenOn} (entry ${dose.event.id}); give the last dose before that one, or correct the dose entry`,
        });
      }
    }
  }
  return issues;
}

/** What each episode detail is called in a message that is not beside its own field. */
const DETAIL_WORDS: Readonly<Record<string, string>> = {
  fractureDate: 'date of fracture',
  identifiedOn: 'date identified',
  'careSetting.admittedAt': 'admission time',
  enrolledAt: 'enrolment time',
  vertebralLevels: 'fractured levels',
};

/**
 * When a problem found in the corrected episode lies in a detail the correction left alone, the
 * detail it did change that caused it (a later fracture date puts the unchanged identification
 * date before it).
 */
const CAUSED_BY: Readonly<Record<string, EpisodeDetailField>> = {
  identifiedOn: 'fractureDate',
  'careSetting.admittedAt': 'fractureDate',
  enrolledAt: 'identifiedOn',
};

/**
 * Checks an entry that changes the episode's details (a correction of them, or the correction or
 * withdrawal of one) the way enrolment checks them: the episode it leaves must pass parseEpisode
 * as of the moment the entry is made, and no entry in effect may then fall before the date of
 * fracture. A correction must also change something. Problems name the field the entry carries.
 */
function episodeDetailsIssues(
  event: ClinicalEvent,
  item: TimedEvent,
  {
    episode,
    current,
    patient,
  }: {
    readonly episode: Episode;
    readonly current: Episode;
    readonly patient: Patient | undefined;
  },
  history: readonly TimedEvent[],
  resolved: Resolved,
  path: string,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const effectiveAfter = effectiveHistory([...history, item]);
  const after = correctedEpisode(episode, effectiveAfter);
  const carried = new Set<string>(
    event.type === 'episode-details-corrected' ? Object.keys(carriedDetails(event)) : [],
  );
  if (event.type === 'episode-details-corrected') {
    // Compared with the episode as it would be without this entry (the entry it corrects, if
    // any, set aside): carrying only the values already in effect changes nothing.
    const without = correctedEpisode(
      episode,
      effectiveAfter.filter((h) => h.event.id !== event.id),
    );
    const changed = new Set(changedDetails(without, after));
    if (![...carried].some((field) => changed.has(field as EpisodeDetailField))) {
      issues.push({
        path: `${path}.type`,
        message: `changes nothing: the episode already has these details (${[...carried].join(', ')}); a correction must change at least one`,
      });
      return issues;
    }
  } else if (changedDetails(current, after).length === 0) {
    return issues;
  }
  if (!patient) {
    // A programming error, not bad input: the caller must pass the patient (see parseEvent).
    throw new Error('parseEvent needs context.patient to check a change of the episode details');
  }
  const blame = (field: string): { path: string; prefix: string } => {
    const top = field.split('.')[0] as string;
    if (carried.has(top)) return { path: `${path}.${field}`, prefix: '' };
    const cause = CAUSED_BY[field];
    const words = `the ${DETAIL_WORDS[field] ?? field} (${detailValue(after, field)}) `;
    if (cause && carried.has(cause))
      return { path: `${path}.${cause}`, prefix: `with this correction, ${words}` };
    // A withdrawal or correction that brings back an earlier version of the details.
    return {
      path: `${path}.${event.type === 'episode-details-corrected' ? 'type' : 'supersedes'}`,
      prefix: `would leave the episode inconsistent: ${words}`,
    };
  };
  try {
    parseEpisode(
      after,
      {
        now: item.recordedAt,
        settings: resolved.settings,
        pathways: resolved.pathways,
        patient,
      },
      'episode',
    );
  } catch (error) {
    if (!(error instanceof PathwayInputError)) throw error;
    for (const issue of error.issues) {
      const field = issue.path.replace(/^episode\.?/, '');
      const { path: where, prefix } = blame(field);
      issues.push({ path: where, message: `${prefix}${issue.message}` });
    }
  }
  const floor = resolved.calendar.startOfDay(after.fractureDate);
  for (const entry of effectiveAfter) {
    // Prior therapy's own dates must still fit a corrected date of fracture.
    if (entry !== item && entry.event.type === 'prior-bone-therapy') {
      const takenOn = resolved.calendar.localDate(entry.occurredAt);
      for (const problem of priorTherapyProblems(entry.event, after.fractureDate, takenOn)) {
        issues.push({
          path: blame('fractureDate').path,
          message: `would leave entry ${entry.event.id} (prior-bone-therapy) inconsistent: its ${problem.field} ${problem.message}; correct that entry first`,
        });
      }
    }
    if (entry.occurredAt >= floor) continue;
    if (entry === item) {
      issues.push({
        path: `${path}.occurredAt`,
        message: `is before the corrected date of fracture or symptom onset (${after.fractureDate})`,
      });
      continue;
    }
    const stranded = `entry ${entry.event.id} (${entry.event.type} of ${resolved.calendar.localDate(entry.occurredAt)})`;
    issues.push(
      carried.has('fractureDate')
        ? {
            path: `${path}.fractureDate`,
            message: `would leave ${stranded} before the date of fracture or symptom onset (${after.fractureDate}); correct or withdraw that entry first`,
          }
        : {
            path: blame('fractureDate').path,
            message: `would bring back the date of fracture ${after.fractureDate}, leaving ${stranded} before it; correct or withdraw that entry first`,
          },
    );
  }
  return issues;
}

function detailValue(episode: Episode, field: string): string {
  if (field === 'careSetting.admittedAt')
    return episode.careSetting.kind === 'admitted' ? episode.careSetting.admittedAt : 'none';
  const value = (episode as unknown as Record<string, unknown>)[field];
  return Array.isArray(value) ? value.join(', ') : String(value);
}

const SETTLED_STATUS: Readonly<Record<string, string>> = {
  completed: 'already completed',
  cancelled: 'cancelled',
  'not-applicable': 'not applicable to this patient',
};

/**
 * Whether a scheduler may move a step's due reminder now: the step must be in the plan as it
 * stood when the entry was made, still need action, not yet be overdue (the overdue limit is
 * clinical), and the day must be in the step's window (window.ts rescheduleProblem) and not past.
 */
function rescheduleIssue(
  event: EventOf<'step-rescheduled'>,
  plan: Plan,
  today: string,
  { calendar, pathways }: Resolved,
): RescheduleProblem | undefined {
  const step = plan.steps.find((s) => s.key === event.stepKey);
  if (!step) {
    const stepId = event.stepKey.split('~')[0];
    const known = pathways.find(plan.pathwayVersion)?.steps.some((s) => s.id === stepId);
    return {
      field: 'stepKey',
      message: known
        ? `names "${event.stepKey}", which is not in this episode's plan (nothing has started it yet)`
        : `names "${event.stepKey}", which is not a step of pathway ${plan.pathwayVersion}`,
    };
  }
  if (!isActive(step.status) || !step.window) {
    return {
      field: 'stepKey',
      message: `names "${step.title}", which is ${SETTLED_STATUS[step.status] ?? step.status}; only a step still to be done has a reminder to move`,
    };
  }
  if (step.status === 'overdue') {
    return {
      field: 'stepKey',
      message: `names "${step.title}", which has been overdue since ${step.window.overdueFrom}; the overdue limit is clinical, so an overdue step cannot be rescheduled`,
    };
  }
  const problem = rescheduleProblem(step.window, event.remindOn, calendar);
  if (problem) return problem;
  if (event.remindOn < today) {
    return {
      field: 'remindOn',
      message: `is in the past (today is ${today}); choose today or a later working day before ${step.window.overdueFrom}`,
    };
  }
  return undefined;
}
