// What the scheduler's pages read: the reminders that will go out in the next days (pending
// follow-ups that make a step due or overdue), and e-mail deliveries that failed. Both are range
// scans on an index: follow_ups (state, fire_at) and reminder_deliveries (state, updated_at).
import {
  DEFAULT_SERVICE_SETTINGS,
  type LocalDate,
  type PlanWindow,
  serviceCalendar,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';

/** How far ahead the scheduler's list looks. */
export const UPCOMING_REMINDER_DAYS = 14;
/** Most reminders listed for one day (the day's counts are always complete). */
export const UPCOMING_REMINDER_LIMIT = 500;
/** Most failed deliveries listed at once, newest failure first. */
export const FAILED_DELIVERY_LIMIT = 200;

export interface ReminderPatient {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  /** 'nhs-number' or 'mrn'. */
  readonly identifierKind: string;
  readonly identifierValue: string;
}

export interface ReminderNurse {
  readonly id: string;
  readonly name: string;
}

export interface UpcomingReminder {
  readonly followUpId: string;
  readonly fireAt: Date;
  readonly transition: 'due' | 'overdue';
  readonly urgent: boolean;
  readonly episodeId: string;
  readonly stepKey: string;
  readonly stepTitle: string;
  /**
   * The step's status now. Status follows the guidance's dates, so a reminder moved off a
   * weekend or bank holiday may find its step due or overdue already.
   */
  readonly stepStatus: string;
  /** The step's window as the plan gives it, for the reschedule form. */
  readonly window: PlanWindow | null;
  readonly patient: ReminderPatient;
  readonly nurse: ReminderNurse | null;
}

export interface NurseCount {
  /** null: patients on nobody's caseload. */
  readonly nurse: ReminderNurse | null;
  readonly count: number;
  readonly urgent: number;
  readonly overdue: number;
}

export interface UpcomingDay {
  /** Calendar date in the user's time zone. */
  readonly day: LocalDate;
  readonly count: number;
  readonly urgent: number;
  readonly overdue: number;
  readonly nurses: readonly NurseCount[];
}

export interface UpcomingWindow {
  readonly now: Date;
  /** The user's IANA time zone: days are their calendar days. */
  readonly timeZone: string;
}

function calendarOf(timeZone: string) {
  return serviceCalendar({ ...DEFAULT_SERVICE_SETTINGS, timeZone });
}

/** The user's calendar days from today, each with the instants it starts and ends. */
export function upcomingDays(
  { now, timeZone }: UpcomingWindow,
  days = UPCOMING_REMINDER_DAYS,
): { day: LocalDate; from: Date; until: Date }[] {
  const calendar = calendarOf(timeZone);
  const today = calendar.localDate(now.getTime());
  return Array.from({ length: days }, (_, i) => {
    const day = calendar.addToDate(today, { days: i });
    return {
      day,
      from: new Date(calendar.startOfDay(day)),
      until: new Date(calendar.startOfDay(calendar.addToDate(day, { days: 1 }))),
    };
  });
}

const PENDING_REMINDERS = Prisma.sql`f.state = 'pending' AND f.transition IN ('due', 'overdue')`;

const byNurseName = (a: { nurse: ReminderNurse | null }, b: { nurse: ReminderNurse | null }) =>
  (a.nurse?.name ?? '').localeCompare(b.nurse?.name ?? '') ||
  (a.nurse?.id ?? '').localeCompare(b.nurse?.id ?? '');

/**
 * How many reminders go out on each of the next days (today first, every day listed even when
 * none), split by the patient's responsible nurse. Counts are complete however many there are.
 */
export async function upcomingReminderDays(
  db: Queryable,
  window: UpcomingWindow,
  days = UPCOMING_REMINDER_DAYS,
): Promise<UpcomingDay[]> {
  const range = upcomingDays(window, days);
  const first = range[0];
  const last = range.at(-1);
  if (!first || !last) return [];
  const rows = await db.$queryRaw<
    {
      day: string;
      nurseId: string | null;
      nurseName: string | null;
      n: number;
      urgent: number;
      overdue: number;
    }[]
  >`
    SELECT to_char(f.fire_at AT TIME ZONE ${window.timeZone}, 'YYYY-MM-DD') AS day,
           p.nurse_id AS "nurseId", u.name AS "nurseName", count(*)::int AS n,
           (count(*) FILTER (WHERE f.urgent))::int AS urgent,
           (count(*) FILTER (WHERE f.transition = 'overdue'))::int AS overdue
    FROM follow_ups f
    JOIN episodes e ON e.id = f.episode_id
    JOIN patients p ON p.id = e.patient_id
    LEFT JOIN users u ON u.id = p.nurse_id
    WHERE ${PENDING_REMINDERS} AND f.fire_at >= ${first.from} AND f.fire_at < ${last.until}
    GROUP BY 1, 2, 3`;
  return range.map(({ day }) => {
    const nurses = rows
      .filter((row) => row.day === day)
      .map((row) => ({
        nurse: row.nurseId ? { id: row.nurseId, name: row.nurseName ?? row.nurseId } : null,
        count: row.n,
        urgent: row.urgent,
        overdue: row.overdue,
      }))
      .sort(byNurseName);
    const sum = (key: 'count' | 'urgent' | 'overdue') =>
      nurses.reduce((total, nurse) => total + nurse[key], 0);
    return { day, count: sum('count'), urgent: sum('urgent'), overdue: sum('overdue'), nurses };
  });
}

export interface UpcomingRemindersQuery extends UpcomingWindow {
  /** The day to list (user's calendar); must be one of the next UPCOMING_REMINDER_DAYS. */
  readonly day: LocalDate;
  /** Only this nurse's patients; null for patients on nobody's caseload. */
  readonly nurseId?: string | null;
  readonly limit?: number;
}

export interface ReminderGroup {
  readonly nurse: ReminderNurse | null;
  readonly reminders: readonly UpcomingReminder[];
}

interface UpcomingSqlRow {
  followUpId: string;
  fireAt: Date;
  transition: 'due' | 'overdue';
  urgent: boolean;
  episodeId: string;
  stepKey: string;
  stepTitle: string;
  stepStatus: string;
  window: PlanWindow | null;
  patientId: string;
  givenName: string;
  familyName: string;
  identifierKind: string;
  identifierValue: string;
  nurseId: string | null;
  nurseName: string | null;
}

/**
 * The reminders that go out on one day, grouped by the responsible nurse (patients on nobody's
 * caseload first, so they are not missed), each group in the order they fire. At most `limit`
 * rows; `more` says when the day has more than that (narrow by nurse to see them).
 */
export async function upcomingReminders(
  db: Queryable,
  query: UpcomingRemindersQuery,
): Promise<{ readonly groups: readonly ReminderGroup[]; readonly more: boolean }> {
  const range = upcomingDays(query).find((d) => d.day === query.day);
  if (!range) return { groups: [], more: false };
  const limit = query.limit ?? UPCOMING_REMINDER_LIMIT;
  const nurse =
    query.nurseId === undefined
      ? Prisma.empty
      : query.nurseId === null
        ? Prisma.sql`AND p.nurse_id IS NULL`
        : Prisma.sql`AND p.nurse_id = ${query.nurseId}`;
  const rows = await db.$queryRaw<UpcomingSqlRow[]>`
    SELECT f.id AS "followUpId", f.fire_at AS "fireAt", f.transition, f.urgent,
           f.episode_id AS "episodeId", f.step_key AS "stepKey", s.title AS "stepTitle",
           s.status AS "stepStatus", s.window,
           p.id AS "patientId", p.given_name AS "givenName", p.family_name AS "familyName",
           p.identifier_kind AS "identifierKind", p.identifier_value AS "identifierValue",
           p.nurse_id AS "nurseId", u.name AS "nurseName"
    FROM follow_ups f
    JOIN plan_steps s ON s.episode_id = f.episode_id AND s.key = f.step_key
    JOIN episodes e ON e.id = f.episode_id
    JOIN patients p ON p.id = e.patient_id
    LEFT JOIN users u ON u.id = p.nurse_id
    WHERE ${PENDING_REMINDERS} AND f.fire_at >= ${range.from} AND f.fire_at < ${range.until}
      ${nurse}
    ORDER BY u.name NULLS FIRST, p.nurse_id, f.fire_at, f.id COLLATE "C"
    LIMIT ${limit + 1}`;
  const groups: { nurse: ReminderNurse | null; reminders: UpcomingReminder[] }[] = [];
  for (const row of rows.slice(0, limit)) {
    const rowNurse = row.nurseId ? { id: row.nurseId, name: row.nurseName ?? row.nurseId } : null;
    let group = groups.at(-1);
    if (!group || group.nurse?.id !== rowNurse?.id) {
      group = { nurse: rowNurse, reminders: [] };
      groups.push(group);
    }
    group.reminders.push({
      followUpId: row.followUpId,
      fireAt: row.fireAt,
      transition: row.transition,
      urgent: row.urgent,
      episodeId: row.episodeId,
      stepKey: row.stepKey,
      stepTitle: row.stepTitle,
      stepStatus: row.stepStatus,
      window: row.window,
      patient: {
        id: row.patientId,
        givenName: row.givenName,
        familyName: row.familyName,
        identifierKind: row.identifierKind,
        identifierValue: row.identifierValue,
      },
      nurse: rowNurse,
    });
  }
  return { groups, more: rows.length > limit };
}

/** One step of one episode, for the reschedule form: the step, its window, patient and nurse. */
export async function reminderStep(
  db: Queryable,
  episodeId: string,
  stepKey: string,
): Promise<
  | {
      readonly episodeId: string;
      readonly stepKey: string;
      readonly title: string;
      readonly status: string;
      readonly urgent: boolean;
      readonly window: PlanWindow | null;
      readonly dueAt: Date | null;
      readonly patient: ReminderPatient;
      readonly nurse: ReminderNurse | null;
    }
  | undefined
> {
  const step = await db.planStep.findUnique({
    where: { episodeId_key: { episodeId, key: stepKey } },
    select: {
      title: true,
      status: true,
      urgent: true,
      window: true,
      dueAt: true,
      episode: {
        select: {
          patient: {
            select: {
              id: true,
              givenName: true,
              familyName: true,
              identifierKind: true,
              identifierValue: true,
              nurse: { select: { id: true, name: true } },
            },
          },
        },
      },
    },
  });
  if (!step) return undefined;
  const { nurse, ...patient } = step.episode.patient;
  return {
    episodeId,
    stepKey,
    title: step.title,
    status: step.status,
    urgent: step.urgent,
    window: step.window as unknown as PlanWindow | null,
    dueAt: step.dueAt,
    patient,
    nurse,
  };
}

export interface FailedDeliveryItem {
  readonly deliveryId: string;
  /** failed: the mail server refused every attempt; unknown: an attempt may have gone out. */
  readonly outcome: 'failed' | 'unknown';
  readonly recipient: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly failedAt: Date;
  readonly reminder: {
    readonly id: string;
    readonly kind: string;
    readonly status: string;
    readonly urgent: boolean;
    readonly stepKey: string;
    readonly stepTitle: string;
    readonly createdAt: Date;
    readonly episodeId: string;
  };
  readonly patient: ReminderPatient;
  readonly nurse: ReminderNurse | null;
}

/**
 * E-mail deliveries that failed after every retry, or whose outcome is unknown (a worker stopped
 * while sending and no retry was left), the most recent first, with their
 * reminder, patient and nurse. Read from reminder_deliveries (state, updated_at).
 */
export async function failedDeliveries(
  db: Queryable,
  limit = FAILED_DELIVERY_LIMIT,
): Promise<{ readonly deliveries: readonly FailedDeliveryItem[]; readonly more: boolean }> {
  const rows = await db.reminderDelivery.findMany({
    where: { state: { in: ['failed', 'unknown'] } },
    orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
    take: limit + 1,
    select: {
      id: true,
      state: true,
      recipient: true,
      attempts: true,
      lastError: true,
      updatedAt: true,
      reminder: {
        select: {
          id: true,
          kind: true,
          status: true,
          urgent: true,
          stepKey: true,
          stepTitle: true,
          createdAt: true,
          episodeId: true,
          nurseId: true,
          episode: {
            select: {
              patient: {
                select: {
                  id: true,
                  givenName: true,
                  familyName: true,
                  identifierKind: true,
                  identifierValue: true,
                },
              },
            },
          },
        },
      },
    },
  });
  const nurseIds = [
    ...new Set(rows.flatMap((row) => (row.reminder.nurseId ? [row.reminder.nurseId] : []))),
  ];
  const nurses = new Map(
    (
      await db.user.findMany({ where: { id: { in: nurseIds } }, select: { id: true, name: true } })
    ).map((user) => [user.id, user]),
  );
  const deliveries = rows.slice(0, limit).map((row) => {
    const { episode, nurseId, ...reminder } = row.reminder;
    return {
      deliveryId: row.id,
      outcome: row.state === 'unknown' ? ('unknown' as const) : ('failed' as const),
      recipient: row.recipient,
      attempts: row.attempts,
      lastError: row.lastError,
      failedAt: row.updatedAt,
      reminder,
      patient: episode.patient,
      nurse: nurseId ? (nurses.get(nurseId) ?? { id: nurseId, name: nurseId }) : null,
    };
  });
  return { deliveries, more: rows.length > limit };
}
