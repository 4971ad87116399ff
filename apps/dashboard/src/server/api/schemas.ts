// The shapes the JSON API accepts and returns, as zod schemas. Request bodies are built from the
// domain's own schemas (the write path validates with the same ones), so what the OpenAPI
// document promises and what the service enforces cannot disagree. Response schemas describe
// the domain's plan types; handlers are typed against them and tests validate real responses
// against the document generated from them.
import { DemographicsSchema } from '@vfx/database/commands';
import { FOLLOW_UP_STATES } from '@vfx/database/views';
import {
  BONE_THERAPY_DRUGS,
  ClinicalEventSchema,
  CONTACT_CHANNELS,
  EpisodeSchema,
  EVENT_TYPES,
  PATIENT_CHANNELS,
  PatientSchema,
  type Plan,
  type PlanChange,
  plainCharacters,
  RECORDED_VALUE_KINDS,
  SEXES,
  SOURCE_DOCUMENTS,
  type SourceDocumentId,
} from '@vfx/domain';
import { z } from 'zod';
import { API_ERROR_CODES } from './errors';
import type { Readable } from './operation';

const instant = () => z.iso.datetime({ offset: true });
const calendarDate = () => z.iso.date();
const text = () => z.string();

// ---------------------------------------------------------------------------------------------
// Requests

/** Ids in paths: what the domain accepts as a patient or episode id. */
export const RecordId = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' })
  .regex(/^[A-Za-z0-9._~-]+$/, { error: 'may contain only letters, digits and . _ ~ -' });

type EventOption = z.ZodObject<z.ZodRawShape>;
const eventOptions = ClinicalEventSchema.options as unknown as readonly EventOption[];

/**
 * The domain's event schemas with the fields the service stamps: `id` may be left out (a UUID is
 * given), `recordedBy` is always the key's user, and `recordedAt` is the time of recording unless
 * `recordedAtAllowed` (history brought in at enrolment, written down earlier elsewhere).
 */
function stampedEvent(recordedAtAllowed: boolean) {
  const options = eventOptions.map((option) => {
    const { id, recordedAt, recordedBy: _stampedByService, ...rest } = option.shape;
    return z.strictObject({
      ...rest,
      id: (id as z.ZodType).optional(),
      ...(recordedAtAllowed ? { recordedAt: (recordedAt as z.ZodType).optional() } : {}),
    });
  });
  return z.discriminatedUnion(
    'type',
    options as unknown as [EventOption, EventOption, ...EventOption[]],
    { error: `must have a type, one of: ${EVENT_TYPES.join(', ')}` },
  );
}

const EnrolmentEpisode = EpisodeSchema.omit({ patientId: true }).extend({
  enrolledAt: EpisodeSchema.shape.enrolledAt.optional().meta({
    description: 'When the episode entered the service; the time of the request if left out.',
  }),
});

export const EnrolmentBody = z
  .strictObject({
    patient: PatientSchema,
    demographics: DemographicsSchema,
    episode: EnrolmentEpisode.meta({
      description: "The fracture episode; the patient's id is taken from `patient`.",
    }),
    nurseId: z
      .string()
      .min(1)
      .max(100)
      .check(plainCharacters())
      .nullable()
      .optional()
      .meta({ description: 'The user id of the nurse whose caseload the patient joins.' }),
    history: z.array(stampedEvent(true)).max(500).optional().meta({
      description:
        'Events before enrolment, oldest first (an import from another system). Each is checked against those before it.',
    }),
  })
  .meta({ description: 'A patient and a new fracture episode, as the write path enrols them.' });

export const RecordEventBody = z.strictObject({
  event: stampedEvent(false).meta({
    description:
      'A clinical event. `recordedAt` and `recordedBy` are set by the service; give `supersedes` to correct an earlier entry.',
  }),
});

export const FollowUpsQuery = z.strictObject({
  status: z.enum(FOLLOW_UP_STATES, {
    error: `must be one of: ${FOLLOW_UP_STATES.join(', ')}`,
  }),
  from: instant().optional().meta({ description: 'Fire time from (inclusive), with a time zone.' }),
  to: instant().optional().meta({ description: 'Fire time before (exclusive), with a time zone.' }),
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 500' })
    .int({ error: 'must be a whole number from 1 to 500' })
    .min(1, { error: 'must be a whole number from 1 to 500' })
    .max(500, { error: 'must be a whole number from 1 to 500' })
    .default(100),
  cursor: z
    .string()
    .min(1)
    .max(500)
    .check(plainCharacters())
    .optional()
    .meta({ description: "The previous page's nextCursor, passed back unchanged." }),
});

// ---------------------------------------------------------------------------------------------
// Responses

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(API_ERROR_CODES),
    message: text(),
    issues: z.array(z.object({ path: text(), message: text() })).optional(),
  }),
});

const SOURCE_IDS = Object.keys(SOURCE_DOCUMENTS) as [SourceDocumentId, ...SourceDocumentId[]];
const SourceRef = z.object({ document: z.enum(SOURCE_IDS), section: text(), quote: text() });
const Citation = z.object({
  document: z.enum(SOURCE_IDS),
  title: text(),
  file: text(),
  section: text(),
  quote: text(),
});
const STEP_CATEGORIES = [
  'red-flag',
  'acute-care',
  'rehabilitation',
  'holistic-assessment',
  'secondary-prevention',
  'bone-therapy',
] as const;
const STEP_STATUSES = [
  'upcoming',
  'open',
  'due',
  'overdue',
  'completed',
  'not-applicable',
  'cancelled',
] as const;
/**
 * What a timer does: 'due' and 'overdue' send a reminder; 'open', 'due-day' and 'overdue-day'
 * only change the status at the start of the guidance's day (packages/domain TimerTransition).
 */
const TRANSITIONS = ['open', 'due-day', 'due', 'overdue-day', 'overdue'] as const;

const TimingBasis = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('guideline'), source: SourceRef }),
  z.object({
    kind: z.literal('service-standard'),
    explanation: text(),
    source: SourceRef.optional(),
  }),
]);

const RecordedBasis = z
  .object({
    what: z.enum(RECORDED_VALUE_KINDS),
    eventId: text(),
    at: instant(),
    on: calendarDate(),
    ageDays: z.number().int(),
    stale: z
      .boolean()
      .meta({ description: 'Older than the limit: its advice is held back; assess again.' }),
    limitDays: z.number().int().optional(),
    limitBasis: TimingBasis.optional(),
  })
  .meta({ description: 'A recorded entry a recommendation was read from, with its date and age.' });

const PlanWindowSchema = z.object({
  granularity: z.enum(['day', 'exact']),
  anchor: text(),
  opens: text(),
  due: text(),
  overdueFrom: text(),
  transitions: z
    .object({ open: instant(), due: instant(), overdue: instant() })
    .meta({ description: "When the status changes: the guidance's dates, weekends included." }),
  reminders: z.object({ due: instant().optional(), overdue: instant() }).meta({
    description:
      'When the due and overdue reminders go out (working mornings for day windows); no due reminder when no working day is left before the step is overdue.',
  }),
  adjustments: z.array(text()),
  rescheduledTo: text()
    .optional()
    .meta({ description: 'The day a scheduler moved the due reminder to, within the window.' }),
  timing: TimingBasis,
});

export const PlanStepSchema = z.object({
  key: text(),
  stepId: text(),
  title: text(),
  why: text(),
  action: text(),
  category: z.enum(STEP_CATEGORIES),
  sources: z.array(Citation),
  kpi: text().optional(),
  status: z.enum(STEP_STATUSES),
  reason: text(),
  urgent: z.boolean(),
  window: PlanWindowSchema.optional(),
  completion: z
    .object({
      eventId: text(),
      eventType: text(),
      at: instant(),
      recordedBy: text(),
      outcome: z.enum(['done', 'declined', 'not-indicated']),
    })
    .optional(),
  notes: z.array(text()),
  drug: z.enum(BONE_THERAPY_DRUGS).optional().meta({
    description: 'For a step of one bone-therapy course (its doses, its review): the drug.',
  }),
});

export const PlanSchema = z.object({
  pathwayVersion: text(),
  episodeId: text(),
  patientId: text(),
  asOf: instant(),
  timeZone: text(),
  daysSinceFracture: z.number().int(),
  phase: z.enum(['acute', 'subacute', 'chronic']),
  branch: z.enum(['conservative', 'red-flag']),
  redFlags: z.array(text()),
  closure: z.object({ reason: text(), at: instant() }).optional(),
  steps: z.array(PlanStepSchema),
  recommendations: z.array(
    z.object({
      id: text(),
      title: text(),
      text: text(),
      category: z.enum(STEP_CATEGORIES),
      priority: z.enum(['urgent', 'high', 'routine']),
      reason: text(),
      sources: z.array(Citation),
      cautions: z.array(z.object({ text: text(), source: Citation })),
      contested: z.boolean(),
      conflicts: z.array(z.object({ position: text(), source: Citation })),
      basedOn: z.array(RecordedBasis),
      withholds: z.array(z.object({ id: text(), title: text() })).meta({
        description:
          'For a request to assess again: the advice its stale entry would have given, held back.',
      }),
    }),
  ),
  timers: z.array(
    z.object({
      id: text(),
      episodeId: text(),
      stepKey: text(),
      transition: z.enum(TRANSITIONS),
      fireAt: instant(),
      urgent: z.boolean(),
    }),
  ),
});

/** The plan in brief: where the episode is and what each step's status and dates are. */
export const PlanSummarySchema = z.object({
  asOf: instant(),
  pathwayVersion: text(),
  phase: z.enum(['acute', 'subacute', 'chronic']),
  branch: z.enum(['conservative', 'red-flag']),
  redFlags: z.array(text()),
  closure: z.object({ reason: text(), at: instant() }).optional(),
  steps: z.array(
    z.object({
      key: text(),
      title: text(),
      category: z.enum(STEP_CATEGORIES),
      status: z.enum(STEP_STATUSES),
      urgent: z.boolean(),
      reason: text(),
      opensAt: instant().optional(),
      dueAt: instant().optional(),
      overdueAt: instant().optional(),
    }),
  ),
  recommendations: z.number().int().meta({ description: 'How many recommendations apply now.' }),
});

export function planSummary(plan: Plan): Readable<z.output<typeof PlanSummarySchema>> {
  return {
    asOf: plan.asOf,
    pathwayVersion: plan.pathwayVersion,
    phase: plan.phase,
    branch: plan.branch,
    redFlags: plan.redFlags,
    ...(plan.closure ? { closure: plan.closure } : {}),
    steps: plan.steps.map((step) => ({
      key: step.key,
      title: step.title,
      category: step.category,
      status: step.status,
      urgent: step.urgent,
      reason: step.reason,
      ...(step.window
        ? {
            opensAt: step.window.transitions.open,
            dueAt: step.window.transitions.due,
            overdueAt: step.window.transitions.overdue,
          }
        : {}),
    })),
    recommendations: plan.recommendations.length,
  };
}

const PatientOut = z.object({
  id: text(),
  identifier: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('nhs-number'), value: text() }),
    z.object({ kind: z.literal('mrn'), value: text(), issuer: text().optional() }),
  ]),
  dateOfBirth: calendarDate(),
  sex: z.enum(SEXES),
});

const Demographics = z.object({ givenName: text(), familyName: text() });

const PlanChangeSchema = z.object({
  stepKey: text(),
  title: text(),
  kind: z.enum(['added', 'removed', 'status', 'window', 'pathway-version']),
  before: text().optional(),
  after: text().optional(),
  reason: text(),
});

const Links = (names: readonly string[]) =>
  z.object(Object.fromEntries(names.map((name) => [name, text()])));

export const EnrolmentCreated = z.object({
  patient: PatientOut,
  demographics: Demographics,
  episode: EpisodeSchema,
  plan: PlanSummarySchema,
  followUpsScheduled: z.number().int(),
  links: Links(['patient', 'plan', 'timeline', 'events']),
});

export const EventRecorded = z.object({
  event: ClinicalEventSchema,
  version: z.number().int().meta({ description: "The episode's record version after the event." }),
  changes: z.array(PlanChangeSchema),
  plan: PlanSummarySchema,
});

export const PatientResponse = z.object({
  patient: PatientOut.extend({
    givenName: text(),
    familyName: text(),
    nurse: z.object({ id: text(), name: text() }).nullable(),
    registeredAt: instant(),
  }),
  episodes: z.array(
    z.object({
      id: text(),
      pathwayVersion: text(),
      fractureDate: calendarDate(),
      enrolledAt: instant(),
      closedAt: instant().nullable(),
      closureReason: text().nullable(),
      version: z.number().int(),
      episode: EpisodeSchema,
      links: Links(['plan', 'timeline', 'events']),
    }),
  ),
});

const Recorder = z.object({ id: text(), name: text() });

export const ContactPreferencesResponse = z.object({
  patientId: text(),
  preferences: z
    .object({
      channel: z.enum(CONTACT_CHANNELS),
      consentAt: instant()
        .nullable()
        .meta({ description: 'When the patient agreed to reminders on this channel.' }),
      optedOutAt: instant()
        .nullable()
        .meta({ description: 'When the patient opted out; a later consent clears it.' }),
      mobile: text().optional().meta({ description: 'A UK mobile number in E.164 (+447...).' }),
      email: text().optional(),
      address: z
        .object({
          lines: z.array(text()).meta({ description: 'Up to 6 lines, without the postcode.' }),
          postcode: text(),
        })
        .optional(),
    })
    .nullable()
    .meta({
      description: 'As recorded; null when none are recorded (the patient is sent nothing).',
    }),
  consentBy: Recorder.nullable(),
  optedOutBy: Recorder.nullable(),
  optOutReason: text().nullable(),
  updatedAt: instant().nullable(),
  updatedBy: Recorder.nullable(),
  reminders: z
    .discriminatedUnion('reachable', [
      z.object({ reachable: z.literal(true), channel: z.enum(PATIENT_CHANNELS) }),
      z.object({ reachable: z.literal(false), why: text() }),
    ])
    .meta({
      description:
        'Whether reminders may be sent to the patient now and on which channel, or why not, as the service decides it at send.',
    }),
});

export const PlanResponse = z.object({
  episodeId: text(),
  patientId: text(),
  version: z.number().int(),
  plan: PlanSchema,
});

export const TimelineResponse = z.object({
  episodeId: text(),
  patientId: text(),
  version: z.number().int(),
  asOf: instant(),
  events: z.array(
    z.object({
      position: z.number().int().meta({ description: '1 for the first entry in the log.' }),
      event: ClinicalEventSchema,
      recordedBy: z.object({ id: text(), name: text() }),
      status: z.enum(['in-effect', 'corrected', 'retracted', 'retraction']).meta({
        description:
          'in-effect: counts in the plan; corrected: replaced by a later entry; retracted: withdrawn as made in error; retraction: the withdrawal itself.',
      }),
      supersedes: text().nullable(),
      supersededBy: text().nullable(),
    }),
  ),
  steps: z.array(PlanStepSchema),
});

export const FollowUpsResponse = z.object({
  followUps: z.array(
    z.object({
      id: text(),
      episodeId: text(),
      patientId: text(),
      stepKey: text(),
      stepTitle: text().nullable(),
      transition: z.enum(TRANSITIONS),
      fireAt: instant(),
      urgent: z.boolean(),
      status: z.enum(FOLLOW_UP_STATES),
      outcome: text().nullable(),
      createdAt: instant(),
      settledAt: instant().nullable(),
      latenessMs: z.number().int().nullable(),
    }),
  ),
  nextCursor: text()
    .nullable()
    .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
});

export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: text(), version: text() }),
  paths: z.record(z.string(), z.unknown()),
});

// The domain's types must fit the documented schemas: a change there fails to compile here.
type Fits<Actual, Documented> = Actual extends Readable<Documented> ? true : never;
const planFits: Fits<Plan, z.output<typeof PlanSchema>> = true;
const changeFits: Fits<PlanChange, z.output<typeof PlanChangeSchema>> = true;
void planFits;
void changeFits;
