// The audit log as administrators read it: newest first, filtered by who acted, which patient
// and when. Keyset pagination on (at, id): `at` is when the change happened (a seed or an import
// may write it in the past, so ids alone are not in time order) and the id breaks ties between
// entries of one transaction. Each filter has an index whose leading columns match it:
// (actor, at), (patient_id, at), or (at) alone, so a page costs the same however deep it is.
import { normaliseNhsNumber, textProblem } from '@vfx/domain';
import type { Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';

export const AUDIT_PAGE_MAX = 200;

export interface AuditCursor {
  readonly at: Date;
  readonly id: bigint;
}

export interface AuditQuery {
  /** A user id, or "system:<component>", or "anonymous" (refused sign-ins). */
  readonly actor?: string;
  readonly patientId?: string;
  /** From this instant (inclusive). */
  readonly from?: Date;
  /** Before this instant (exclusive). */
  readonly to?: Date;
  /** 1 to AUDIT_PAGE_MAX. */
  readonly limit: number;
  /** Continue after this entry (from the previous page's nextCursor). */
  readonly after?: AuditCursor;
}

export interface AuditPatient {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly identifierKind: string;
  readonly identifierValue: string;
  /** The most recently enrolled episode, for a link to the patient's record. */
  readonly latestEpisodeId: string | null;
}

export interface AuditRow {
  readonly id: bigint;
  readonly at: Date;
  readonly actor: string;
  /** The acting user's name; null for system components and unknown actors. */
  readonly actorName: string | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly patient: AuditPatient | null;
  readonly before: unknown;
  readonly after: unknown;
}

/** An opaque cursor for the next page: pass it back unchanged. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id.toString()])).toString(
    'base64url',
  );
}

/** The cursor inside an opaque string, or undefined when it is not one this service made. */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, id] = value as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) {
      return undefined;
    }
    const instant = new Date(at);
    return Number.isNaN(instant.getTime()) ? undefined : { at: instant, id: BigInt(id) };
  } catch {
    return undefined;
  }
}

function auditConditions(query: Omit<AuditQuery, 'limit'>): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (query.actor !== undefined) {
    const problem = textProblem(query.actor);
    if (problem) throw RecordError.invalid([{ path: 'actor', message: problem }]);
    conditions.push(Prisma.sql`a.actor = ${query.actor}`);
  }
  if (query.patientId !== undefined) conditions.push(Prisma.sql`a.patient_id = ${query.patientId}`);
  if (query.from) conditions.push(Prisma.sql`a.at >= ${query.from}`);
  if (query.to) conditions.push(Prisma.sql`a.at < ${query.to}`);
  if (query.after) {
    // The plain bound lets the index scan start at the cursor; the row comparison breaks ties.
    conditions.push(Prisma.sql`a.at <= ${query.after.at}`);
    conditions.push(Prisma.sql`(a.at, a.id) < (${query.after.at}, ${query.after.id})`);
  }
  return conditions.length > 0 ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`;
}

/** The statement for one page (one row more than asked, to know whether another follows). */
export function auditPageStatement(query: AuditQuery): Prisma.Sql {
  return Prisma.sql`
    SELECT a.id, a.at, a.actor, u.name AS "actorName", a.action,
           a.entity_type AS "entityType", a.entity_id AS "entityId",
           a.patient_id AS "patientId", a.before, a.after
      FROM audit_log a
      LEFT JOIN users u ON u.id = a.actor
     WHERE ${auditConditions(query)}
     ORDER BY a.at DESC, a.id DESC
     LIMIT ${query.limit + 1}`;
}

/** One page of the audit log, newest first, and the cursor of the next (null at the end). */
export async function auditLog(
  db: Queryable,
  query: AuditQuery,
): Promise<{ readonly entries: readonly AuditRow[]; readonly nextCursor: string | null }> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > AUDIT_PAGE_MAX) {
    throw new RangeError(`limit must be a whole number from 1 to ${AUDIT_PAGE_MAX}`);
  }
  const rows = await db.$queryRaw<(Omit<AuditRow, 'patient'> & { patientId: string | null })[]>(
    auditPageStatement(query),
  );
  const page = rows.slice(0, query.limit);
  const patients = await patientsById(db, [
    ...new Set(page.flatMap((row) => (row.patientId ? [row.patientId] : []))),
  ]);
  const last = page[page.length - 1];
  return {
    entries: page.map(({ patientId, ...row }) => ({
      ...row,
      patient: (patientId && patients.get(patientId)) || null,
    })),
    nextCursor:
      rows.length > query.limit && last ? encodeAuditCursor({ at: last.at, id: last.id }) : null,
  };
}

async function patientsById(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, AuditPatient>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<AuditPatient[]>`
    SELECT p.id, p.given_name AS "givenName", p.family_name AS "familyName",
           p.identifier_kind AS "identifierKind", p.identifier_value AS "identifierValue",
           (SELECT e.id FROM episodes e WHERE e.patient_id = p.id
             ORDER BY e.enrolled_at DESC, e.id DESC LIMIT 1) AS "latestEpisodeId"
      FROM patients p WHERE p.id = ANY(${[...ids]}::text[])`;
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Patients a search for the audit log means: the text as a patient id, an NHS number (spaces and
 * hyphens allowed) or an MRN. Usually one; an MRN issued by two organisations gives two.
 */
export async function findAuditPatients(
  db: Queryable,
  text: string,
): Promise<readonly AuditPatient[]> {
  const typed = text.trim();
  if (typed === '') return [];
  const problem = textProblem(typed);
  if (problem) throw RecordError.invalid([{ path: 'patient', message: problem }]);
  const nhsNumber = normaliseNhsNumber(typed);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM patients
     WHERE id = ${typed}
        OR (identifier_kind = 'nhs-number' AND identifier_value = ${nhsNumber})
        OR (identifier_kind = 'mrn' AND identifier_value = ${typed})
     LIMIT 20`;
  const found = await patientsById(
    db,
    rows.map((row) => row.id),
  );
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export interface AuditActorChoice {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

/** Everyone who can appear as an actor (staff and API keys' users), by name, for the filter. */
export async function auditActorChoices(db: Queryable): Promise<readonly AuditActorChoice[]> {
  return db.user.findMany({
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: 2_000,
    select: { id: true, name: true, active: true },
  });
}
