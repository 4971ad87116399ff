// Staff accounts for the administrators' users page: each with role, whether it is active, the
// size of its caseload and its open reminders. API keys' integration users are not staff (they
// are managed on the API keys page) and are left out.
import type { Queryable } from '../client.js';
import type { Role } from '../generated/prisma/client.js';

export interface StaffMember {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly active: boolean;
  readonly createdAt: Date;
  /** Patients whose responsible nurse this user is. */
  readonly caseload: number;
  /** Reminders on this user's worklist still waiting for action. */
  readonly openReminders: number;
}

/** A service has tens of staff, not thousands; the page says when this many are not all. */
export const STAFF_LIST_LIMIT = 1_000;

/**
 * Active accounts first, then by name. The counts are two grouped index scans
 * (patients(nurse_id, ...) and reminders(nurse_id, status, ...)), not one query per user.
 */
export async function staffList(
  db: Queryable,
  limit = STAFF_LIST_LIMIT,
): Promise<{ readonly staff: readonly StaffMember[]; readonly more: boolean }> {
  const users = await db.user.findMany({
    where: { apiKey: { is: null } },
    orderBy: [{ active: 'desc' }, { name: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: { id: true, name: true, email: true, role: true, active: true, createdAt: true },
  });
  const shown = users.slice(0, limit);
  const ids = shown.map((user) => user.id);
  const caseloads = await db.patient.groupBy({
    by: ['nurseId'],
    where: { nurseId: { in: ids } },
    _count: { _all: true },
  });
  const reminders = await db.reminder.groupBy({
    by: ['nurseId'],
    where: { nurseId: { in: ids }, status: 'open' },
    _count: { _all: true },
  });
  const caseloadOf = new Map(caseloads.map((row) => [row.nurseId, row._count._all]));
  const remindersOf = new Map(reminders.map((row) => [row.nurseId, row._count._all]));
  return {
    staff: shown.map((user) => ({
      ...user,
      caseload: caseloadOf.get(user.id) ?? 0,
      openReminders: remindersOf.get(user.id) ?? 0,
    })),
    more: users.length > limit,
  };
}

/**
 * How many patients are on nobody's caseload (enrolled without a nurse, e.g. by another system's
 * FHIR transaction; hazard HAZ-021): the users page offers them as a caseload to move. The
 * patients(nurse_id, ...) index holds the nulls.
 */
export function unassignedPatientCount(db: Queryable): Promise<number> {
  return db.patient.count({ where: { nurseId: null } });
}

/**
 * Who can hold a caseload, for pickers and filters: active nurses and administrators who are
 * people (an API key's integration user is never offered), by name.
 */
export function caseloadHolders(db: Queryable): Promise<{ id: string; name: string }[]> {
  return db.user.findMany({
    where: { role: { in: ['nurse', 'admin'] }, active: true, apiKey: { is: null } },
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
  });
}

export interface UserName {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** The names of the given users (recorded-by ids on a record), for showing who did what. */
export async function userNames(
  db: Queryable,
  ids: Iterable<string>,
): Promise<readonly UserName[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  return db.user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, name: true, role: true },
  });
}
