// What the scheduler's Patient messages page and the patient page read: the patient messages due
// on the service's local day (counted by kind and channel, and listed), the failed ones, the
// patients who opted out, and one patient's contact preferences. Each list is a range or
// equality scan on an index — patient_messages (send_at, state) and (state, updated_at),
// patient_contact_preferences (opted_out_at) — read a page at a time with a keyset cursor, so a
// caseload of 100,000 patients costs what one page costs.
import {
  type ContactPreferences,
  DEFAULT_SERVICE_SETTINGS,
  type LocalDate,
  type ServiceSettings,
  serviceCalendar,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import { contactPreferencesOf } from '../patient-messages/contact-store.js';
import { FAILED_PATIENT_MESSAGE_STATES } from '../patient-messages/states.js';

/** Most messages listed on one page (the day's counts are always complete). */
export const PATIENT_MESSAGE_PAGE = 200;

/** The failed states, as the patient-message engine defines them (patient-messages/states.ts). */
const FAILED = Prisma.join([...FAILED_PATIENT_MESSAGE_STATES]);

export interface MessagePatient {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  /** 'nhs-number' or 'mrn'. */
  readonly identifierKind: string;
  readonly identifierValue: string;
}

export interface PatientMessageRow {
  readonly id: string;
  readonly episodeId: string;
  readonly kind: string;
  readonly stepKey: string;
  readonly channel: string;
  readonly sendAt: Date;
  readonly state: string;
  readonly attempts: number;
  readonly patient: MessagePatient;
}

export interface FailedPatientMessage extends PatientMessageRow {
  readonly failedAt: Date | null;
  readonly updatedAt: Date;
  /** Notify's status from its receipt ('permanent-failure', ...); null when Notify refused it. */
  readonly providerStatus: string | null;
  /** Why, in words: the last error, or the outcome recorded. */
  readonly why: string;
}

export interface KindChannelCount {
  readonly kind: string;
  readonly channel: string;
  readonly count: number;
  /** Still to go (scheduled or being sent). */
  readonly waiting: number;
  /** Accepted by Notify or delivered. */
  readonly sent: number;
  /** Any failure (Notify's temporary, permanent or technical failure, or refused by Notify). */
  readonly failed: number;
}

/** A page of a list: the rows, and the cursor of the next page (null: this is the last). */
export interface Page<T> {
  readonly rows: readonly T[];
  readonly next: string | null;
}

/** The service-local day of `now` and the instants it starts and ends (23 or 25 hours on a clock change). */
export function serviceDay(
  now: Date,
  settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS,
): { readonly day: LocalDate; readonly from: Date; readonly until: Date } {
  const calendar = serviceCalendar(settings);
  const day = calendar.localDate(now.getTime());
  return {
    day,
    from: new Date(calendar.startOfDay(day)),
    until: new Date(calendar.startOfDay(calendar.addToDate(day, { days: 1 }))),
  };
}

/** A keyset cursor: the sort instant and the id of the last row of a page. */
function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && Number.isFinite(Date.parse(at))) {
      return { at: new Date(at), id };
    }
  } catch {
    // fall through: a cursor that is not ours starts from the first page
  }
  return undefined;
}

function pageOf<T extends { id: string }>(rows: T[], limit: number, at: (row: T) => Date): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? encodeCursor(at(last), last.id) : null };
}

interface MessageSqlRow {
  id: string;
  episodeId: string;
  kind: string;
  stepKey: string;
  channel: string;
  sendAt: Date;
  state: string;
  attempts: number;
  patientId: string;
  givenName: string;
  familyName: string;
  identifierKind: string;
  identifierValue: string;
}

const MESSAGE_COLUMNS = Prisma.sql`
  m.id, m.episode_id AS "episodeId", m.kind, m.step_key AS "stepKey", m.channel,
  m.send_at AS "sendAt", m.state, m.attempts,
  p.id AS "patientId", p.given_name AS "givenName", p.family_name AS "familyName",
  p.identifier_kind AS "identifierKind", p.identifier_value AS "identifierValue"`;

function messageOf(row: MessageSqlRow): PatientMessageRow {
  return {
    id: row.id,
    episodeId: row.episodeId,
    kind: row.kind,
    stepKey: row.stepKey,
    channel: row.channel,
    sendAt: row.sendAt,
    state: row.state,
    attempts: row.attempts,
    patient: {
      id: row.patientId,
      givenName: row.givenName,
      familyName: row.familyName,
      identifierKind: row.identifierKind,
      identifierValue: row.identifierValue,
    },
  };
}

export interface DueTodayQuery {
  readonly now: Date;
  readonly settings?: ServiceSettings;
  readonly limit?: number;
  /** The `next` cursor of the previous page. */
  readonly after?: string;
}

export interface DueToday {
  /** The service-local day ("today" where the service is, whatever the server's zone). */
  readonly day: LocalDate;
  readonly total: number;
  /** Every kind and channel with a message today, by kind then channel; complete. */
  readonly counts: readonly KindChannelCount[];
  /** The day's messages in the order they go, a page at a time. */
  readonly messages: Page<PatientMessageRow>;
}

/**
 * The patient messages whose send time falls on the service's local day of `now` (cancelled ones
 * left out: they will not go), counted by kind and channel and listed in sending order.
 */
export async function patientMessagesDueToday(
  db: Queryable,
  query: DueTodayQuery,
): Promise<DueToday> {
  const { day, from, until } = serviceDay(query.now, query.settings);
  const limit = query.limit ?? PATIENT_MESSAGE_PAGE;
  const after = decodeCursor(query.after);
  const counts = await db.$queryRaw<
    { kind: string; channel: string; n: number; waiting: number; sent: number; failed: number }[]
  >`
    SELECT m.kind, m.channel, count(*)::int AS n,
           (count(*) FILTER (WHERE m.state IN ('scheduled', 'sending')))::int AS waiting,
           (count(*) FILTER (WHERE m.state IN ('sent', 'delivered')))::int AS sent,
           (count(*) FILTER (WHERE m.state IN (${FAILED})))::int AS failed
    FROM patient_messages m
    WHERE m.send_at >= ${from} AND m.send_at < ${until} AND m.state <> 'cancelled'
    GROUP BY m.kind, m.channel
    ORDER BY m.kind COLLATE "C", m.channel COLLATE "C"`;
  const keyset = after
    ? Prisma.sql`AND (m.send_at, m.id) > (${after.at}, ${after.id})`
    : Prisma.empty;
  const rows = await db.$queryRaw<MessageSqlRow[]>`
    SELECT ${MESSAGE_COLUMNS}
    FROM patient_messages m
    JOIN patients p ON p.id = m.patient_id
    WHERE m.send_at >= ${from} AND m.send_at < ${until} AND m.state <> 'cancelled' ${keyset}
    ORDER BY m.send_at, m.id
    LIMIT ${limit + 1}`;
  const countsOut = counts.map((row) => ({
    kind: row.kind,
    channel: row.channel,
    count: row.n,
    waiting: row.waiting,
    sent: row.sent,
    failed: row.failed,
  }));
  return {
    day,
    total: countsOut.reduce((sum, row) => sum + row.count, 0),
    counts: countsOut,
    messages: pageOf(rows.map(messageOf), limit, (row) => row.sendAt),
  };
}

export interface ListQuery {
  readonly limit?: number;
  readonly after?: string;
}

/**
 * Messages that failed (refused by Notify, or Notify's temporary, permanent or technical
 * failure), the most recent change first, each with why. A permanent failure or a refusal has
 * also raised a task for the nurse.
 */
export async function failedPatientMessages(
  db: Queryable,
  query: ListQuery = {},
): Promise<Page<FailedPatientMessage>> {
  const limit = query.limit ?? PATIENT_MESSAGE_PAGE;
  const after = decodeCursor(query.after);
  const keyset = after
    ? Prisma.sql`AND (m.updated_at, m.id) < (${after.at}, ${after.id})`
    : Prisma.empty;
  const rows = await db.$queryRaw<
    (MessageSqlRow & {
      failedAt: Date | null;
      updatedAt: Date;
      providerStatus: string | null;
      lastError: string | null;
      outcome: string | null;
    })[]
  >`
    SELECT ${MESSAGE_COLUMNS}, m.failed_at AS "failedAt", m.updated_at AS "updatedAt",
           m.provider_status AS "providerStatus", m.last_error AS "lastError", m.outcome
    FROM patient_messages m
    JOIN patients p ON p.id = m.patient_id
    WHERE m.state IN (${FAILED}) ${keyset}
    ORDER BY m.updated_at DESC, m.id DESC
    LIMIT ${limit + 1}`;
  return pageOf(
    rows.map((row) => ({
      ...messageOf(row),
      failedAt: row.failedAt,
      updatedAt: row.updatedAt,
      providerStatus: row.providerStatus,
      why:
        row.lastError ??
        row.outcome ??
        (row.providerStatus ? `Notify reported ${row.providerStatus}` : 'No reason recorded'),
    })),
    limit,
    (row) => row.updatedAt,
  );
}

export interface OptOut {
  readonly patient: MessagePatient;
  /** The patient's latest episode, to link to the patient page (null: none yet). */
  readonly episodeId: string | null;
  readonly optedOutAt: Date;
  readonly optedOutBy: { readonly id: string; readonly name: string } | null;
  readonly reason: string | null;
  /** For the keyset cursor. */
  readonly id: string;
}

/** The patients who opted out of reminders, the most recent first: who, when, by whom and why. */
export async function patientOptOuts(db: Queryable, query: ListQuery = {}): Promise<Page<OptOut>> {
  const limit = query.limit ?? PATIENT_MESSAGE_PAGE;
  const after = decodeCursor(query.after);
  const keyset = after
    ? Prisma.sql`AND (c.opted_out_at, c.patient_id) < (${after.at}, ${after.id})`
    : Prisma.empty;
  const rows = await db.$queryRaw<
    {
      patientId: string;
      givenName: string;
      familyName: string;
      identifierKind: string;
      identifierValue: string;
      optedOutAt: Date;
      optedOutBy: string | null;
      optedOutByName: string | null;
      reason: string | null;
      episodeId: string | null;
    }[]
  >`
    SELECT c.patient_id AS "patientId", p.given_name AS "givenName", p.family_name AS "familyName",
           p.identifier_kind AS "identifierKind", p.identifier_value AS "identifierValue",
           c.opted_out_at AS "optedOutAt", c.opted_out_by AS "optedOutBy",
           u.name AS "optedOutByName", c.opt_out_reason AS reason,
           (SELECT e.id FROM episodes e WHERE e.patient_id = c.patient_id
             ORDER BY e.enrolled_at DESC, e.id DESC LIMIT 1) AS "episodeId"
    FROM patient_contact_preferences c
    JOIN patients p ON p.id = c.patient_id
    LEFT JOIN users u ON u.id = c.opted_out_by
    WHERE c.opted_out_at IS NOT NULL ${keyset}
    ORDER BY c.opted_out_at DESC, c.patient_id DESC
    LIMIT ${limit + 1}`;
  return pageOf(
    rows.map((row) => ({
      id: row.patientId,
      patient: {
        id: row.patientId,
        givenName: row.givenName,
        familyName: row.familyName,
        identifierKind: row.identifierKind,
        identifierValue: row.identifierValue,
      },
      episodeId: row.episodeId,
      optedOutAt: row.optedOutAt,
      optedOutBy: row.optedOutBy
        ? { id: row.optedOutBy, name: row.optedOutByName ?? row.optedOutBy }
        : null,
      reason: row.reason,
    })),
    limit,
    (row) => row.optedOutAt,
  );
}

export interface PatientContactDetails {
  readonly preferences: ContactPreferences;
  readonly consentBy: { readonly id: string; readonly name: string } | null;
  readonly optedOutBy: { readonly id: string; readonly name: string } | null;
  readonly optOutReason: string | null;
  readonly updatedAt: Date;
  readonly updatedBy: { readonly id: string; readonly name: string };
}

/** One patient's contact preferences with who recorded them, or null when none are recorded. */
export async function patientContactDetails(
  db: Queryable,
  patientId: string,
): Promise<PatientContactDetails | null> {
  const row = await db.patientContactPreferences.findUnique({ where: { patientId } });
  if (!row) return null;
  const ids = [row.consentBy, row.optedOutBy, row.updatedBy].filter(
    (id): id is string => typeof id === 'string',
  );
  const users = await db.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true },
  });
  const named = (id: string | null) =>
    id === null ? null : { id, name: users.find((user) => user.id === id)?.name ?? id };
  return {
    preferences: contactPreferencesOf(row),
    consentBy: named(row.consentBy),
    optedOutBy: named(row.optedOutBy),
    optOutReason: row.optOutReason,
    updatedAt: row.updatedAt,
    updatedBy: named(row.updatedBy) ?? { id: row.updatedBy, name: row.updatedBy },
  };
}

/**
 * A patient's contact preferences for the JSON API: undefined when there is no such patient;
 * `details` null when none are recorded yet (the patient is then sent nothing).
 */
export async function patientContactPreferences(
  db: Queryable,
  patientId: string,
): Promise<
  { readonly patientId: string; readonly details: PatientContactDetails | null } | undefined
> {
  const patient = await db.patient.findUnique({ where: { id: patientId }, select: { id: true } });
  if (!patient) return undefined;
  return { patientId: patient.id, details: await patientContactDetails(db, patientId) };
}
