import { z } from 'zod';
import { nhsNumberProblem, normaliseNhsNumber } from '../identifiers/nhs-number.js';
import { BONE_THERAPY_DRUGS } from '../pathway/drugs.js';
import {
  decimal,
  freeText,
  identifier,
  isoDate,
  isoDateTime,
  oneOf,
  wholeNumber,
  yesNo,
} from './fields.js';
import { plainCharacters, singleLineText } from './text.js';

// ---------------------------------------------------------------------------------------------
// Patient

export const SEXES = ['female', 'male', 'indeterminate', 'not-known'] as const;

const nhsNumberIdentifier = z.strictObject({
  kind: z.literal('nhs-number'),
  value: z
    .string({ error: 'must be the NHS number as text' })
    .superRefine((value, ctx) => {
      const problem = nhsNumberProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
    })
    .transform(normaliseNhsNumber),
});

const mrnIdentifier = z.strictObject({
  kind: z.literal('mrn'),
  value: z
    .string({ error: 'must be the medical record number as text' })
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9/-]{0,19}$/, {
      error: 'must be 1 to 20 letters, digits, "-" or "/", starting with a letter or digit',
    }),
  /** The organisation that issued the MRN (e.g. an ODS code); optional. */
  issuer: identifier('issuing organisation').optional(),
});

export const PatientSchema = z.strictObject({
  id: identifier('patient id'),
  identifier: z.discriminatedUnion('kind', [nhsNumberIdentifier, mrnIdentifier], {
    error: 'must be { kind: "nhs-number", value } or { kind: "mrn", value }',
  }),
  dateOfBirth: isoDate(),
  sex: oneOf(SEXES),
});
export type PatientInput = z.input<typeof PatientSchema>;
export type Patient = z.output<typeof PatientSchema>;

const personName = (what: string) =>
  singleLineText(100, `the ${what}`).min(1, { error: `must not be empty (the ${what})` });

/** Names are kept beside the pathway record (the pathway never needs them). */
export const DemographicsSchema = z.strictObject({
  givenName: personName('given name'),
  familyName: personName('family name'),
});
export type DemographicsInput = z.input<typeof DemographicsSchema>;

// ---------------------------------------------------------------------------------------------
// Fracture episode

export const VERTEBRAL_LEVELS = [
  'T1',
  'T2',
  'T3',
  'T4',
  'T5',
  'T6',
  'T7',
  'T8',
  'T9',
  'T10',
  'T11',
  'T12',
  'L1',
  'L2',
  'L3',
  'L4',
  'L5',
] as const;
export type VertebralLevel = (typeof VERTEBRAL_LEVELS)[number];

export const IDENTIFICATION_ROUTES = [
  'symptomatic-presentation',
  'incidental-imaging',
  'bone-densitometry',
] as const;
export const COLUMN_INVOLVEMENT = ['anterior-only', 'multiple'] as const;
export const MRI_OEDEMA = ['present', 'absent', 'not-imaged'] as const;

const careSetting = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('community') }),
    z.strictObject({ kind: z.literal('admitted'), admittedAt: isoDateTime() }),
  ],
  { error: 'must be { kind: "community" } or { kind: "admitted", admittedAt }' },
);

const vertebralLevels = () =>
  z
    .array(
      z.enum(VERTEBRAL_LEVELS, {
        error: (issue) =>
          `must be a vertebral level from T1 to L5 (got ${JSON.stringify(issue.input)})`,
      }),
      { error: 'must be a list of vertebral levels, e.g. ["T12", "L1"]' },
    )
    .min(1, { error: 'must name at least one fractured vertebral level (T1 to L5)' })
    .refine((levels) => new Set(levels).size === levels.length, {
      error: 'lists the same vertebral level more than once',
    });

export const EpisodeSchema = z.strictObject({
  id: identifier('episode id'),
  patientId: identifier('patient id'),
  /** The pathway version this episode is planned under; fixed at enrolment. */
  pathwayVersion: z
    .string({ error: 'must name a pathway version, e.g. ros-2022.1' })
    .min(1)
    .check(plainCharacters()),
  vertebralLevels: vertebralLevels(),
  /** Date of fracture, or of symptom onset when the fracture date is not known. */
  fractureDate: isoDate(),
  fractureDateEstimated: yesNo().default(false),
  identifiedOn: isoDate(),
  identification: oneOf(IDENTIFICATION_ROUTES),
  careSetting,
  columnInvolvement: oneOf(COLUMN_INVOLVEMENT),
  neurologicalDeficit: yesNo(),
  suspectedMalignancy: yesNo(),
  mriOedema: oneOf(MRI_OEDEMA),
  /** When the episode was entered into the service (set by the write path). */
  enrolledAt: isoDateTime(),
});
export type EpisodeInput = z.input<typeof EpisodeSchema>;
export type Episode = z.output<typeof EpisodeSchema>;

// ---------------------------------------------------------------------------------------------
// Recorded events (append-only). A correction is a new event of the same type whose
// `supersedes` names the event it replaces; a retraction withdraws an entry made in error.

const eventBase = {
  id: identifier('event id'),
  /** When it happened clinically. */
  occurredAt: isoDateTime(),
  /** When it was entered; never before it happened. */
  recordedAt: isoDateTime(),
  /** Who entered it (user id); shown in the history, never logged. */
  recordedBy: identifier('user id'),
  supersedes: identifier('superseded event id').optional(),
  note: freeText().optional(),
};

export const FUNCTIONAL_LIMITATION = ['none', 'mild', 'moderate', 'severe'] as const;
export const MOBILITY = ['independent', 'with-help', 'unable'] as const;
export const FRACTURE_RISK_TOOLS = ['FRAX', 'QFracture'] as const;
export const FRACTURE_RISK_CATEGORIES = ['low', 'intermediate', 'high', 'very-high'] as const;
export const REFERRAL_TYPES = [
  'physiotherapy',
  'individualised-exercise-programme',
  'occupational-therapy',
  'falls-service',
  'pain-clinic',
  'vertebral-augmentation-mdt',
  'spinal-surgery',
] as const;
export type ReferralType = (typeof REFERRAL_TYPES)[number];
export const CONTACT_MODES = ['telephone', 'face-to-face', 'video', 'letter'] as const;
export const TREATMENT_STATUS = ['started', 'not-started', 'not-recommended'] as const;
export const STEP_OUTCOMES = ['done', 'declined', 'not-indicated'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];
export const CLOSURE_REASONS = ['discharged', 'transferred', 'died'] as const;
/** How the patient says they took bone therapy they were on before the fracture. */
export const PRIOR_THERAPY_ADHERENCE = ['as-prescribed', 'doses-missed', 'not-known'] as const;
export const TREATMENT_REVIEW_OUTCOMES = ['continue', 'change', 'stop'] as const;

const drug = z.enum(BONE_THERAPY_DRUGS, {
  error: `must be one of: ${BONE_THERAPY_DRUGS.join(', ')}`,
});

const PainAssessment = z.strictObject({
  ...eventBase,
  type: z.literal('pain-assessment'),
  /** Numeric rating scale 0-10 at rest. */
  nrsAtRest: wholeNumber(0, 10),
  /** Numeric rating scale 0-10 on activity. */
  nrsOnActivity: wholeNumber(0, 10),
  functionalLimitation: oneOf(FUNCTIONAL_LIMITATION),
  mobility: oneOf(MOBILITY).optional(),
  /** Analgesia has been started (the 48-hour rule asks "in spite of initiation of therapy"). */
  onAnalgesia: yesNo().optional(),
  /** Difficulty with dressing or self-care (occupational therapy criterion). */
  selfCareDifficulty: yesNo().optional(),
});

const PsychologicalScreen = z.strictObject({
  ...eventBase,
  type: z.literal('psychological-screen'),
  anxietyOrLowMood: yesNo(),
  painCatastrophising: yesNo(),
  fearOfFalling: yesNo(),
  /** Tools used, e.g. "HADS, PCS, FES-I short form". */
  tools: freeText(200).optional(),
});

const FallsRiskAssessment = z.strictObject({
  ...eventBase,
  type: z.literal('falls-risk-assessment'),
  fallsInLastYear: wholeNumber(0, 100),
  presentedWithFall: yesNo(),
  gaitOrBalanceDifficulty: yesNo(),
  result: oneOf(['at-risk', 'not-at-risk'] as const),
});

const FractureRiskAssessment = z.strictObject({
  ...eventBase,
  type: z.literal('fracture-risk-assessment'),
  tool: oneOf(FRACTURE_RISK_TOOLS),
  /** 10-year probability of a major osteoporotic fracture, percent. */
  majorOsteoporoticFractureRisk: decimal(0, 100, '%'),
  /** 10-year probability of hip fracture, percent. */
  hipFractureRisk: decimal(0, 100, '%').optional(),
  /** The clinician's risk category (e.g. from NOGG thresholds). */
  category: oneOf(FRACTURE_RISK_CATEGORIES),
});

const tScore = () => decimal(-10, 5, ' (T-score)');
const DxaResult = z
  .strictObject({
    ...eventBase,
    type: z.literal('dxa-result'),
    lumbarSpineTScore: tScore().optional(),
    totalHipTScore: tScore().optional(),
    femoralNeckTScore: tScore().optional(),
    vertebralFractureAssessment: yesNo().optional(),
  })
  .refine(
    (dxa) =>
      dxa.lumbarSpineTScore !== undefined ||
      dxa.totalHipTScore !== undefined ||
      dxa.femoralNeckTScore !== undefined,
    {
      error:
        'must give at least one T-score (lumbarSpineTScore, totalHipTScore or femoralNeckTScore)',
      path: ['lumbarSpineTScore'],
    },
  );

/**
 * A DXA appointment booked for the patient, or the booked one cancelled. The latest entry in
 * effect decides the episode's current appointment (plan/appointments.ts); it shows on the DXA
 * step and, under a pathway that sends patient reminders, plans the patient's reminder. It does
 * not complete the DXA step: the dxa-result entry does. Its dates are checked against the episode
 * in validate.ts (not before the fracture, not more than a year ahead; a cancel needs a booking).
 */
export const DXA_APPOINTMENT_ACTIONS = ['booked', 'cancelled'] as const;
const appointmentPlace = () =>
  singleLineText(100, 'where the appointment is').min(1, {
    error: 'must not be empty (where the appointment is); leave it out if it is not known',
  });
const DxaAppointment = z
  .strictObject({
    ...eventBase,
    type: z.literal('dxa-appointment'),
    action: oneOf(DXA_APPOINTMENT_ACTIONS),
    /** The appointment's day on the service's calendar (booked only). */
    appointmentOn: isoDate().optional(),
    /** The appointment's local time, 24-hour HH:MM (booked only; optional). */
    appointmentTime: z
      .string({ error: 'must be a time written HH:MM (24-hour), e.g. 10:30' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
        error: 'must be a time written HH:MM (24-hour), e.g. 10:30',
      })
      .optional(),
    /** Where, in a few words ("Radiology, St Elsewhere Hospital"); optional. */
    place: appointmentPlace().optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.action === 'booked' && entry.appointmentOn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['appointmentOn'],
        message: 'must give the day of the appointment booked (YYYY-MM-DD)',
      });
    }
    if (entry.action === 'cancelled') {
      for (const field of ['appointmentOn', 'appointmentTime', 'place'] as const) {
        if (entry[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message:
              'must be left out of a cancellation (it cancels the appointment booked); to move an appointment, record the new booking',
          });
        }
      }
    }
  });

const LaboratoryScreen = z.strictObject({
  ...eventBase,
  type: z.literal('laboratory-screen'),
  secondaryCauseFound: yesNo(),
});

const Referral = z.strictObject({
  ...eventBase,
  type: z.literal('referral'),
  referralType: oneOf(REFERRAL_TYPES),
});

const BoneTherapyStarted = z.strictObject({
  ...eventBase,
  type: z.literal('bone-therapy-started'),
  drug,
});

const BoneTherapyDose = z.strictObject({
  ...eventBase,
  type: z.literal('bone-therapy-dose'),
  drug,
});

const BoneTherapyStopped = z.strictObject({
  ...eventBase,
  type: z.literal('bone-therapy-stopped'),
  drug,
  reason: freeText(500).optional(),
});

/**
 * Bone therapy the patient took before the fracture (a course that began before it, possibly
 * years before), as they report it. `occurredAt` is when the history was taken, on or after the
 * fracture like any entry; the course's own dates are calendar dates. A course still taken at the
 * fracture is followed like one started since (reviews from its real start, the next dose from
 * its real last dose); a course that had stopped is history. Date rules: validate.ts.
 */
const PriorBoneTherapy = z.strictObject({
  ...eventBase,
  type: z.literal('prior-bone-therapy'),
  drug,
  /** When the course began; on or before the date of fracture. */
  startedOn: isoDate(),
  /** Still taking it when the fracture happened. */
  takingAtFracture: yesNo(),
  /** When it stopped, for a course no longer taken at the fracture. */
  stoppedOn: isoDate().optional(),
  /** Denosumab and zoledronic acid: the date of the last injection or infusion. */
  lastDoseOn: isoDate().optional(),
  /** Adherence as the patient reports it. */
  adherence: oneOf(PRIOR_THERAPY_ADHERENCE),
});

/**
 * A review of bone therapy the patient is taking (after a fracture on treatment, for instance):
 * is it taken as prescribed, is an oral bisphosphonate taken as directed so it is absorbed, and
 * the decision. A stop or a new drug is recorded with its own entry.
 */
const TreatmentReview = z.strictObject({
  ...eventBase,
  type: z.literal('treatment-review'),
  /** The drug reviewed. */
  drug,
  takingAsPrescribed: yesNo(),
  /** Oral bisphosphonates only: taken as the leaflet directs (fasting, with water, upright). */
  takenCorrectly: yesNo().optional(),
  outcome: oneOf(TREATMENT_REVIEW_OUTCOMES),
});

const FollowUpContact = z.strictObject({
  ...eventBase,
  type: z.literal('follow-up-contact'),
  mode: oneOf(CONTACT_MODES),
  treatmentStatus: oneOf(TREATMENT_STATUS).optional(),
  /** Taking bone therapy as prescribed (adherence). */
  takingAsPrescribed: yesNo().optional(),
  fallsReferralActioned: oneOf(['yes', 'no', 'not-applicable'] as const).optional(),
});

/** Findings learned after enrolment (an MRI result, a new neurological sign). */
const ClinicalFindings = z
  .strictObject({
    ...eventBase,
    type: z.literal('clinical-findings'),
    neurologicalDeficit: yesNo().optional(),
    suspectedMalignancy: yesNo().optional(),
    columnInvolvement: oneOf(COLUMN_INVOLVEMENT).optional(),
    mriOedema: oneOf(MRI_OEDEMA).optional(),
  })
  .refine(
    (f) =>
      f.neurologicalDeficit !== undefined ||
      f.suspectedMalignancy !== undefined ||
      f.columnInvolvement !== undefined ||
      f.mriOedema !== undefined,
    {
      error:
        'must record at least one finding: neurologicalDeficit, suspectedMalignancy, columnInvolvement or mriOedema',
      path: ['type'],
    },
  );

/**
 * The episode's own details given at enrolment, as they are corrected later (a mistyped fracture
 * date, a missed level, an admission not known at the time). The episode record itself is never
 * edited: the plan reads the episode as the latest corrections in effect leave it (see
 * episode-details.ts), and a correction of this entry or its withdrawal behaves as for any other.
 */
export const EPISODE_DETAIL_FIELDS = [
  'vertebralLevels',
  'fractureDate',
  'fractureDateEstimated',
  'identifiedOn',
  'identification',
  'careSetting',
] as const;
export type EpisodeDetailField = (typeof EPISODE_DETAIL_FIELDS)[number];

const EpisodeDetailsCorrected = z
  .strictObject({
    ...eventBase,
    type: z.literal('episode-details-corrected'),
    vertebralLevels: vertebralLevels().optional(),
    fractureDate: isoDate().optional(),
    fractureDateEstimated: yesNo().optional(),
    identifiedOn: isoDate().optional(),
    identification: oneOf(IDENTIFICATION_ROUTES).optional(),
    careSetting: careSetting.optional(),
    /** Why the details are corrected; required, because every window may move with them. */
    note: freeText().min(1, { error: 'must say why the enrolment details are corrected' }),
  })
  .refine((c) => EPISODE_DETAIL_FIELDS.some((field) => c[field] !== undefined), {
    error: `must correct at least one detail: ${EPISODE_DETAIL_FIELDS.join(', ')}`,
    path: ['type'],
  });

const StepCompleted = z.strictObject({
  ...eventBase,
  type: z.literal('step-completed'),
  /** The plan step's key, as the plan shows it (e.g. "self-management-advice"). */
  stepKey: z
    .string({ error: 'must be the key of a plan step' })
    .min(1, { error: 'must be the key of a plan step' })
    .check(plainCharacters()),
  outcome: oneOf(STEP_OUTCOMES),
});

/**
 * A scheduler moves when a step's "due" reminder fires, within the step's own window (not before
 * it opens, not on or after the day it becomes overdue; the overdue limit is clinical and stays).
 * The validation and the plan check the window; see window.ts `rescheduleProblem`.
 */
const StepRescheduled = z.strictObject({
  ...eventBase,
  type: z.literal('step-rescheduled'),
  /** The plan step's key, as the plan shows it. */
  stepKey: z
    .string({ error: 'must be the key of a plan step' })
    .min(1, { error: 'must be the key of a plan step' })
    .check(plainCharacters()),
  /** The working day (service time zone) the due reminder now fires on, at the clinic time. */
  remindOn: isoDate(),
  /** Why the reminder moved; required, because the change is audited and shown on the plan. */
  reason: freeText(500).min(1, { error: 'must say why the reminder is moved' }),
});

const Closure = z.strictObject({
  ...eventBase,
  type: z.literal('closure'),
  reason: oneOf(CLOSURE_REASONS),
});

const Retraction = z.strictObject({
  ...eventBase,
  type: z.literal('retraction'),
  supersedes: identifier('event id of the entry made in error'),
  note: freeText().min(1, { error: 'must say why the entry is withdrawn' }),
});

export const EVENT_TYPES = [
  'pain-assessment',
  'psychological-screen',
  'falls-risk-assessment',
  'fracture-risk-assessment',
  'dxa-result',
  'dxa-appointment',
  'laboratory-screen',
  'referral',
  'bone-therapy-started',
  'bone-therapy-dose',
  'bone-therapy-stopped',
  'prior-bone-therapy',
  'treatment-review',
  'follow-up-contact',
  'clinical-findings',
  'episode-details-corrected',
  'step-completed',
  'step-rescheduled',
  'closure',
  'retraction',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ClinicalEventSchema = z.discriminatedUnion(
  'type',
  [
    PainAssessment,
    PsychologicalScreen,
    FallsRiskAssessment,
    FractureRiskAssessment,
    DxaResult,
    DxaAppointment,
    LaboratoryScreen,
    Referral,
    BoneTherapyStarted,
    BoneTherapyDose,
    BoneTherapyStopped,
    PriorBoneTherapy,
    TreatmentReview,
    FollowUpContact,
    ClinicalFindings,
    EpisodeDetailsCorrected,
    StepCompleted,
    StepRescheduled,
    Closure,
    Retraction,
  ],
  { error: `must have a type, one of: ${EVENT_TYPES.join(', ')}` },
);
export type ClinicalEventInput = z.input<typeof ClinicalEventSchema>;
export type ClinicalEvent = z.output<typeof ClinicalEventSchema>;
export type EventOf<T extends EventType> = Extract<ClinicalEvent, { type: T }>;
