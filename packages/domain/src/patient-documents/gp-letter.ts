/**
 * The letter to the patient's GP: what the fracture liaison service found, what it recommends,
 * what it asks the GP to do and when, and what the service itself will do next. Built from the
 * episode, its recorded entries, its plan and its pathway definition at an instant `now`; pure.
 *
 * The headings follow the PRSB clinical correspondence standard (patient details, diagnoses,
 * investigation results, medication recommendations, actions for the GP, plan and requested
 * actions, additional comments). Every clinical statement comes from the record, the plan or a
 * cited source: a finding not recorded says "Not yet done", and where the sources give no dose or
 * no contraindication the letter says so and asks the GP to check the BNF and the SmPC, never a
 * rule made up here.
 *
 * Red-flag patients have left the routine conservative pathway for specialist care: their letter
 * says so, and recommends no new drug, no supplement and no routine conservative action (the
 * specialist team directs care). A bone therapy already being taken is still named, with any dose
 * due or overdue, to discuss with the specialist team before giving or stopping it (stopping
 * denosumab harms); see HAZ-026 in docs/clinical-safety/hazard-log.md. Sources are cited by their
 * document's short title and section, never by an internal file name.
 */
import { z } from 'zod';
import { formatNhsNumber } from '../identifiers/nhs-number.js';
import { effectiveEpisode } from '../inputs/episode-details.js';
import { type InputIssue, issuesFromZod } from '../inputs/errors.js';
import { effectiveHistory, therapyCourses, timed } from '../inputs/history.js';
import type { ClinicalEvent, Episode, EventOf, EventType, Patient } from '../inputs/schemas.js';
import { multiLineText, singleLineText } from '../inputs/text.js';
import type { Condition, FactTest, PathwayDefinition } from '../pathway/definition.js';
import { BONE_THERAPY_DRUGS, type BoneTherapyDrug, DRUGS } from '../pathway/drugs.js';
import { SOURCE_DOCUMENTS, type SourceRef } from '../pathway/sources.js';
import { QA_DENOSUMAB_CC, QA_DENOSUMAB_STOPPING } from '../pathway/versions/ros-2022-citations.js';
import type { Citation, Plan, PlanRecommendation, PlanStep } from '../plan/types.js';
import { describeCivilDate } from '../time/civil-date.js';
import {
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettings,
  serviceCalendar,
} from '../time/settings.js';
import { documentDeadline } from './deadline.js';

// ---------------------------------------------------------------------------------------------
// What the nurse may edit

/** The longest text each editable field holds (characters, after trimming). */
export const GP_LETTER_TEXT_LIMITS = {
  recipient: 300,
  clinicalSummary: 2000,
  additionalComments: 2000,
} as const;

const emptyToNull = (value: unknown) => (value === '' ? null : value);

/**
 * The nurse's part of the letter: to whom it goes, a clinical summary, additional comments, and
 * the drug the service recommends (a clinical decision the pathway leaves to the FLS clinician).
 */
export const GpLetterEditsSchema = z.strictObject({
  /** The GP practice's name and address, as it goes on the letter (several lines). */
  recipient: multiLineText(GP_LETTER_TEXT_LIMITS.recipient).default(''),
  clinicalSummary: multiLineText(GP_LETTER_TEXT_LIMITS.clinicalSummary).default(''),
  additionalComments: multiLineText(GP_LETTER_TEXT_LIMITS.additionalComments).default(''),
  recommendedDrug: z.preprocess(
    emptyToNull,
    z
      .enum(BONE_THERAPY_DRUGS, {
        error: `must be one of: ${BONE_THERAPY_DRUGS.join(', ')}, or empty for none yet`,
      })
      .nullable()
      .default(null),
  ),
});
export type GpLetterEditsInput = z.input<typeof GpLetterEditsSchema>;
export type GpLetterEdits = z.output<typeof GpLetterEditsSchema>;

export const EMPTY_GP_LETTER_EDITS: GpLetterEdits = {
  recipient: '',
  clinicalSummary: '',
  additionalComments: '',
  recommendedDrug: null,
};

/** Validates what the nurse typed; each problem names its field ("edits.clinicalSummary"). */
export function parseGpLetterEdits(
  input: unknown,
): { ok: true; value: GpLetterEdits } | { ok: false; issues: InputIssue[] } {
  const parsed = GpLetterEditsSchema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: issuesFromZod('edits', parsed.error) };
}

// ---------------------------------------------------------------------------------------------
// How a signed letter was sent

/**
 * How a letter reaches a GP practice in England: secure e-mail (NHSmail), the practice's document
 * workflow (Docman), GP Connect (Send Document), post, handed over (to the patient to take, say),
 * or another way described in `detail`. A fixed list rather than free text, so the service can
 * count letters by route and see which went by insecure-looking routes; 'other' keeps it open.
 */
export const GP_LETTER_SENDING_METHODS = [
  'nhsmail',
  'docman',
  'gp-connect',
  'post',
  'by-hand',
  'other',
] as const;
export type GpLetterSendingMethod = (typeof GP_LETTER_SENDING_METHODS)[number];
export const GP_LETTER_SENDING_METHOD_LABELS: Readonly<Record<GpLetterSendingMethod, string>> = {
  nhsmail: 'NHSmail (secure e-mail)',
  docman: 'Docman (practice document workflow)',
  'gp-connect': 'GP Connect (Send Document)',
  post: 'Post',
  'by-hand': 'By hand (for example, given to the patient)',
  other: 'Another way (say how)',
};

export const GpLetterSendingSchema = z
  .strictObject({
    method: z.enum(GP_LETTER_SENDING_METHODS, {
      error: `must be one of: ${GP_LETTER_SENDING_METHODS.join(', ')}`,
    }),
    /** Where it went or how: an NHSmail address, a Docman reference. */
    detail: singleLineText(200, 'the detail').default(''),
    /** When it was sent (ISO instant). */
    sentAt: z.iso.datetime({
      offset: true,
      error: 'must be a date and time, e.g. 2026-12-07T10:00:00Z',
    }),
  })
  .refine((s) => s.method !== 'other' || s.detail !== '', {
    error: 'must say how the letter was sent when the method is "other"',
    path: ['detail'],
  });
export type GpLetterSending = z.output<typeof GpLetterSendingSchema>;

/**
 * Validates a sending: its method, its detail, and its time, which is neither after `now` nor
 * before the letter was signed (a letter cannot be sent before it exists).
 */
export function parseGpLetterSending(
  input: unknown,
  context: { readonly now: number; readonly signedAt: number },
): { ok: true; value: GpLetterSending } | { ok: false; issues: InputIssue[] } {
  const parsed = GpLetterSendingSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesFromZod('sending', parsed.error) };
  const at = Date.parse(parsed.data.sentAt);
  if (at > context.now)
    return { ok: false, issues: [{ path: 'sending.sentAt', message: 'is in the future' }] };
  // Forms give the time to the minute: the minute of the sign-off itself is not before it.
  if (at < Math.floor(context.signedAt / 60_000) * 60_000)
    return {
      ok: false,
      issues: [{ path: 'sending.sentAt', message: 'is before the letter was signed off' }],
    };
  return { ok: true, value: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// The letter

/** Who writes: the service's name and postal address, shown in the letter's header. */
export interface GpLetterSender {
  readonly serviceName: string;
  readonly addressLines: readonly string[];
  readonly telephone?: string;
  readonly email?: string;
}

export type GpLetterSectionId =
  | 'diagnoses'
  | 'specialist-care'
  | 'clinical-summary'
  | 'findings'
  | 'bone-therapy'
  | 'gp-actions'
  | 'fls-plan'
  | 'additional-comments';

/** One line of a section: what, with its date when it has one, and where it comes from. */
export interface GpLetterItem {
  readonly text: string;
  /** The local date (YYYY-MM-DD) the item is about: a finding's date, an action's due date. */
  readonly date?: string;
  /**
   * How the date reads before it: "Recorded", "By", "Due", "From", or "Overdue since" for a date
   * already past at the letter's date (the letter never gives a past "by" date).
   */
  readonly dateLabel?: string;
  /** A date the letter gives that has passed: the item asks for it as soon as possible. */
  readonly overdue?: boolean;
  /**
   * The plan's step instance the item is about (its key): the letter has one action per step
   * instance.
   */
  readonly stepKey?: string;
  /** A finding not recorded yet: shown as "Not yet done", never with a value. */
  readonly notYetDone?: boolean;
  /** A prompt to the reader where the sources give nothing (dose, contraindications). */
  readonly prompt?: boolean;
  readonly urgent?: boolean;
  /** The sources, each as "ROS 2022, section: “quote”" (the document's short name, never its file). */
  readonly sources?: readonly string[];
}

export interface GpLetterSection {
  readonly id: GpLetterSectionId;
  readonly heading: string;
  readonly intro?: string;
  readonly items: readonly GpLetterItem[];
  /** A free-text section the nurse writes (its text is in `items[0]`, or none when empty). */
  readonly editable?: 'clinicalSummary' | 'additionalComments';
}

export interface GpLetterPatient {
  readonly name: string;
  readonly dateOfBirth: string;
  readonly sex: string;
  /** "NHS number 943 476 5919", or the hospital number with its issuer. */
  readonly identifiers: readonly { readonly label: string; readonly value: string }[];
  readonly nhsNumber?: string;
}

/** The letter's signature: who signed it off and when (added at sign-off, never by the builder). */
export interface GpLetterSignature {
  readonly name: string;
  readonly role: string;
  /** ISO instant. */
  readonly signedAt: string;
}

export interface GpLetter {
  readonly format: 'gp-letter/1';
  readonly episodeId: string;
  readonly patientId: string;
  readonly pathway: { readonly version: string; readonly title: string };
  /** ISO instant the content was generated at. */
  readonly generatedAt: string;
  /** The letter's date on the service's calendar (YYYY-MM-DD). */
  readonly letterDate: string;
  readonly sender: GpLetterSender;
  /** The addressee's lines (the GP practice); "The patient's GP" when the nurse named none. */
  readonly recipient: readonly string[];
  readonly salutation: string;
  readonly patient: GpLetterPatient;
  readonly subject: string;
  readonly branch: 'conservative' | 'red-flag';
  /** Bone therapy courses running now (the letter asks the GP to continue them). */
  readonly boneTherapyInProgress: readonly BoneTherapyDrug[];
  readonly sections: readonly GpLetterSection[];
  /** Every source the letter quotes, once each. */
  readonly sources: readonly string[];
  readonly edits: GpLetterEdits;
  readonly signature?: GpLetterSignature;
}

export interface GpLetterInput {
  readonly patient: Patient;
  readonly demographics: { readonly givenName: string; readonly familyName: string };
  readonly episode: Episode;
  readonly events: readonly ClinicalEvent[];
  /** computePlan's plan of this episode at `now`. */
  readonly plan: Plan;
  /** The episode's pathway version. */
  readonly pathway: PathwayDefinition;
  readonly sender: GpLetterSender;
  readonly edits: GpLetterEdits;
  readonly now: number | string;
  readonly settings?: ServiceSettings;
}

/** Why a letter cannot be built (a mismatch of its inputs), or cannot be signed yet. */
export class GpLetterError extends Error {
  override readonly name = 'GpLetterError';
  constructor(readonly issues: readonly InputIssue[]) {
    super(issues.map((issue) => `${issue.path} ${issue.message}`).join('; '));
  }
}

/**
 * Doses as the pathway's sources give them, by drug: a drug with none here gets the labelled prompt
 * to prescribe as the BNF and the SmPC give it. Denosumab's is the Clinical Q&A's (seed 003).
 */
export const GP_LETTER_DOSES: Readonly<Partial<Record<BoneTherapyDrug, SourceRef>>> = {
  denosumab: QA_DENOSUMAB_CC,
};

/**
 * What the letter says of a drug the patient already takes when a red flag takes them to
 * specialist care: stopping it may harm (denosumab: rebound fractures), so the GP discusses it with
 * the specialist team before giving or stopping a dose. A drug with no source here gets the words
 * without a source.
 */
const STOPPING_HARM: Readonly<Partial<Record<BoneTherapyDrug, SourceRef>>> = {
  denosumab: QA_DENOSUMAB_STOPPING,
};

const SEX_WORDS: Record<Patient['sex'], string> = {
  female: 'Female',
  male: 'Male',
  indeterminate: 'Indeterminate',
  'not-known': 'Not known',
};

const IDENTIFICATION_WORDS: Record<Episode['identification'], string> = {
  'symptomatic-presentation': 'symptomatic presentation',
  'incidental-imaging': 'incidental finding on imaging',
  'bone-densitometry': 'bone densitometry',
};

const RED_FLAG_WORDS: Record<string, string> = {
  neurologicalDeficit: 'neurological deficit',
  suspectedMalignancy: 'suspected malignancy',
  multipleColumnInvolvement: 'fracture involving more than one column of the spine',
};

/** The plan's steps whose outstanding work is the FLS's own (shown under "What the FLS will do"). */
const FLS_ASSESSMENT_STEPS = [
  'fracture-risk-assessment',
  'dxa-scan',
  'laboratory-screen',
  'falls-risk-assessment',
] as const;
const FLS_FOLLOW_UP_STEPS = ['fls-follow-up-16-weeks', 'fls-adherence-52-weeks'] as const;
const ACTIVE = new Set(['upcoming', 'open', 'due', 'overdue']);

function sourceText(citation: Citation | SourceRef): string {
  const doc = SOURCE_DOCUMENTS[citation.document];
  return `${doc.short}, ${citation.section}: “${citation.quote}”`;
}

/**
 * The step-status tests a recommendation's condition holds on (not under a `not`): the steps it is
 * about, so the letter says it in that step's action rather than as an action of its own.
 */
function stepTestsOf(condition: Condition | undefined): FactTest[] {
  if (!condition || 'not' in condition) return [];
  if ('all' in condition) return condition.all.flatMap(stepTestsOf);
  if ('any' in condition) return condition.any.flatMap(stepTestsOf);
  return condition.fact === 'stepStatus' && condition.step ? [condition] : [];
}

function statusPasses(test: FactTest, status: string): boolean {
  if (test.eq !== undefined && test.eq !== status) return false;
  if (test.in !== undefined && !test.in.includes(status)) return false;
  return true;
}

/** Builds the letter; throws GpLetterError when the inputs do not belong together. */
export function buildGpLetter(input: GpLetterInput): GpLetter {
  const { patient, plan, pathway } = input;
  const now = typeof input.now === 'number' ? input.now : Date.parse(input.now);
  const problems: InputIssue[] = [];
  if (!Number.isFinite(now)) problems.push({ path: 'now', message: 'is not an instant' });
  if (plan.episodeId !== input.episode.id)
    problems.push({
      path: 'plan',
      message: `is the plan of episode "${plan.episodeId}", not "${input.episode.id}"`,
    });
  if (input.episode.patientId !== patient.id)
    problems.push({
      path: 'episode',
      message: `belongs to patient "${input.episode.patientId}", not "${patient.id}"`,
    });
  if (pathway.version !== input.episode.pathwayVersion || plan.pathwayVersion !== pathway.version)
    problems.push({
      path: 'pathway',
      message: `is version "${pathway.version}", but the episode is under "${input.episode.pathwayVersion}" and the plan "${plan.pathwayVersion}"`,
    });
  if (problems.length > 0) throw new GpLetterError(problems);

  const calendar = serviceCalendar(input.settings ?? DEFAULT_SERVICE_SETTINGS);
  const localDate = (iso: string) => calendar.localDate(Date.parse(iso));
  const known = input.events.filter((event) => Date.parse(event.recordedAt) <= now);
  const timedHistory = effectiveHistory(known.map(timed));
  const history = timedHistory.map((item) => item.event);
  const episode = effectiveEpisode(input.episode, known, now);
  const latest = <T extends EventType>(type: T): EventOf<T> | undefined =>
    history
      .filter((event): event is EventOf<T> => event.type === type)
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt))
      .at(-1);
  const step = (id: string): PlanStep | undefined => plan.steps.find((s) => s.stepId === id);
  const stepBranch = (id: string) => pathway.steps.find((s) => s.id === id)?.branch;
  const today = localDate(new Date(now).toISOString());
  /** A window bound as a day: day windows hold dates, hour windows instants. */
  const dayOf = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDate(value));
  /**
   * A step's date as the letter gives it (deadline.ts): a deadline on a weekend or bank holiday
   * is the working day before it; a date already past says "Overdue since" it, never "by" it.
   */
  const dated = (
    s: PlanStep,
    futureLabel: string,
  ): Pick<GpLetterItem, 'date' | 'dateLabel' | 'overdue'> => {
    const window = s.window as NonNullable<PlanStep['window']>;
    const deadline = documentDeadline(
      { opens: dayOf(window.opens), due: dayOf(window.due) },
      today,
      calendar,
    );
    return deadline.passed
      ? { date: deadline.date, dateLabel: 'Overdue since', overdue: true }
      : { date: deadline.date, dateLabel: futureLabel };
  };
  const redFlag = plan.branch === 'red-flag';
  const edits = input.edits;
  const allSources = new Set<string>();
  const cited = (refs: readonly (Citation | SourceRef)[]) => {
    const texts = refs.map(sourceText);
    for (const text of texts) allSources.add(text);
    return texts;
  };

  // Patient details.
  const identifiers: { label: string; value: string }[] = [];
  let nhsNumber: string | undefined;
  if (patient.identifier.kind === 'nhs-number') {
    nhsNumber = formatNhsNumber(patient.identifier.value);
    identifiers.push({ label: 'NHS number', value: nhsNumber });
  } else {
    identifiers.push({
      label: 'Hospital number',
      value: patient.identifier.issuer
        ? `${patient.identifier.value} (${patient.identifier.issuer})`
        : patient.identifier.value,
    });
  }
  const name = `${input.demographics.givenName} ${input.demographics.familyName.toUpperCase()}`;
  const levels = episode.vertebralLevels.join(', ');
  const plural = episode.vertebralLevels.length > 1;

  // Diagnoses.
  const diagnoses: GpLetterItem[] = [
    {
      text: `Vertebral fragility fracture${plural ? 's' : ''} at ${levels}${episode.fractureDateEstimated ? ' (fracture date estimated: symptom onset)' : ''}, identified by ${IDENTIFICATION_WORDS[episode.identification]} on ${describeCivilDate(episode.identifiedOn)}.`,
      date: episode.fractureDate,
      dateLabel: 'Fracture date',
    },
  ];
  if (episode.careSetting.kind === 'admitted') {
    diagnoses.push({
      text: 'Admitted to hospital with the fracture.',
      date: localDate(episode.careSetting.admittedAt),
      dateLabel: 'Admitted',
    });
  }
  for (const flag of plan.redFlags) {
    diagnoses.push({ text: `Red flag: ${RED_FLAG_WORDS[flag] ?? flag}.`, urgent: true });
  }

  const sections: GpLetterSection[] = [{ id: 'diagnoses', heading: 'Diagnoses', items: diagnoses }];

  if (redFlag) {
    const redFlagRecommendations = plan.recommendations.filter((r) => r.category === 'red-flag');
    sections.push({
      id: 'specialist-care',
      heading: 'Specialist care',
      intro: `A red flag is recorded (${plan.redFlags.map((f) => RED_FLAG_WORDS[f] ?? f).join('; ')}). The patient has left the routine conservative pathway for specialist care: the specialist team directs the management of the fracture. This letter therefore makes no routine recommendations (pain relief, exercise, bed rest, bracing, bone therapy or supplements); the FLS bone health assessment continues and its findings follow.`,
      items: redFlagRecommendations.map((r) => ({
        text: `${r.title}. ${r.text}`,
        urgent: r.priority === 'urgent',
        sources: cited(r.sources),
      })),
    });
  }

  sections.push({
    id: 'clinical-summary',
    heading: 'Clinical summary',
    editable: 'clinicalSummary',
    items: edits.clinicalSummary ? [{ text: edits.clinicalSummary }] : [],
  });

  // Assessment findings, each with its date, or "Not yet done" and when the plan expects it.
  const findings: GpLetterItem[] = [];
  const notYet = (stepId: string, what: string): GpLetterItem => {
    const s = step(stepId);
    if (s?.completion) {
      const outcome =
        s.completion.outcome === 'declined' ? 'Declined by the patient' : 'Not indicated';
      return {
        text: `${what}: ${outcome}.`,
        date: localDate(s.completion.at),
        dateLabel: 'Recorded',
      };
    }
    return {
      text: `${what}: Not yet done.`,
      notYetDone: true,
      ...(s && ACTIVE.has(s.status) && s.window ? dated(s, 'Planned by') : {}),
    };
  };
  const risk = latest('fracture-risk-assessment');
  findings.push(
    risk
      ? {
          text: `Fracture risk (${risk.tool}): 10-year probability of a major osteoporotic fracture ${risk.majorOsteoporoticFractureRisk}%${risk.hipFractureRisk !== undefined ? `, of hip fracture ${risk.hipFractureRisk}%` : ''}; risk category ${risk.category.replace('-', ' ')}.`,
          date: localDate(risk.occurredAt),
          dateLabel: 'Recorded',
        }
      : notYet('fracture-risk-assessment', 'Fracture risk assessment (FRAX or QFracture)'),
  );
  const dxa = latest('dxa-result');
  if (dxa) {
    const scores = [
      dxa.lumbarSpineTScore !== undefined
        ? `lumbar spine T-score ${dxa.lumbarSpineTScore}`
        : undefined,
      dxa.totalHipTScore !== undefined ? `total hip T-score ${dxa.totalHipTScore}` : undefined,
      dxa.femoralNeckTScore !== undefined
        ? `femoral neck T-score ${dxa.femoralNeckTScore}`
        : undefined,
    ].filter(Boolean);
    const vfa =
      dxa.vertebralFractureAssessment === undefined
        ? ''
        : dxa.vertebralFractureAssessment
          ? '; vertebral fracture assessment done'
          : '; no vertebral fracture assessment';
    findings.push({
      text: `DXA: ${scores.join(', ')}${vfa}.`,
      date: localDate(dxa.occurredAt),
      dateLabel: 'Recorded',
    });
  } else {
    findings.push(notYet('dxa-scan', 'DXA scan'));
  }
  const labs = latest('laboratory-screen');
  findings.push(
    labs
      ? {
          text: labs.secondaryCauseFound
            ? 'Laboratory screen for secondary causes of osteoporosis: a secondary cause was found (see the clinical summary).'
            : 'Laboratory screen for secondary causes of osteoporosis: no secondary cause found.',
          date: localDate(labs.occurredAt),
          dateLabel: 'Recorded',
          urgent: labs.secondaryCauseFound,
        }
      : notYet('laboratory-screen', 'Laboratory screen for secondary causes of osteoporosis'),
  );
  const falls = latest('falls-risk-assessment');
  findings.push(
    falls
      ? {
          text: `Falls risk: ${falls.result === 'at-risk' ? 'at risk of falls' : 'not at risk of falls'} (falls in the last year: ${falls.fallsInLastYear}; presented with a fall: ${falls.presentedWithFall ? 'yes' : 'no'}; gait or balance difficulty: ${falls.gaitOrBalanceDifficulty ? 'yes' : 'no'}).`,
          date: localDate(falls.occurredAt),
          dateLabel: 'Recorded',
        }
      : notYet('falls-risk-assessment', 'Falls risk assessment'),
  );
  sections.push({ id: 'findings', heading: 'FLS assessment findings', items: findings });

  // Bone therapy.
  const courses = therapyCourses(timedHistory).courses.filter(
    (course) => course.stopped === undefined,
  );
  const decision = step('bone-therapy-decision');
  const boneTherapy: GpLetterItem[] = [];
  const gpActions: GpLetterItem[] = [];
  const doseItem = (drug: BoneTherapyDrug): GpLetterItem => {
    const ref = GP_LETTER_DOSES[drug];
    return ref
      ? { text: `Dose, as the source gives it: ${ref.quote}.`, sources: cited([ref]) }
      : {
          text: `Dose: as the BNF and the summary of product characteristics (SmPC) give it (the pathway's sources give no dose for ${DRUGS[drug].label.toLowerCase()}).`,
          prompt: true,
        };
  };
  const contraindications = (drug: BoneTherapyDrug): GpLetterItem[] => {
    const items: GpLetterItem[] = [
      {
        text: `Contraindications and cautions: check the BNF and the summary of product characteristics (SmPC) before prescribing ${DRUGS[drug].label.toLowerCase()}; the pathway's sources do not list them.`,
        prompt: true,
      },
    ];
    if (!labs) {
      items.push({
        text: 'The laboratory screen for secondary causes is not yet done: please check its results before prescribing.',
        prompt: true,
        urgent: true,
      });
    } else if (labs.secondaryCauseFound) {
      items.push({
        text: 'The laboratory screen found a secondary cause of osteoporosis: see the clinical summary before prescribing.',
        prompt: true,
        urgent: true,
      });
    }
    return items;
  };
  let boneIntro: string | undefined;
  if (redFlag && courses.length > 0) {
    // The patient already takes bone therapy: the letter recommends nothing new, but says what is
    // being taken and asks for each next dose to be discussed with the specialist team (HAZ-026).
    boneIntro =
      'No new routine bone therapy is recommended in this letter: the specialist team directs care after a red flag. The patient is already on the bone therapy below: please discuss it with the specialist team before giving or stopping a dose. The FLS will write again when a bone therapy decision is made with the specialist team.';
    for (const course of courses) {
      const drug = course.drug;
      const harm = STOPPING_HARM[drug];
      boneTherapy.push({
        text: `Current treatment: ${DRUGS[drug].label} (${DRUGS[drug].route}). Discuss it with the specialist team before giving or stopping the next dose${drug === 'denosumab' ? '; do not stop or delay denosumab without a plan agreed with them' : ''}.`,
        date: course.prior?.startedOn ?? localDate(course.started.event.occurredAt),
        dateLabel: 'Started',
        urgent: true,
        ...(harm ? { sources: cited([harm]) } : {}),
      });
    }
  } else if (redFlag) {
    boneIntro =
      'No bone therapy is recommended in this letter: the specialist team directs care after a red flag. The FLS will write again when a bone therapy decision is made with the specialist team.';
  } else if (courses.length > 0) {
    for (const course of courses) {
      const drug = course.drug;
      boneTherapy.push({
        text: `${DRUGS[drug].label} (${DRUGS[drug].route}) has been started: please continue it.`,
        date: course.prior?.startedOn ?? localDate(course.started.event.occurredAt),
        dateLabel: 'Started',
      });
      boneTherapy.push(doseItem(drug));
      boneTherapy.push(...contraindications(drug));
    }
  } else if (edits.recommendedDrug) {
    const drug = edits.recommendedDrug;
    boneTherapy.push({
      text: `The FLS recommends ${DRUGS[drug].label.toLowerCase()} (${DRUGS[drug].route}).`,
      sources: decision ? cited(decision.sources) : [],
    });
    boneTherapy.push(doseItem(drug));
    boneTherapy.push(...contraindications(drug));
    if (decision && ACTIVE.has(decision.status) && decision.window) {
      const when = dated(decision, 'By');
      gpActions.push({
        text: `Start ${DRUGS[drug].label.toLowerCase()} as recommended above, after checking the contraindications${when.overdue ? ', as soon as possible' : ''}.`,
        ...when,
        urgent: decision.status === 'overdue' || when.overdue === true,
        stepKey: decision.key,
      });
    }
  } else {
    boneIntro =
      'The FLS has not yet made a bone therapy recommendation; it will follow in a further letter.';
  }
  if (redFlag && courses.length > 0) {
    // A dose of the current treatment due or overdue, with its date: not to be given or missed
    // silently, but discussed with the specialist team.
    for (const s of plan.steps) {
      if (s.category !== 'bone-therapy' || !ACTIVE.has(s.status) || !s.window) continue;
      if (stepBranch(s.stepId) === 'conservative' || s.stepId === 'bone-therapy-decision') continue;
      const when = dated(s, 'Due');
      gpActions.push({
        text: when.overdue
          ? `${s.title} (overdue): discuss it with the specialist team as soon as possible, before giving or stopping it.`
          : `${s.title}: discuss with the specialist team before giving or stopping it.`,
        ...when,
        urgent: true,
        stepKey: s.key,
      });
    }
  }
  if (!redFlag) {
    // The plan's bone therapy steps still to do (the next denosumab dose, a review): one action
    // per step instance, with its date. A recommendation about one of them (the pathway applies
    // it on that step's status, as "denosumab dose more than 4 weeks late" does) is said in that
    // step's action, not as a second action for the same dose.
    const stepActions = plan.steps.filter(
      (s) =>
        s.category === 'bone-therapy' &&
        ACTIVE.has(s.status) &&
        s.window !== undefined &&
        stepBranch(s.stepId) !== 'conservative' &&
        !gpActions.some((action) => action.stepKey === s.key),
    );
    const folded = new Map<string, PlanRecommendation[]>();
    for (const rec of plan.recommendations) {
      if (rec.category !== 'secondary-prevention' && rec.category !== 'bone-therapy') continue;
      if (rec.withholds.length > 0) continue;
      boneTherapy.push({
        text: `${rec.title}: ${rec.text}`,
        urgent: rec.priority === 'urgent',
        sources: cited(rec.sources),
      });
      if (rec.id !== 'calcium-vitamin-d' && rec.category !== 'bone-therapy') continue;
      const tests = stepTestsOf(pathway.recommendations.find((r) => r.id === rec.id)?.when);
      const about = stepActions.filter((s) =>
        tests.some((test) => test.step === s.stepId && statusPasses(test, s.status)),
      );
      for (const s of about) folded.set(s.key, [...(folded.get(s.key) ?? []), rec]);
      if (about.length > 0) continue;
      gpActions.push({
        text: `${rec.title}: ${rec.text}`,
        date: today,
        dateLabel: 'From',
        urgent: rec.priority === 'urgent',
      });
    }
    for (const s of stepActions) {
      const when = dated(s, 'Due');
      const recs = folded.get(s.key) ?? [];
      const said = recs.map((rec) => ` ${rec.title}: ${rec.text}`).join('');
      gpActions.push({
        text: `${s.title}.${when.overdue ? ' Overdue: please arrange it as soon as possible.' : ''}${said}`,
        ...when,
        urgent:
          s.status === 'overdue' ||
          when.overdue === true ||
          recs.some((r) => r.priority === 'urgent'),
        stepKey: s.key,
        ...(recs.length > 0 ? { sources: cited(recs.flatMap((rec) => rec.sources)) } : {}),
      });
    }
  }
  sections.push({
    id: 'bone-therapy',
    heading: 'Bone therapy recommendation',
    ...(boneIntro ? { intro: boneIntro } : {}),
    items: boneTherapy,
  });
  sections.push({
    id: 'gp-actions',
    heading: 'Actions for the GP',
    ...(gpActions.length === 0
      ? {
          intro: redFlag
            ? 'None from the FLS at present: please follow the specialist team’s plan.'
            : 'None at present.',
        }
      : {}),
    items: gpActions.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '')),
  });

  // What the FLS will do and when.
  const flsPlan: GpLetterItem[] = [];
  for (const id of FLS_ASSESSMENT_STEPS) {
    const s = step(id);
    if (s && ACTIVE.has(s.status) && s.window) {
      const when = dated(s, 'By');
      flsPlan.push({
        text: `${s.title}.${when.overdue ? ' The FLS will arrange it as soon as possible.' : ''}`,
        ...when,
        urgent: s.status === 'overdue' || when.overdue === true,
        stepKey: s.key,
      });
    }
  }
  for (const id of FLS_FOLLOW_UP_STEPS) {
    const s = step(id);
    if (!s?.window) continue;
    const what =
      id === 'fls-follow-up-16-weeks'
        ? 'Follow-up contact at 16 weeks: has bone therapy started, is it taken as prescribed, and was any falls referral actioned?'
        : 'Adherence check at 52 weeks: is bone therapy still taken as prescribed?';
    if (s.status === 'completed' && s.completion) {
      flsPlan.push({ text: what, date: localDate(s.completion.at), dateLabel: 'Done on' });
    } else if (ACTIVE.has(s.status)) {
      const when = dated(s, 'Due');
      flsPlan.push({
        text: `${what}${when.overdue ? ' The FLS will make this contact as soon as possible.' : ''}`,
        ...when,
        urgent: s.status === 'overdue' || when.overdue === true,
        stepKey: s.key,
      });
    } else if (s.status === 'not-applicable' && id === 'fls-adherence-52-weeks') {
      flsPlan.push({
        text: `${what} (Once bone therapy has started.)`,
        ...dated(s, 'Due'),
      });
    }
  }
  sections.push({
    id: 'fls-plan',
    heading: 'What the FLS will do and when',
    ...(flsPlan.length === 0 ? { intro: 'The FLS has no further contact planned.' } : {}),
    items: flsPlan.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '')),
  });
  sections.push({
    id: 'additional-comments',
    heading: 'Additional comments',
    editable: 'additionalComments',
    items: edits.additionalComments ? [{ text: edits.additionalComments }] : [],
  });

  const recipient = edits.recipient
    ? edits.recipient
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    : ["The patient's GP"];
  return {
    format: 'gp-letter/1',
    episodeId: input.episode.id,
    patientId: patient.id,
    pathway: { version: pathway.version, title: pathway.title },
    generatedAt: new Date(now).toISOString(),
    letterDate: localDate(new Date(now).toISOString()),
    sender: input.sender,
    recipient,
    salutation: salutationOf(recipient[0]),
    patient: {
      name,
      dateOfBirth: patient.dateOfBirth,
      sex: SEX_WORDS[patient.sex],
      identifiers,
      ...(nhsNumber ? { nhsNumber } : {}),
    },
    subject: `Fracture liaison service: vertebral fragility fracture${plural ? 's' : ''} ${levels}`,
    branch: plan.branch,
    boneTherapyInProgress: courses.map((course) => course.drug),
    sections,
    sources: [...allSources],
    edits,
  };
}

/** "Dear Dr A Smith," when the addressee's first line names a doctor, else "Dear Doctor,". */
function salutationOf(firstLine: string | undefined): string {
  const named = firstLine?.match(/^Dr\.? +\S.*$/)?.[0];
  return named ? `Dear ${named.replace(/[,;:]+$/, '')},` : 'Dear Doctor,';
}

/**
 * What stops a letter from being signed off, as issues naming the field to fix: no addressee, or
 * a secondary cause found with no clinical summary to explain it. Empty when it may be signed.
 */
export function gpLetterSignOffProblems(letter: GpLetter): InputIssue[] {
  const issues: InputIssue[] = [];
  if (letter.edits.recipient.trim() === '') {
    issues.push({
      path: 'edits.recipient',
      message: 'must name the GP practice and its address before the letter is signed off',
    });
  }
  const secondaryCause = letter.sections
    .find((s) => s.id === 'findings')
    ?.items.some((item) => item.text.includes('a secondary cause was found'));
  if (secondaryCause && letter.edits.clinicalSummary.trim() === '') {
    issues.push({
      path: 'edits.clinicalSummary',
      message:
        'must explain the secondary cause the laboratory screen found before the letter is signed off',
    });
  }
  const chosen = letter.edits.recommendedDrug;
  if (
    letter.branch !== 'red-flag' &&
    chosen &&
    letter.boneTherapyInProgress.length > 0 &&
    !letter.boneTherapyInProgress.includes(chosen)
  ) {
    issues.push({
      path: 'edits.recommendedDrug',
      message: `must be empty or the drug being taken: ${letter.boneTherapyInProgress.map((d) => DRUGS[d].label.toLowerCase()).join(', ')} has been started and the letter asks the GP to continue it (record a change of treatment first)`,
    });
  }
  if (letter.branch === 'red-flag' && letter.edits.recommendedDrug) {
    issues.push({
      path: 'edits.recommendedDrug',
      message:
        'must be empty: a red flag is recorded, the specialist team directs care and the letter recommends no drug',
    });
  }
  return issues;
}

/**
 * The letter's dates already past at its own date (the actions for the GP first, then the FLS's
 * own plan and the findings not yet done), each with its section's heading: what the nurse checks
 * before signing off, since the letter asks for each as soon as possible.
 */
export function gpLetterOverdueItems(letter: GpLetter): {
  readonly section: GpLetterSectionId;
  readonly heading: string;
  readonly item: GpLetterItem;
}[] {
  const order: readonly GpLetterSectionId[] = ['gp-actions', 'fls-plan', 'findings'];
  return order.flatMap((id) => {
    const section = letter.sections.find((s) => s.id === id);
    return (section?.items ?? [])
      .filter((item) => item.overdue)
      .map((item) => ({ section: id, heading: section?.heading ?? id, item }));
  });
}

/** The letter as signed: the same content with its signature. */
export function signGpLetter(letter: GpLetter, signature: GpLetterSignature): GpLetter {
  if (letter.signature) throw new GpLetterError([{ path: 'letter', message: 'is already signed' }]);
  const problems = gpLetterSignOffProblems(letter);
  if (problems.length > 0) throw new GpLetterError(problems);
  return { ...letter, signature };
}

/** A date as the letter writes it ("Tue 7 Apr 2026"), the way every page writes dates. */
export function describeLetterDate(date: string): string {
  return describeCivilDate(date);
}
