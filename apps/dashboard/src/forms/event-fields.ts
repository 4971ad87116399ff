// How each kind of clinical entry is asked for on screen: labels, hints and controls. The values
// and their validation come from packages/domain (its schemas decide what is valid); this file
// only words the questions and turns form text into the shapes the schemas read.
import '@/ui/zod-in-browser';
import {
  BONE_THERAPY_DRUGS,
  CLOSURE_REASONS,
  COLUMN_INVOLVEMENT,
  CONTACT_MODES,
  DXA_APPOINTMENT_ACTIONS,
  EVENT_TYPES,
  type EventType,
  FRACTURE_RISK_CATEGORIES,
  FRACTURE_RISK_TOOLS,
  FUNCTIONAL_LIMITATION,
  IDENTIFICATION_ROUTES,
  MOBILITY,
  MRI_OEDEMA,
  PRIOR_THERAPY_ADHERENCE,
  REFERRAL_TYPES,
  STEP_OUTCOMES,
  type StepEntries,
  type StepOutcome,
  TREATMENT_REVIEW_OUTCOMES,
  TREATMENT_STATUS,
} from '@vfx/domain';
import { formatCalendarDate } from '@/ui/dates';
import type { FieldWords } from './messages';

export type FieldKind =
  | 'whole'
  | 'decimal'
  | 'choice'
  | 'yes-no'
  | 'date'
  | 'text'
  | 'long-text'
  | 'hidden';

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly hint?: string;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

const WORDS: Record<string, string> = {
  'alendronic-acid': 'Alendronic acid',
  'ibandronic-acid': 'Ibandronic acid',
  'zoledronic-acid': 'Zoledronic acid',
  FRAX: 'FRAX',
  QFracture: 'QFracture',
  'very-high': 'Very high',
  'with-help': 'With help',
  'face-to-face': 'Face to face',
  'anterior-only': 'Anterior column only',
  multiple: 'More than one column (potentially unstable)',
  'not-imaged': 'Not imaged',
  'not-started': 'Not started',
  'not-recommended': 'Not recommended',
  'not-indicated': 'Not indicated',
  'individualised-exercise-programme': 'Individualised exercise programme',
  'vertebral-augmentation-mdt': 'Vertebral augmentation MDT',
  'falls-service': 'Falls prevention service',
  'pain-clinic': 'Pain clinic',
  'spinal-surgery': 'Spinal surgery',
  'occupational-therapy': 'Occupational therapy',
  'not-applicable': 'Not applicable',
  continue: 'Continue the same drug',
  change: 'Change to another drug',
  stop: 'Stop bone therapy',
  booked: 'Booked (or moved to a new day)',
  cancelled: 'Cancelled (no appointment now)',
};

/** How a problem's message names the field and says what to do (src/forms/messages.ts). */
export function wordsOf(field: Pick<FieldSpec, 'label' | 'kind'>): FieldWords {
  const kind =
    field.kind === 'whole' || field.kind === 'decimal'
      ? 'number'
      : field.kind === 'long-text' || field.kind === 'hidden'
        ? 'text'
        : field.kind;
  return { label: field.label, kind };
}

/** A domain value as words: "alendronic-acid" → "Alendronic acid". */
export function valueLabel(value: string): string {
  const known = WORDS[value];
  if (known) return known;
  const spaced = value.replace(/-/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const choice = (
  name: string,
  label: string,
  values: readonly string[],
  required = true,
  hint?: string,
): FieldSpec => ({
  name,
  label,
  kind: 'choice',
  required,
  hint,
  options: values.map((value) => ({ value, label: valueLabel(value) })),
});
const yesNo = (name: string, label: string, required = true, hint?: string): FieldSpec => ({
  name,
  label,
  kind: 'yes-no',
  required,
  hint,
});
const whole = (
  name: string,
  label: string,
  min: number,
  max: number,
  hint?: string,
): FieldSpec => ({
  name,
  label,
  kind: 'whole',
  required: true,
  min,
  max,
  step: 1,
  hint,
});
const decimal = (
  name: string,
  label: string,
  min: number,
  max: number,
  required: boolean,
  hint?: string,
): FieldSpec => ({ name, label, kind: 'decimal', required, min, max, step: 0.1, hint });

export interface EventFormSpec {
  readonly type: EventType;
  readonly title: string;
  /** One line on what the entry is for. */
  readonly purpose: string;
  readonly fields: readonly FieldSpec[];
}

export const EVENT_FORMS: Record<EventType, EventFormSpec> = {
  'pain-assessment': {
    type: 'pain-assessment',
    title: 'Pain assessment',
    purpose:
      'Numeric rating scale at rest and on activity, with function. The 48-hour pain review is recorded here.',
    fields: [
      whole(
        'nrsAtRest',
        'Pain at rest (NRS 0-10)',
        0,
        10,
        '0 is no pain, 10 the worst imaginable.',
      ),
      whole('nrsOnActivity', 'Pain on activity (NRS 0-10)', 0, 10),
      choice('functionalLimitation', 'Limitation of daily activities', FUNCTIONAL_LIMITATION),
      choice('mobility', 'Mobility', MOBILITY, false),
      yesNo('onAnalgesia', 'Analgesia has been started', false),
      yesNo('selfCareDifficulty', 'Difficulty with dressing or self-care', false),
    ],
  },
  'psychological-screen': {
    type: 'psychological-screen',
    title: 'Psychological screen',
    purpose: 'Anxiety or low mood, pain catastrophising and fear of falling.',
    fields: [
      yesNo('anxietyOrLowMood', 'Anxiety or low mood'),
      yesNo('painCatastrophising', 'Pain catastrophising'),
      yesNo('fearOfFalling', 'Fear of falling'),
      {
        name: 'tools',
        label: 'Tools used',
        kind: 'text',
        required: false,
        hint: 'e.g. HADS, PCS, FES-I short form',
      },
    ],
  },
  'falls-risk-assessment': {
    type: 'falls-risk-assessment',
    title: 'Falls risk assessment',
    purpose: 'Falls history, gait and balance.',
    fields: [
      whole('fallsInLastYear', 'Falls in the last year', 0, 100),
      yesNo('presentedWithFall', 'Presented with a fall'),
      yesNo('gaitOrBalanceDifficulty', 'Gait or balance difficulty'),
      choice('result', 'Result', ['at-risk', 'not-at-risk']),
    ],
  },
  'fracture-risk-assessment': {
    type: 'fracture-risk-assessment',
    title: 'Fracture risk assessment (FRAX or QFracture)',
    purpose: '10-year probability of fracture and the risk category.',
    fields: [
      choice('tool', 'Tool', FRACTURE_RISK_TOOLS),
      decimal(
        'majorOsteoporoticFractureRisk',
        'Major osteoporotic fracture risk (%)',
        0,
        100,
        true,
      ),
      decimal('hipFractureRisk', 'Hip fracture risk (%)', 0, 100, false),
      choice(
        'category',
        'Risk category',
        FRACTURE_RISK_CATEGORIES,
        true,
        'e.g. from the NOGG thresholds',
      ),
    ],
  },
  'dxa-result': {
    type: 'dxa-result',
    title: 'DXA result',
    purpose: 'T-scores from bone densitometry; give at least one.',
    fields: [
      decimal('lumbarSpineTScore', 'Lumbar spine T-score', -10, 5, false),
      decimal('totalHipTScore', 'Total hip T-score', -10, 5, false),
      decimal('femoralNeckTScore', 'Femoral neck T-score', -10, 5, false),
      yesNo('vertebralFractureAssessment', 'Vertebral fracture assessment done', false),
    ],
  },
  'dxa-appointment': {
    type: 'dxa-appointment',
    title: 'DXA appointment',
    purpose:
      'The DXA appointment booked for the patient, or the booked one cancelled. A new booking moves it. The patient is reminded a week before (no time or place in the message). It does not complete the DXA step: record the DXA result when the scan is done.',
    fields: [
      choice('action', 'The appointment is', DXA_APPOINTMENT_ACTIONS),
      {
        name: 'appointmentOn',
        label: 'Appointment date',
        kind: 'date',
        required: false,
        hint: 'Needed when booked. Not before the date of fracture, and at most a year ahead.',
      },
      {
        name: 'appointmentTime',
        label: 'Appointment time (optional)',
        kind: 'text',
        required: false,
        hint: '24-hour clock, for example 10:30. Shown to staff only.',
      },
      {
        name: 'place',
        label: 'Where (optional)',
        kind: 'text',
        required: false,
        hint: 'A few words, for example Radiology, St Elsewhere Hospital. Shown to staff only.',
      },
    ],
  },
  'laboratory-screen': {
    type: 'laboratory-screen',
    title: 'Laboratory screen',
    purpose: 'Screen for secondary causes of osteoporosis.',
    fields: [yesNo('secondaryCauseFound', 'A secondary cause was found')],
  },
  referral: {
    type: 'referral',
    title: 'Referral made',
    purpose: 'A referral to another service.',
    fields: [choice('referralType', 'Referred to', REFERRAL_TYPES)],
  },
  'bone-therapy-started': {
    type: 'bone-therapy-started',
    title: 'Bone therapy started',
    purpose:
      'The first dose or prescription of a bone-protection drug started since the fracture. For a drug the patient was already taking, record "Bone therapy before the fracture" instead.',
    fields: [choice('drug', 'Drug', BONE_THERAPY_DRUGS)],
  },
  'bone-therapy-dose': {
    type: 'bone-therapy-dose',
    title: 'Bone therapy dose given',
    purpose: 'A dose of an injected or infused drug (e.g. denosumab every 6 months).',
    fields: [choice('drug', 'Drug', BONE_THERAPY_DRUGS)],
  },
  'bone-therapy-stopped': {
    type: 'bone-therapy-stopped',
    title: 'Bone therapy stopped',
    purpose:
      'A course of bone therapy has ended. Its doses and reviews end with it: record a dose given with "Bone therapy dose given" instead.',
    fields: [
      choice('drug', 'Drug', BONE_THERAPY_DRUGS),
      { name: 'reason', label: 'Why it stopped', kind: 'long-text', required: true },
    ],
  },
  'prior-bone-therapy': {
    type: 'prior-bone-therapy',
    title: 'Bone therapy before the fracture',
    purpose:
      'A drug the patient was taking before this fracture (or had taken and stopped), with its real dates, so reviews and the next dose run from them. Therapy started since the fracture is "Bone therapy started".',
    fields: [
      choice('drug', 'Drug', BONE_THERAPY_DRUGS),
      {
        name: 'startedOn',
        label: 'Started on',
        kind: 'date',
        required: true,
        hint: 'On or before the date of fracture; may be years before. An estimate is fine: say so in the note.',
      },
      yesNo('takingAtFracture', 'Still taking it when the fracture happened'),
      {
        name: 'stoppedOn',
        label: 'Stopped on',
        kind: 'date',
        required: false,
        hint: 'Only if the patient had stopped before the fracture.',
      },
      {
        name: 'lastDoseOn',
        label: 'Last injection or infusion on',
        kind: 'date',
        required: false,
        hint: 'Denosumab and zoledronic acid only: the next dose is planned from it.',
      },
      choice(
        'adherence',
        'Taken as prescribed, as the patient reports it',
        PRIOR_THERAPY_ADHERENCE,
      ),
    ],
  },
  'treatment-review': {
    type: 'treatment-review',
    title: 'Bone therapy review',
    purpose:
      'A review of bone therapy the patient is taking (e.g. after a fracture on treatment): adherence, absorption and the decision. Record a stop or a new drug with its own entry.',
    fields: [
      choice('drug', 'Drug reviewed', BONE_THERAPY_DRUGS),
      yesNo('takingAsPrescribed', 'Taking it as prescribed'),
      yesNo(
        'takenCorrectly',
        'Oral bisphosphonate taken as the leaflet directs',
        false,
        'Oral bisphosphonates only: fasting, with plain water, staying upright.',
      ),
      choice('outcome', 'Decision', TREATMENT_REVIEW_OUTCOMES),
    ],
  },
  'follow-up-contact': {
    type: 'follow-up-contact',
    title: 'Follow-up contact',
    purpose: 'An FLS follow-up (e.g. at 16 or 52 weeks): treatment and adherence.',
    fields: [
      choice('mode', 'How', CONTACT_MODES),
      choice('treatmentStatus', 'Bone therapy', TREATMENT_STATUS, false),
      yesNo('takingAsPrescribed', 'Taking bone therapy as prescribed', false),
      choice(
        'fallsReferralActioned',
        'Falls referral actioned',
        ['yes', 'no', 'not-applicable'],
        false,
      ),
    ],
  },
  // Asked for by its own form (a checkbox group for the levels, a radio and a time for the care
  // setting: record/details-form.tsx); these fields word the entry in the history.
  'episode-details-corrected': {
    type: 'episode-details-corrected',
    title: 'Enrolment details corrected',
    purpose:
      'Corrects what was given at enrolment. Windows measured from the fracture date or the admission move with it.',
    fields: [
      { name: 'vertebralLevels', label: 'Fractured levels', kind: 'text', required: false },
      { name: 'fractureDate', label: 'Date of fracture', kind: 'date', required: false },
      yesNo('fractureDateEstimated', 'Fracture date estimated', false),
      { name: 'identifiedOn', label: 'Identified on', kind: 'date', required: false },
      choice('identification', 'How it was identified', IDENTIFICATION_ROUTES, false),
      { name: 'careSetting', label: 'Care setting', kind: 'text', required: false },
    ],
  },
  'clinical-findings': {
    type: 'clinical-findings',
    title: 'New clinical findings',
    purpose: 'Findings learned after enrolment, such as an MRI result or a new neurological sign.',
    fields: [
      yesNo('neurologicalDeficit', 'Neurological deficit', false),
      yesNo('suspectedMalignancy', 'Suspected malignancy', false),
      choice('columnInvolvement', 'Column involvement', COLUMN_INVOLVEMENT, false),
      choice('mriOedema', 'MRI oedema', MRI_OEDEMA, false),
    ],
  },
  'step-completed': {
    type: 'step-completed',
    title: 'Step completed',
    purpose: 'A step done, declined or not indicated, where no other entry records it.',
    fields: [
      { name: 'stepKey', label: 'Step', kind: 'hidden', required: true },
      choice('outcome', 'Outcome', STEP_OUTCOMES),
    ],
  },
  'step-rescheduled': {
    type: 'step-rescheduled',
    title: 'Reminder rescheduled',
    purpose: "Moves when a step's due reminder goes out, within the step's window.",
    fields: [
      { name: 'stepKey', label: 'Step', kind: 'hidden', required: true },
      { name: 'remindOn', label: 'Remind on', kind: 'date', required: true },
      { name: 'reason', label: 'Why it moves', kind: 'long-text', required: true },
    ],
  },
  closure: {
    type: 'closure',
    title: 'Close the episode',
    purpose: 'The patient leaves the pathway. Pending reminders stop.',
    fields: [choice('reason', 'Reason', CLOSURE_REASONS)],
  },
  retraction: {
    type: 'retraction',
    title: 'Withdraw an entry made in error',
    purpose: 'The entry stays in the history, marked as withdrawn, and stops counting.',
    fields: [
      { name: 'supersedes', label: 'Entry', kind: 'hidden', required: true },
      { name: 'note', label: 'Why it is withdrawn', kind: 'long-text', required: true },
    ],
  },
};

/**
 * The generic "step completed" form for one step, offering only the outcomes the step allows
 * (the domain's stepEntries): where a step has an entry of its own, only declined or not
 * indicated. Undefined where the step refuses the generic entry (a dose step).
 */
export function genericCompletionSpec(entries: StepEntries): EventFormSpec {
  const allowed = entries.generic?.outcomes ?? [];
  const base = EVENT_FORMS['step-completed'];
  return {
    ...base,
    purpose: entries.generic?.says ?? base.purpose,
    fields: base.fields.map((field) =>
      field.name === 'outcome'
        ? {
            ...field,
            options: field.options?.filter((option) =>
              allowed.includes(option.value as StepOutcome),
            ),
          }
        : field,
    ),
  };
}

/**
 * Entries recorded from somewhere other than the patient page's menu: enrolment details from its
 * header, a step's outcome from the step page, reminder moves by schedulers, withdrawals from the
 * history, a DXA appointment from the DXA step (pathway versions without it refuse it).
 */
const RECORDED_ELSEWHERE: ReadonlySet<EventType> = new Set([
  'episode-details-corrected',
  'step-completed',
  'step-rescheduled',
  'retraction',
  'dxa-appointment',
]);

/** Entries a nurse records from the patient page, in the domain's order. */
export const RECORDABLE: readonly EventType[] = EVENT_TYPES.filter(
  (type) => !RECORDED_ELSEWHERE.has(type),
);

/** The values as typed, for showing the form again. */
export type TypedValues = Record<string, string>;

/**
 * Turns the form's text into the event the domain schema reads. Text that is not a number stays
 * text, so the schema's own message says what is wrong; empty optional fields are left out.
 */
export function eventFromForm(spec: EventFormSpec, values: TypedValues): Record<string, unknown> {
  const event: Record<string, unknown> = { type: spec.type };
  for (const field of spec.fields) {
    const raw = (values[field.name] ?? '').trim();
    if (raw === '') continue;
    if (field.kind === 'whole' || field.kind === 'decimal') {
      const number = Number(raw);
      event[field.name] = Number.isFinite(number) ? number : raw;
    } else if (field.kind === 'yes-no') {
      event[field.name] = raw === 'yes' ? true : raw === 'no' ? false : raw;
    } else {
      event[field.name] = raw;
    }
  }
  const note = (values.note ?? '').trim();
  if (note && !spec.fields.some((f) => f.name === 'note')) event.note = note;
  return event;
}

/** An event's stored values as form text, to correct it. */
export function formFromEvent(spec: EventFormSpec, event: Record<string, unknown>): TypedValues {
  const values: TypedValues = {};
  for (const field of spec.fields) {
    const value = event[field.name];
    if (value === undefined || value === null) continue;
    values[field.name] =
      field.kind === 'yes-no'
        ? value === true
          ? 'yes'
          : value === false
            ? 'no'
            : String(value)
        : String(value);
  }
  if (typeof event.note === 'string') values.note = event.note;
  return values;
}

/** One stored value in words: a calendar date as a date, levels as a list, a care setting. */
export function valueWords(
  field: FieldSpec,
  value: unknown,
  formatInstant: (iso: string) => string = (iso) => iso,
): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object' && value !== null && 'kind' in value) {
    const setting = value as { kind: string; admittedAt?: string };
    return setting.kind === 'admitted' && setting.admittedAt
      ? `Admitted ${formatInstant(setting.admittedAt)}`
      : valueLabel(setting.kind);
  }
  if (typeof value === 'string')
    return field.kind === 'date' ? formatCalendarDate(value) : valueLabel(value);
  return String(value);
}

/** The stored values in words, for the history ("Pain at rest 6; Pain on activity 8; ..."). */
export function describeEvent(
  spec: EventFormSpec | undefined,
  event: Record<string, unknown>,
  formatInstant?: (iso: string) => string,
): string {
  if (!spec) return '';
  return spec.fields
    .filter((field) => field.kind !== 'hidden' && event[field.name] !== undefined)
    .map((field) => `${field.label}: ${valueWords(field, event[field.name], formatInstant)}`)
    .join('; ');
}
