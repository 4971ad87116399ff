// The shared write machinery of the clinical commands (commands/enrol-patient.ts and
// commands/record-event.ts): validate with packages/domain, store, recompute the plan, store its
// steps and follow-ups, and write the queue commands into the outbox, all in the command's one
// transaction, so a failure leaves nothing behind. Who may do it is not decided here: the
// commands go through runCommand, which asks the domain's permission table.
import { randomUUID } from 'node:crypto';
import {
  type ClinicalEvent,
  computePlan,
  DEFAULT_SERVICE_SETTINGS,
  DemographicsSchema,
  diffPlans,
  type Episode,
  effectiveEpisode,
  type InputIssue,
  type Patient,
  type Plan,
  type PlanChange,
  parseEpisode,
  parseEvent,
  parsePatient,
  type ServiceSettings,
} from '@vfx/domain';
import type { z } from 'zod';
import { insertMany } from '../bulk-insert.js';
import type { Queryable, Transaction } from '../client.js';
import type { CommandScope } from '../commands/run-command.js';
import { isUniqueViolation, withRetries } from '../errors.js';
import { closeRemindersOfSettledSteps } from '../follow-ups/reminder-writer.js';
import type { Prisma } from '../generated/prisma/client.js';
import { syncPatientMessages } from '../patient-messages/sync.js';
import { caseloadHolderProblem, loadCaseloadCandidates } from './caseload-holder.js';
import { collectIssues, RecordError } from './errors.js';
import { storeEpisodeKpis } from './kpi-store.js';
import { applySchedulingCommands, storePlanSteps } from './plan-store.js';

export interface WriteOptions {
  /** The signed-in user (or API key's user) making the change. */
  readonly actorId: string;
  /** The current instant; passed in so tests and the seed can record at chosen times. */
  readonly now?: Date;
  readonly settings?: ServiceSettings;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** A validated event as its append-only row. */
function eventRow(episodeId: string, event: ClinicalEvent) {
  return {
    id: event.id,
    episodeId,
    type: event.type,
    occurredAt: new Date(event.occurredAt),
    recordedAt: new Date(event.recordedAt),
    recordedById: event.recordedBy,
    supersedes: event.supersedes ?? null,
    data: json(event),
  };
}

/** Names are kept beside the pathway record: the pathway never needs them. */
export { DemographicsSchema };

export interface EnrolmentInput {
  readonly patient: unknown;
  readonly demographics: unknown;
  /** The episode without `patientId` and `enrolledAt`, which the write path fills in. */
  readonly episode: unknown;
  /** The nurse whose caseload the patient joins. */
  readonly nurseId?: string | null;
  /**
   * Events that happened before enrolment (an import from another system, or the seed), oldest
   * first. Each is validated against the ones before it; `recordedBy` is the actor, and
   * `recordedAt` may be given (when it was first written down) but not be after now.
   */
  readonly history?: readonly unknown[];
}

export interface EnrolmentResult {
  readonly patient: Patient;
  readonly episode: Episode;
  readonly plan: Plan;
  readonly scheduled: number;
}

/**
 * One transaction, run again after a serialisation failure or deadlock. Given a transaction (the
 * demo seed records everything in one), it is nested in it: what it writes commits or rolls back
 * with the caller's transaction.
 */
export function runWrite<T>(db: Queryable, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return withRetries(() => db.$transaction(work, { maxWait: 10_000, timeout: 30_000 }));
}

export interface ValidEnrolment {
  /** Where this entry's problems are reported ("" for one enrolment, "[3]." in a batch). */
  readonly at: string;
  readonly patient: Patient;
  readonly demographics: z.output<typeof DemographicsSchema>;
  readonly episode: Episode;
  readonly history: readonly ClinicalEvent[];
  readonly nurseId: string | null;
}

/** Validates one enrolment with the domain's schemas; problems go to `issues`, paths after `at`. */
export function validateEnrolment(
  input: EnrolmentInput,
  at: string,
  options: WriteOptions,
  now: Date,
  issues: InputIssue[],
): ValidEnrolment | undefined {
  const context = { now: now.getTime(), settings: options.settings ?? DEFAULT_SERVICE_SETTINGS };
  const found: InputIssue[] = [];
  const patient = collectIssues(found, () => parsePatient(input.patient, context));
  const demographics = DemographicsSchema.safeParse(input.demographics);
  if (!demographics.success) {
    for (const issue of demographics.error.issues) {
      found.push({ path: ['demographics', ...issue.path].join('.'), message: issue.message });
    }
  }
  const episodeInput =
    typeof input.episode === 'object' && input.episode !== null
      ? { enrolledAt: now.toISOString(), ...input.episode, patientId: patient?.id }
      : input.episode;
  // With an invalid patient the episode is still checked, against a stand-in with no date of
  // birth, so a form shows every problem at once instead of one section per attempt.
  const episode = patient
    ? collectIssues(found, () => parseEpisode(episodeInput, { ...context, patient }))
    : undefined;
  if (!patient && typeof input.episode === 'object' && input.episode !== null) {
    const standIn = {
      id: 'unknown-patient',
      identifier: { kind: 'mrn', value: 'unknown' },
      dateOfBirth: '0001-01-01',
      sex: 'not-known',
    } as Patient;
    const episodeIssues: InputIssue[] = [];
    collectIssues(episodeIssues, () =>
      parseEpisode(
        { ...(episodeInput as Record<string, unknown>), patientId: standIn.id },
        { ...context, patient: standIn },
      ),
    );
    found.push(...episodeIssues.filter((issue) => issue.path !== 'episode.patientId'));
  }
  const history: ClinicalEvent[] = [];
  if (episode) {
    for (const [index, raw] of (input.history ?? []).entries()) {
      const stamped =
        typeof raw === 'object' && raw !== null
          ? { id: randomUUID(), recordedAt: now.toISOString(), ...raw, recordedBy: options.actorId }
          : raw;
      const event = collectIssues(found, () =>
        parseEvent(stamped, { ...context, patient, episode, history }, `history[${index}]`),
      );
      if (event) history.push(event);
    }
  }
  issues.push(...found.map((issue) => ({ ...issue, path: `${at}${issue.path}` })));
  if (found.length > 0 || !patient || !episode || !demographics.success) return undefined;
  return {
    at,
    patient,
    demographics: demographics.data,
    episode,
    history,
    nurseId: input.nurseId ?? null,
  };
}

/**
 * Runs an enrolment's transaction. The checks in storeEnrolments find a patient or episode
 * already registered; one registered by someone else at the same moment shows up as a unique
 * violation instead, reported as a conflict.
 */
export async function withEnrolmentConflicts<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new RecordError(
        'conflict',
        'This patient or episode was registered by someone else at the same moment; nothing was saved. Find the patient on the caseload and try again.',
      );
    }
    throw error;
  }
}

/** The first value that appears twice, if any. */
function repeated<T>(values: Iterable<T>): T | undefined {
  const seen = new Set<T>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

const identifierName = (kind: string) => (kind === 'nhs-number' ? 'NHS number' : 'MRN');
const identifierKey = (patient: Patient) =>
  `${patient.identifier.kind}\u0000${patient.identifier.value}`;

/**
 * Stores validated enrolments in the command's transaction: the patients (new ones), episodes,
 * imported history, plans, KPIs and the queue's commands (outbox), with their audit entries.
 */
export async function storeEnrolments(
  { tx, audit }: Pick<CommandScope, 'tx' | 'audit'>,
  entries: readonly ValidEnrolment[],
  settings: ServiceSettings,
  now: Date,
): Promise<EnrolmentResult[]> {
  // The responsible nurse must be able to hold a caseload (caseload-holder.ts decides).
  const nurseIds = [...new Set(entries.flatMap((e) => (e.nurseId ? [e.nurseId] : [])))];
  const nurses = await loadCaseloadCandidates(tx, nurseIds);
  const badNurse = entries.flatMap((e) => {
    const problem = e.nurseId ? caseloadHolderProblem(e.nurseId, nurses.get(e.nurseId)) : undefined;
    return problem ? [{ path: `${e.at}nurseId`, message: problem }] : [];
  });
  if (badNurse.length > 0) throw RecordError.invalid(badNurse);

  // The same patient may come twice in a batch (two episodes), always with one identifier.
  const firstById = new Map<string, ValidEnrolment>();
  const idByIdentifier = new Map<string, string>();
  for (const entry of entries) {
    const { patient } = entry;
    const first = firstById.get(patient.id);
    if (first && identifierKey(first.patient) !== identifierKey(patient)) {
      throw new RecordError(
        'conflict',
        `Patient "${patient.id}" comes twice in the batch with different identifiers`,
      );
    }
    const owner = idByIdentifier.get(identifierKey(patient));
    if (owner && owner !== patient.id) {
      throw new RecordError(
        'conflict',
        `Patients "${owner}" and "${patient.id}" in the batch have the same ${identifierName(patient.identifier.kind)}`,
      );
    }
    if (!first) firstById.set(patient.id, entry);
    idByIdentifier.set(identifierKey(patient), patient.id);
  }
  const twiceEpisode = repeated(entries.map((e) => e.episode.id));
  if (twiceEpisode) {
    throw new RecordError('conflict', `Episode "${twiceEpisode}" comes twice in the batch`);
  }
  const eventIds = entries.flatMap((e) => e.history.map((event) => event.id));
  const twiceEvent = repeated(eventIds);
  if (twiceEvent)
    throw new RecordError('conflict', `Event "${twiceEvent}" comes twice in the batch`);

  const known = new Map(
    (await tx.patient.findMany({ where: { id: { in: [...firstById.keys()] } } })).map((p) => [
      p.id,
      p,
    ]),
  );
  for (const [id, { patient }] of firstById) {
    const row = known.get(id);
    if (
      row &&
      (row.identifierKind !== patient.identifier.kind ||
        row.identifierValue !== patient.identifier.value)
    ) {
      throw new RecordError(
        'conflict',
        `Patient "${id}" is already registered with another identifier`,
      );
    }
  }
  const newPatients = [...firstById.values()].filter((e) => !known.has(e.patient.id));
  if (newPatients.length > 0) {
    // By kind and value, the unique index's columns in its order: by value alone it was a scan
    // of every patient for each batch (the scale seed slowed as the service grew).
    const sameIdentifier = await tx.patient.findMany({
      where: {
        identifierKind: { in: [...new Set(newPatients.map((e) => e.patient.identifier.kind))] },
        identifierValue: { in: newPatients.map((e) => e.patient.identifier.value) },
      },
      select: { id: true, identifierKind: true, identifierValue: true },
    });
    for (const row of sameIdentifier) {
      const entry = newPatients.find(
        (e) =>
          e.patient.identifier.kind === row.identifierKind &&
          e.patient.identifier.value === row.identifierValue,
      );
      if (entry) {
        throw new RecordError(
          'conflict',
          `A patient with this ${identifierName(row.identifierKind)} is already registered (patient "${row.id}")`,
        );
      }
    }
  }
  const takenEpisode = await tx.episode.findFirst({
    where: { id: { in: entries.map((e) => e.episode.id) } },
    select: { id: true },
  });
  if (takenEpisode) {
    throw new RecordError('conflict', `Episode "${takenEpisode.id}" is already enrolled`);
  }
  if (eventIds.length > 0) {
    const taken = await tx.clinicalEvent.findFirst({
      where: { id: { in: eventIds } },
      select: { id: true },
    });
    if (taken) throw new RecordError('conflict', `Event "${taken.id}" is already recorded`);
  }

  if (newPatients.length > 0) {
    await insertMany(
      tx,
      'patients',
      newPatients.map(({ patient, demographics, nurseId }) => ({
        id: patient.id,
        identifierKind: patient.identifier.kind,
        identifierValue: patient.identifier.value,
        givenName: demographics.givenName,
        familyName: demographics.familyName,
        dateOfBirth: new Date(`${patient.dateOfBirth}T00:00:00Z`),
        sex: patient.sex,
        record: json(patient),
        nurseId,
      })),
    );
  }
  await insertMany(
    tx,
    'episodes',
    entries.map(({ patient, episode, history }) => ({
      id: episode.id,
      patientId: patient.id,
      pathwayVersion: episode.pathwayVersion,
      record: json(episode),
      // An imported history may already correct the enrolment's details.
      fractureDate: fractureDateColumn(effectiveEpisode(episode, history)),
      enrolledAt: new Date(episode.enrolledAt),
    })),
  );
  await insertMany(
    tx,
    'clinical_events',
    entries.flatMap((e) => e.history.map((event) => eventRow(e.episode.id, event))),
  );

  // A known patient is planned as stored: their record is kept, whatever this entry says.
  const plans = entries.map((e) =>
    computePlan({
      patient: (known.get(e.patient.id)?.record as unknown as Patient | undefined) ?? e.patient,
      episode: e.episode,
      events: e.history,
      asOf: now.getTime(),
      settings,
    }),
  );
  // The patient's nurse stays responsible for a known patient; a new one joins the given caseload.
  const responsible = (e: ValidEnrolment) =>
    known.has(e.patient.id)
      ? (known.get(e.patient.id)?.nurseId ?? null)
      : (firstById.get(e.patient.id)?.nurseId ?? null);
  await storePlanSteps(
    tx,
    plans.map((plan, i) => ({
      before: undefined,
      after: plan,
      nurseId: responsible(entries[i] as ValidEnrolment),
      planVersion: 1,
    })),
  );
  // Each episode's KPI results, from the plan just stored (kpi-store.ts).
  await storeEpisodeKpis(
    tx,
    entries.map((e, i) => {
      const plan = plans[i] as Plan;
      const patient =
        (known.get(e.patient.id)?.record as unknown as Patient | undefined) ?? e.patient;
      return {
        episodeId: e.episode.id,
        fractureDate: effectiveEpisode(e.episode, e.history).fractureDate,
        pathwayVersion: e.episode.pathwayVersion,
        identifierKind: patient.identifier.kind,
        steps: plan.steps,
        events: e.history,
        closure: plan.closure,
      };
    }),
    settings,
  );
  const { scheduled } = await applySchedulingCommands(
    tx,
    plans.map((plan) => ({ plan, commands: diffPlans(undefined, plan).commands })),
    now,
  );
  // The reminders to patients the plans yield (patient-messages/sync.ts).
  await syncPatientMessages(tx, plans, now, settings);
  await audit([
    ...newPatients.map(({ patient, demographics, nurseId }) => ({
      action: 'patient.registered',
      entityType: 'patient',
      entityId: patient.id,
      patientId: patient.id,
      after: { ...patient, ...demographics, nurseId },
      at: now,
    })),
    ...entries.map(({ patient, episode, history }, i) => ({
      action: 'episode.enrolled',
      entityType: 'episode',
      entityId: episode.id,
      patientId: patient.id,
      after: {
        episode,
        history: history.map((event) => ({ id: event.id, type: event.type })),
        steps: plans[i]?.steps.length,
        followUpsScheduled: scheduled.get(episode.id) ?? 0,
      },
      at: now,
    })),
  ]);
  return entries.map(({ patient, episode }, i) => ({
    patient,
    episode,
    plan: plans[i] as Plan,
    scheduled: scheduled.get(episode.id) ?? 0,
  }));
}

export interface RecordEventInput {
  readonly episodeId: string;
  /**
   * The event as the domain schema describes it. `id` may be left out (a UUID is assigned);
   * `recordedAt` and `recordedBy` are stamped by the write path and may not be given otherwise.
   */
  readonly event: unknown;
}

export interface RecordEventResult {
  readonly event: ClinicalEvent;
  readonly plan: Plan;
  readonly changes: readonly PlanChange[];
  readonly version: number;
}

/**
 * The stored copy of the fracture date that lists and counts filter on (the caseload's phase, the
 * KPI period): the date as the latest correction in effect leaves it, not necessarily the
 * enrolment's. The episode's `record` stays as enrolled, like every other entry: corrections are
 * events, and the domain applies them (effectiveEpisode).
 */
function fractureDateColumn(episode: Episode): Date {
  return new Date(`${episode.fractureDate}T00:00:00Z`);
}

/**
 * Loads an episode's record (patient, episode, events in the order they were written). The
 * episode is as enrolled; effectiveEpisode(episode, events) gives it with its details corrected.
 */
export async function loadEpisodeRecord(tx: Queryable, episodeId: string) {
  const episode = await tx.episode.findUnique({
    where: { id: episodeId },
    include: { patient: true, events: { orderBy: { sequence: 'asc' } } },
  });
  if (!episode) return undefined;
  return {
    row: episode,
    patient: episode.patient.record as unknown as Patient,
    episode: episode.record as unknown as Episode,
    events: episode.events.map((event) => event.data as unknown as ClinicalEvent),
    nurseId: episode.patient.nurseId,
  };
}

/** The event as given, with its id, the time of recording and who records it filled in. */
export function stampEvent(input: unknown, actorId: string, now: Date): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const given = input as Record<string, unknown>;
  const issues: InputIssue[] = [];
  if (given.recordedBy !== undefined && given.recordedBy !== actorId) {
    issues.push({
      path: 'event.recordedBy',
      message: 'is set by the service to the user recording the event; leave it out',
    });
  }
  if (given.recordedAt !== undefined && Date.parse(String(given.recordedAt)) !== now.getTime()) {
    issues.push({
      path: 'event.recordedAt',
      message: 'is set by the service to the time of recording; leave it out',
    });
  }
  if (issues.length > 0) throw RecordError.invalid(issues);
  return {
    id: randomUUID(),
    ...given,
    recordedAt: now.toISOString(),
    recordedBy: actorId,
  };
}

/** An entry checked against its episode, with the plans without and with it. */
export interface PlannedEntry {
  readonly record: NonNullable<Awaited<ReturnType<typeof loadEpisodeRecord>>>;
  readonly event: ClinicalEvent;
  readonly before: Plan;
  readonly after: Plan;
}

/**
 * Validates an entry against its episode as stored and plans the episode without and with it.
 * Shared by the preview and the write, so the preview shows what saving does.
 */
export async function planEntry(
  tx: Queryable,
  input: RecordEventInput,
  stamped: unknown,
  now: Date,
  settings: ServiceSettings,
): Promise<PlannedEntry> {
  const record = await loadEpisodeRecord(tx, input.episodeId);
  if (!record) throw new RecordError('not-found', `Episode "${input.episodeId}" does not exist`);
  const context = { now: now.getTime(), settings };
  const issues: InputIssue[] = [];
  const event = collectIssues(issues, () =>
    parseEvent(stamped, {
      ...context,
      patient: record.patient,
      episode: record.episode,
      history: record.events,
    }),
  );
  if (!event) throw RecordError.invalid(issues);
  const base = {
    patient: record.patient,
    episode: record.episode,
    asOf: now.getTime(),
    settings,
  };
  const before = computePlan({ ...base, events: record.events });
  const after = computePlan({ ...base, events: [...record.events, event] });
  return { record, event, before, after };
}

/**
 * What a permission to record is asked about: the entry's type, or for a withdrawal (a
 * retraction) the type of the entry it withdraws, since withdrawing belongs to whoever may record
 * it. Read from the input as given, before it is validated, so an actor who may not record the
 * entry is refused before anything about it is checked.
 */
export async function entryTypeOf(
  q: Queryable,
  episodeId: string,
  stamped: unknown,
): Promise<string | undefined> {
  const given = (typeof stamped === 'object' && stamped !== null ? stamped : {}) as {
    type?: unknown;
    supersedes?: unknown;
  };
  const type = typeof given.type === 'string' ? given.type : undefined;
  if (type !== 'retraction' || typeof given.supersedes !== 'string') return type;
  const withdrawn = await q.clinicalEvent.findFirst({
    where: { id: given.supersedes, episodeId },
    select: { type: true },
  });
  return withdrawn?.type ?? type;
}

/**
 * Locks the episode for one writer at a time (a second nurse's write waits, then sees the
 * first one's) and refuses an event id already recorded.
 */
export async function lockEpisodeForEntry(
  tx: Transaction,
  episodeId: string,
  stamped: unknown,
): Promise<void> {
  const locked = await tx.$queryRaw<{ version: number }[]>`
    SELECT version FROM episodes WHERE id = ${episodeId} FOR UPDATE`;
  if (locked.length === 0) {
    throw new RecordError('not-found', `Episode "${episodeId}" does not exist`);
  }
  const givenId = (stamped as { id?: unknown } | null)?.id;
  if (
    typeof givenId === 'string' &&
    (await tx.clinicalEvent.findUnique({ where: { id: givenId } }))
  ) {
    throw new RecordError('conflict', `Event "${givenId}" is already recorded`);
  }
}

/**
 * Stores a planned entry: the event, the episode's new version and stored dates, the plan's
 * steps, the KPIs, the queue's commands (outbox), and the closing of reminders on steps that
 * stopped needing action. Returns the episode's new version.
 */
export async function storeEntry(
  tx: Transaction,
  { record, event, before, after }: PlannedEntry,
  commands: ReturnType<typeof diffPlans>['commands'],
  now: Date,
  settings: ServiceSettings,
): Promise<number> {
  const episodeId = record.row.id;
  const version = record.row.version + 1;
  try {
    await tx.clinicalEvent.create({ data: eventRow(episodeId, event) });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new RecordError('conflict', `Event "${event.id}" is already recorded`);
    }
    throw error;
  }
  await tx.episode.update({
    where: { id: episodeId },
    data: {
      version,
      closedAt: after.closure ? new Date(after.closure.at) : null,
      closureReason: after.closure?.reason ?? null,
      // A correction of the details (or its correction or withdrawal) moves the stored copy.
      fractureDate: fractureDateColumn(effectiveEpisode(record.episode, [...record.events, event])),
    },
  });
  await storePlanSteps(tx, [{ before, after, nurseId: record.nurseId, planVersion: version }]);
  const events = [...record.events, event];
  await storeEpisodeKpis(
    tx,
    [
      {
        episodeId,
        fractureDate: effectiveEpisode(record.episode, events).fractureDate,
        pathwayVersion: record.episode.pathwayVersion,
        identifierKind: record.patient.identifier.kind,
        steps: after.steps,
        events,
        closure: after.closure,
      },
    ],
    settings,
  );
  await applySchedulingCommands(tx, [{ plan: after, commands }], now);
  // A step that stopped needing action closes its open reminders (the domain's policy).
  await closeRemindersOfSettledSteps(tx, episodeId, after.steps, now);
  // The reminders to the patient follow the plan: new, moved or cancelled (patient-messages/sync.ts).
  await syncPatientMessages(tx, [after], now, settings);
  return version;
}
