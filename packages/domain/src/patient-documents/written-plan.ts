import { Temporal } from 'temporal-polyfill';
import type { PathwayDefinition, PatientWording } from '../pathway/definition.js';
import { firstStaleDay } from '../pathway/staleness.js';
import { cite } from '../plan/compute-plan.js';
import type { Citation, Plan, PlanRecommendation, PlanStep } from '../plan/types.js';
import type { ServiceCalendar } from '../time/calendar.js';
import {
  describeCivilDate,
  describeCivilDateInFull,
  fromEpochDay,
  toEpochDay,
} from '../time/civil-date.js';
import {
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettings,
  serviceCalendar,
} from '../time/settings.js';
import { documentDeadline } from './deadline.js';
import {
  PATIENT_WORDING_PLACEHOLDERS,
  type PatientInformation,
  type PatientWordingPlaceholder,
} from './patient-information.js';

/**
 * The patient's written plan: plain-English wording from the episode's pathway version, filled
 * with the patient's own dates from the episode's plan. Pure: the plan, its definition, the
 * patient's name and `now` go in; a typed WrittenPlan (or a typed refusal saying why) comes out.
 * It decides nothing of its own: which advice applies is the plan's, what it says is the
 * version's, and every date is one of the plan's dates (or the fracture date plus the version's
 * 12-week phase limit, the day the lifting restriction ends).
 */

/** A date as the patient reads it ("Monday 12 April 2027") and as the structure keeps it. */
export interface WrittenPlanDate {
  readonly iso: string;
  readonly words: string;
}

/** Where a piece of the plan's wording comes from. */
export type WrittenPlanSource =
  | { readonly kind: 'guidance'; readonly citation: Citation }
  | { readonly kind: 'service-standard'; readonly explanation: string };

export type WrittenPlanDateRole = 'opens' | 'due' | 'restriction-ends' | 'fracture' | 'pain-score';

export interface WrittenPlanItemDate {
  readonly role: WrittenPlanDateRole;
  readonly date: WrittenPlanDate;
  /**
   * For a deadline the plan sets on a weekend or bank holiday: the plan's own date, when the
   * text gives the working day before it (deadline.ts), never a later one.
   */
  readonly guideline?: WrittenPlanDate & { readonly notWorkingBecause: string };
}

export interface WrittenPlanItem {
  /** A heading for the item (steps: "Your bone scan"). */
  readonly title?: string;
  readonly text: string;
  readonly source: WrittenPlanSource;
  /** Every date the text names, with what it is. */
  readonly dates: readonly WrittenPlanItemDate[];
  /** The step (its key in the plan) or recommendation it comes from, if any. */
  readonly from?: { readonly stepKey: string } | { readonly recommendationId: string };
}

export type WrittenPlanSectionId =
  | 'what-happened'
  | 'specialist-care'
  | 'your-dates'
  | 'pain-relief'
  | 'moving'
  | 'bones'
  | 'get-help'
  | 'support';

export interface WrittenPlanSection {
  readonly id: WrittenPlanSectionId;
  readonly heading: string;
  readonly items: readonly WrittenPlanItem[];
}

/** How the pain relief section was chosen. */
export type PainAdvice =
  | { readonly kind: 'band'; readonly recommendationId: string; readonly scoreOn: string }
  | {
      readonly kind: 'stale';
      readonly scoreOn: string;
      /** The first day the score was too old (pathway/staleness.ts firstStaleDay). */
      readonly staleSince: string;
      readonly limitDays: number;
    }
  | { readonly kind: 'no-score' }
  | { readonly kind: 'specialist-team' };

export interface WrittenPlan {
  readonly pathwayVersion: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly patientName: string;
  /** The instant it was produced, and the plan's own instant (the same service day). */
  readonly producedAt: string;
  readonly producedOn: WrittenPlanDate;
  readonly planAsOf: string;
  readonly branch: Plan['branch'];
  readonly fractureDate: WrittenPlanDate;
  /** The fracture date plus the version's 12-week limit (the end of the subacute phase). */
  readonly restrictionEnds: WrittenPlanDate;
  readonly painAdvice: PainAdvice;
  /** The service's contact the patient is told to call (also said in the 'get-help' section). */
  readonly contact: WrittenPlanContact;
  readonly sections: readonly WrittenPlanSection[];
}

/** The fracture liaison service's contact, from the service's configuration. */
export interface WrittenPlanContact {
  readonly name: string;
  readonly telephone?: string;
  readonly openingHours?: string;
}

export type WrittenPlanRefusal = {
  readonly reason:
    | 'no-patient-wording'
    | 'version-mismatch'
    | 'plan-not-current'
    | 'episode-closed'
    | 'no-name'
    | 'no-contact';
  readonly message: string;
};

export type WrittenPlanResult =
  | { readonly ok: true; readonly plan: WrittenPlan }
  | ({ readonly ok: false } & WrittenPlanRefusal);

export interface WrittenPlanInput {
  /** The episode's plan (computePlan), as of `now`'s service day. */
  readonly plan: Plan;
  /** The plan's own pathway version. */
  readonly definition: PathwayDefinition;
  readonly patientName: string;
  /** ISO instant. */
  readonly now: string;
  /** The service's contact (name, telephone and opening hours if configured). */
  readonly contact: WrittenPlanContact;
  /**
   * The service's settings, for its working days (bank holidays); the plan's own time zone is
   * used. Defaults to the default settings.
   */
  readonly settings?: ServiceSettings;
}

const HEADINGS: Readonly<Record<WrittenPlanSectionId, string>> = {
  'what-happened': 'What has happened',
  'specialist-care': 'Your care',
  'your-dates': 'Your dates',
  'pain-relief': 'Pain relief',
  moving: 'Moving safely',
  bones: 'Looking after your bones',
  'get-help': 'Get help at once',
  support: 'Help and support',
};

/** "Monday 12 April 2027": a calendar date (YYYY-MM-DD) as a patient reads it. */
export function patientDate(iso: string): WrittenPlanDate {
  return { iso, words: describeCivilDateInFull(iso) };
}

const localDay = (instant: string, timeZone: string): string =>
  Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();

const addDays = (date: string, days: number): string => fromEpochDay(toEpochDay(date) + days);

/** A window bound as a calendar day: day windows are dates; hour windows are instants. */
const windowDay = (value: string, timeZone: string): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDay(value, timeZone);

const ACTIVE: readonly PlanStep['status'][] = ['upcoming', 'open', 'due', 'overdue'];

const ROLE_OF: Readonly<Record<PatientWordingPlaceholder, WrittenPlanDateRole>> = {
  opens: 'opens',
  due: 'due',
  restrictionEnds: 'restriction-ends',
  fractureDate: 'fracture',
  painScoreDate: 'pain-score',
};

/** The placeholders a wording uses, in order; an unknown one is a mistake in the definition. */
export function placeholdersOf(text: string): PatientWordingPlaceholder[] {
  return [...text.matchAll(/\{([^}]*)\}/g)].map((match) => {
    const name = match[1] as PatientWordingPlaceholder;
    if (!PATIENT_WORDING_PLACEHOLDERS.includes(name))
      throw new Error(`patient wording names an unknown placeholder {${match[1]}}: "${text}"`);
    return name;
  });
}

function sourceOf(wording: PatientWording): WrittenPlanSource {
  return 'serviceStandard' in wording.source
    ? { kind: 'service-standard', explanation: wording.source.serviceStandard }
    : { kind: 'guidance', citation: cite(wording.source) };
}

function fill(
  wording: PatientWording & { readonly title?: string },
  values: Partial<Record<PatientWordingPlaceholder, string>>,
  from?: WrittenPlanItem['from'],
): WrittenPlanItem {
  const dates: WrittenPlanItemDate[] = [];
  for (const name of placeholdersOf(wording.text)) {
    const iso = values[name];
    if (iso === undefined)
      throw new Error(`patient wording needs {${name}}, which this item has no date for`);
    dates.push({ role: ROLE_OF[name], date: patientDate(iso) });
  }
  const text = wording.text.replace(
    /\{([^}]*)\}/g,
    (_, name: PatientWordingPlaceholder) => patientDate(values[name] as string).words,
  );
  return {
    ...(wording.title ? { title: wording.title } : {}),
    text,
    source: sourceOf(wording),
    dates,
    ...(from ? { from } : {}),
  };
}

/** Builds the written plan, or refuses with a message saying why and what to do. */
export function buildWrittenPlan(input: WrittenPlanInput): WrittenPlanResult {
  const { plan, definition, now } = input;
  const patientName = input.patientName.trim();
  if (definition.version !== plan.pathwayVersion)
    return {
      ok: false,
      reason: 'version-mismatch',
      message: `The plan was made under pathway ${plan.pathwayVersion} but the wording given is pathway ${definition.version}'s; a written plan uses the wording of the episode's own version.`,
    };
  const info = definition.patientInformation;
  if (!info)
    return {
      ok: false,
      reason: 'no-patient-wording',
      message: `No written plan can be produced for this episode: it is planned under pathway ${definition.version}, which has no patient wording (written plans start with pathway version 3, ros-2022.3). Give the patient the service's printed information instead, or move the episode to the current version.`,
    };
  const today = localDay(now, plan.timeZone);
  const planDay = localDay(plan.asOf, plan.timeZone);
  if (planDay !== today || Date.parse(plan.asOf) > Date.parse(now))
    return {
      ok: false,
      reason: 'plan-not-current',
      message: `The plan is as of ${plan.asOf} (${planDay}), not today (${today}): compute the plan as of now before producing the written plan, so its dates and advice are today's.`,
    };
  if (plan.closure)
    return {
      ok: false,
      reason: 'episode-closed',
      message: `The episode is closed (${plan.closure.reason}), so its plan gives the patient nothing more to do: no written plan is produced for it.`,
    };
  if (patientName === '')
    return { ok: false, reason: 'no-name', message: 'The patient’s name is missing.' };
  const contact = contactOf(input.contact);
  if (!contact)
    return {
      ok: false,
      reason: 'no-contact',
      message:
        'The service’s name is missing, so the written plan cannot say whom to call: set LETTER_SERVICE_NAME.',
    };

  const fractureDate = addDays(today, -plan.daysSinceFracture);
  const restrictionEnds = addDays(fractureDate, definition.phases.subacuteUntilDay);
  const common = { fractureDate, restrictionEnds };
  const redFlag = plan.branch === 'red-flag';

  const recommendation = (id: string) => plan.recommendations.find((rec) => rec.id === id);
  const wordingOf = (id: string) =>
    definition.recommendations.find((rec) => rec.id === id)?.patient;
  const recommendationItems = (ids: readonly string[]) =>
    ids.flatMap((id) => {
      const applied = recommendation(id);
      const wording = wordingOf(id);
      return applied && wording ? [fill(wording, common, { recommendationId: id })] : [];
    });

  const sections: WrittenPlanSection[] = [];
  const section = (id: WrittenPlanSectionId, items: readonly WrittenPlanItem[]) => {
    if (items.length > 0) sections.push({ id, heading: HEADINGS[id], items });
  };

  if (redFlag) {
    section('specialist-care', [
      ...info.specialistCare.general.map((w) => fill(w, common)),
      ...recommendationItems(info.specialistCare.recommendations),
    ]);
  } else {
    section(
      'what-happened',
      info.whatHappened.map((w) => fill(w, common)),
    );
  }

  const calendar = serviceCalendar({
    ...(input.settings ?? DEFAULT_SERVICE_SETTINGS),
    timeZone: plan.timeZone,
  });
  section('your-dates', dateItems(plan, definition, info, common, redFlag, calendar));

  let painAdvice: PainAdvice = { kind: 'specialist-team' };
  if (!redFlag) {
    const pain = painItems(plan, info, common, wordingOf);
    painAdvice = pain.advice;
    section('pain-relief', pain.items);
    section('moving', [
      ...recommendationItems(info.movement.recommendations),
      ...info.movement.general.map((w) => fill(w, common)),
    ]);
    section('bones', recommendationItems(info.bones.recommendations));
  }

  section('get-help', [
    fill(info.redFlags.intro, common),
    ...info.redFlags.signs.map((w) => fill(w, common)),
    ...info.redFlags.whatToDo.map((w) => fill(w, common)),
    contactItem(contact),
  ]);
  section('support', [
    ...info.signposting.text.map((w) => fill(w, common)),
    fill(info.signposting.helpline, common),
    fill(info.signposting.email, common),
    fill(info.signposting.website, common),
  ]);

  return {
    ok: true,
    plan: {
      pathwayVersion: plan.pathwayVersion,
      episodeId: plan.episodeId,
      patientId: plan.patientId,
      patientName,
      producedAt: new Date(Date.parse(now)).toISOString(),
      producedOn: patientDate(today),
      planAsOf: plan.asOf,
      branch: plan.branch,
      fractureDate: patientDate(fractureDate),
      restrictionEnds: patientDate(restrictionEnds),
      painAdvice,
      contact,
      sections,
    },
  };
}

function contactOf(given: WrittenPlanContact): WrittenPlanContact | undefined {
  const name = given.name.trim();
  if (name === '') return undefined;
  const telephone = given.telephone?.trim();
  const openingHours = given.openingHours?.trim();
  return {
    name,
    ...(telephone ? { telephone } : {}),
    ...(openingHours ? { openingHours } : {}),
  };
}

/** Whom "call your nurse" means: the service's name and telephone, or how to get the number. */
function contactItem(contact: WrittenPlanContact): WrittenPlanItem {
  const hours = contact.openingHours ? ` Open ${contact.openingHours}.` : '';
  const text = contact.telephone
    ? `Your fracture liaison nurse team: ${contact.name}, telephone ${contact.telephone}.${hours}`
    : `Your fracture liaison nurse team: ${contact.name}. Ask at your next appointment for the team's telephone number.${hours}`;
  return {
    text,
    source: {
      kind: 'service-standard',
      explanation:
        'The plan tells the patient to call their nurse; this gives the fracture liaison service’s own name and telephone number from the service’s configuration (the same contact as its letters), so the patient knows whom to call. With no telephone configured it tells the patient how to get the number.',
    },
    dates: [],
  };
}

function dateItems(
  plan: Plan,
  definition: PathwayDefinition,
  info: PatientInformation,
  common: { fractureDate: string; restrictionEnds: string },
  redFlag: boolean,
  calendar: ServiceCalendar,
): WrittenPlanItem[] {
  const today = localDay(plan.asOf, plan.timeZone);
  const items = info.dates.steps.flatMap((stepId) => {
    const step = definition.steps.find((s) => s.id === stepId);
    const wording = step?.patient;
    if (!step || !wording) return [];
    // On the red-flag branch only the steps that apply whatever the branch (the plan sets the
    // conservative ones aside; this keeps the written plan from ever showing one).
    if (redFlag && step.branch !== 'all') return [];
    return plan.steps
      .filter((s) => s.stepId === stepId && ACTIVE.includes(s.status) && s.window)
      .map((s) => {
        const window = s.window as NonNullable<PlanStep['window']>;
        const values = {
          ...common,
          opens: windowDay(window.opens, plan.timeZone),
          due: windowDay(window.due, plan.timeZone),
        };
        // A late step the patient must act on (a dose) says so plainly, in its own words, from
        // the day after its due day (the plan marks it overdue only later, after its grace).
        const isLate = s.status === 'overdue' || (s.status === 'due' && values.due < today);
        if (isLate && wording.overdue)
          return fill({ ...wording.overdue, title: wording.title }, values, { stepKey: s.key });
        // A deadline still ahead on a weekend or bank holiday: the working day before it, so the
        // patient is never told a day later than the plan's (HAZ-024). A passed one stays as it was.
        const deadline = documentDeadline(values, today, calendar);
        if (deadline.movedBecause) {
          const moved = fill(wording, { ...values, due: deadline.date }, { stepKey: s.key });
          const guideline = {
            ...patientDate(deadline.guidelineDate),
            notWorkingBecause: deadline.movedBecause,
          };
          return {
            ...moved,
            dates: moved.dates.map((d) => (d.role === 'due' ? { ...d, guideline } : d)),
          };
        }
        const item = fill(wording, values, { stepKey: s.key });
        if (s.status !== 'overdue') return item;
        const late = fill(info.dates.late, common);
        return { ...item, text: `${item.text} ${late.text}` };
      });
  });
  // Soonest first, as the patient meets them; the version's order breaks ties.
  const first = (item: WrittenPlanItem) => item.dates[0]?.date.iso ?? '9999-12-31';
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => first(a.item).localeCompare(first(b.item)) || a.index - b.index)
    .map(({ item }) => item);
}

function painItems(
  plan: Plan,
  info: PatientInformation,
  common: { fractureDate: string; restrictionEnds: string },
  wordingOf: (id: string) => PatientWording | undefined,
): { advice: PainAdvice; items: WrittenPlanItem[] } {
  const band = plan.recommendations.find((rec) => info.painRelief.recommendations.includes(rec.id));
  const wording = band && wordingOf(band.id);
  const scoreOf = (rec: PlanRecommendation) =>
    rec.basedOn.find((basis) => basis.what === 'pain-assessment');
  if (band && wording) {
    const score = scoreOf(band);
    const items = [fill(wording, common, { recommendationId: band.id })];
    if (score) items.push(fill(info.painRelief.basedOn, { ...common, painScoreDate: score.on }));
    return {
      advice: { kind: 'band', recommendationId: band.id, scoreOn: score?.on ?? '' },
      items,
    };
  }
  const stale = plan.recommendations
    .flatMap((rec) => rec.basedOn)
    .find((basis) => basis.what === 'pain-assessment' && basis.stale);
  if (stale?.limitDays !== undefined)
    return {
      advice: {
        kind: 'stale',
        scoreOn: stale.on,
        staleSince: firstStaleDay(stale.on, stale.limitDays),
        limitDays: stale.limitDays,
      },
      items: [fill(info.painRelief.staleScore, { ...common, painScoreDate: stale.on })],
    };
  return { advice: { kind: 'no-score' }, items: [fill(info.painRelief.noScore, common)] };
}

/**
 * What the nurse must know before producing a written plan: its pain relief section reads no
 * current pain score (the latest is older than its limit, or there is none), so the patient gets
 * no pain relief advice, only a request to have their pain checked (HAZ-022). Decided from the
 * plan's own `painAdvice`; the page shows it with a link to record a pain score. Red-flag plans
 * give no pain relief section, so they get no warning.
 */
export interface WrittenPlanNurseWarning {
  readonly kind: 'pain-score-stale' | 'pain-score-missing';
  readonly title: string;
  readonly text: string;
  /** The stale score's day and the first day it was too old (YYYY-MM-DD). */
  readonly scoreOn?: string;
  readonly staleSince?: string;
}

export function writtenPlanNurseWarnings(plan: WrittenPlan): WrittenPlanNurseWarning[] {
  const advice = plan.painAdvice;
  const record =
    'Record a pain score first, so the plan gives pain relief advice for the patient’s pain today.';
  if (advice.kind === 'stale')
    return [
      {
        kind: 'pain-score-stale',
        title: 'The pain score is out of date',
        text: `The latest pain score, of ${describeCivilDate(advice.scoreOn)}, has been out of date since ${describeCivilDate(advice.staleSince)} (its limit is ${advice.limitDays} days). The written plan will give no pain relief advice from it: it asks the patient to have their pain checked again. ${record}`,
        scoreOn: advice.scoreOn,
        staleSince: advice.staleSince,
      },
    ];
  if (advice.kind === 'no-score')
    return [
      {
        kind: 'pain-score-missing',
        title: 'No pain score is recorded',
        text: `The written plan will give no pain relief advice: it asks the patient to ask their nurse. ${record}`,
      },
    ];
  return [];
}

/** Every patient-facing text a version's written plan can show (for the readability test). */
export function patientFacingTexts(definition: PathwayDefinition): string[] {
  const info = definition.patientInformation;
  if (!info) return [];
  const texts: string[] = [
    ...Object.values(HEADINGS),
    ...info.whatHappened.map((w) => w.text),
    info.painRelief.noScore.text,
    info.painRelief.staleScore.text,
    info.painRelief.basedOn.text,
    ...info.movement.general.map((w) => w.text),
    info.dates.late.text,
    ...info.specialistCare.general.map((w) => w.text),
    info.redFlags.intro.text,
    ...info.redFlags.signs.map((w) => w.text),
    ...info.redFlags.whatToDo.map((w) => w.text),
    ...info.signposting.text.map((w) => w.text),
  ];
  for (const step of definition.steps) {
    if (step.patient) texts.push(step.patient.title, step.patient.text);
    if (step.patient?.overdue) texts.push(step.patient.overdue.text);
  }
  for (const rec of definition.recommendations) if (rec.patient) texts.push(rec.patient.text);
  return texts;
}

/** Every patient wording of a version, with where it is used (the pathway document lists them). */
export function labelledPatientWordings(
  definition: PathwayDefinition,
): { readonly where: string; readonly wording: PatientWording }[] {
  const info = definition.patientInformation;
  if (!info) return [];
  const each = (where: string, list: readonly PatientWording[]) =>
    list.map((wording) => ({ where, wording }));
  return [
    ...each(HEADINGS['what-happened'], info.whatHappened),
    ...each(`${HEADINGS['pain-relief']}: no pain score`, [info.painRelief.noScore]),
    ...each(`${HEADINGS['pain-relief']}: stale pain score`, [info.painRelief.staleScore]),
    ...each(`${HEADINGS['pain-relief']}: which score`, [info.painRelief.basedOn]),
    ...each(HEADINGS.moving, info.movement.general),
    ...each(`${HEADINGS['your-dates']}: a date that has passed`, [info.dates.late]),
    ...each(`${HEADINGS['specialist-care']} (red-flag branch)`, info.specialistCare.general),
    ...each(HEADINGS['get-help'], [
      info.redFlags.intro,
      ...info.redFlags.signs,
      ...info.redFlags.whatToDo,
    ]),
    ...each(HEADINGS.support, [
      ...info.signposting.text,
      info.signposting.helpline,
      info.signposting.email,
      info.signposting.website,
    ]),
    ...definition.steps.flatMap((step) =>
      step.patient
        ? [
            { where: `Step ${step.id} (${step.patient.title})`, wording: step.patient },
            ...(step.patient.overdue
              ? [
                  {
                    where: `Step ${step.id} (${step.patient.title}): when it is late`,
                    wording: step.patient.overdue,
                  },
                ]
              : []),
          ]
        : [],
    ),
    ...definition.recommendations.flatMap((rec) =>
      rec.patient ? [{ where: `Recommendation ${rec.id}`, wording: rec.patient }] : [],
    ),
  ];
}

/** Every patient wording of a version with its source (for the citation test). */
export function patientWordings(definition: PathwayDefinition): PatientWording[] {
  return labelledPatientWordings(definition).map((entry) => entry.wording);
}
