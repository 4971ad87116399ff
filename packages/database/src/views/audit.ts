// The audit log as administrators read it: newest first, filtered by who acted, which patient,
// which action or kind of entry, and when. Keyset pagination on (at, id): `at` is when it
// happened (a seed or an import may write it in the past, so ids alone are not in time order)
// and the id breaks ties between entries of one transaction. Each filter has an index whose
// leading columns match it: (actor, at), (patient_id, at), (action, at), the partial indexes of
// changes and of refusals, or (at) alone, so a page costs the same however deep it is
// (docs/performance.md, "Audit log": 10 million rows).
//
// The kind of an entry comes from its action's name, decided once in SQL by the function
// audit_action_kind (migration audit_kinds): an action ending in "refused" is a refusal, one
// ending in a reading verb (".viewed", ".searched", ".exported", ".read", ".listed", ".opened",
// ".downloaded", ".printed") is a read, anything else is a change.
import { normaliseNhsNumber, textProblem } from '@vfx/domain';
import type { Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';

export const AUDIT_PAGE_MAX = 200;

/** Kinds of entry: what changed, who read patient data, and what was refused. */
export const AUDIT_KINDS = ['change', 'read', 'refusal'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export function isAuditKind(value: string): value is AuditKind {
  return (AUDIT_KINDS as readonly string[]).includes(value);
}

export interface AuditCursor {
  readonly at: Date;
  readonly id: bigint;
}

export interface AuditQuery {
  /** A user id, or "system:<component>", or "anonymous" (refused sign-ins). */
  readonly actor?: string;
  readonly patientId?: string;
  /** One action exactly, e.g. "patient.viewed". */
  readonly action?: string;
  /** Changes, reads or refusals only. */
  readonly kind?: AuditKind;
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
  readonly kind: AuditKind;
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
  if (query.action !== undefined) conditions.push(Prisma.sql`a.action = ${query.action}`);
  if (query.kind !== undefined) {
    if (!isAuditKind(query.kind)) {
      throw new RangeError(`kind must be one of ${AUDIT_KINDS.join(', ')}, not "${query.kind}"`);
    }
    // A literal, not a parameter, so the planner sees it matches a partial index's predicate.
    conditions.push(Prisma.sql`audit_action_kind(a.action) = ${Prisma.raw(`'${query.kind}'`)}`);
  }
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
           audit_action_kind(a.action) AS kind, a.entity_type AS "entityType", a.entity_id AS "entityId",
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

/** The patients with these ids, in the order given (unknown ids are left out). */
export async function auditPatients(
  db: Queryable,
  ids: readonly string[],
): Promise<readonly AuditPatient[]> {
  const unique = [...new Set(ids)];
  const found = await patientsById(db, unique);
  return unique.flatMap((id) => found.get(id) ?? []);
}

export const AUDIT_PATIENT_MATCHES = 20;

const escapeLike = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Patients a search for the audit log means: the text as a patient id, an NHS number (spaces and
 * hyphens allowed) or an MRN; failing those, patients whose names start with every word typed
 * ("ada lov" finds Ada Lovelace). Usually one; an MRN issued by two organisations gives two, a
 * name several (at most AUDIT_PATIENT_MATCHES, by name).
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
     LIMIT ${AUDIT_PATIENT_MATCHES}`;
  if (rows.length > 0)
    return auditPatients(
      db,
      rows.map((row) => row.id),
    );
  const words = typed.split(/\s+/).slice(0, 4);
  const byName = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM patients p
     WHERE ${Prisma.join(
       words.map((word) => {
         const prefix = `${escapeLike(word)}%`;
         return Prisma.sql`(p.given_name ILIKE ${prefix} OR p.family_name ILIKE ${prefix})`;
       }),
       ' AND ',
     )}
     ORDER BY p.family_name, p.given_name, p.id
     LIMIT ${AUDIT_PATIENT_MATCHES}`;
  const found = await patientsById(
    db,
    byName.map((row) => row.id),
  );
  return byName.flatMap((row) => found.get(row.id) ?? []);
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

export interface AuditActionChoice {
  readonly action: string;
  readonly kind: AuditKind;
}

/**
 * Every action the log holds, by name, for the filter: one step down the (action, at) index per
 * distinct action (a loose index scan), so it costs the same at 10 million rows as at ten.
 */
export async function auditActions(db: Queryable): Promise<readonly AuditActionChoice[]> {
  return db.$queryRaw<AuditActionChoice[]>`
    WITH RECURSIVE actions(action) AS (
      (SELECT action FROM audit_log ORDER BY action LIMIT 1)
      UNION ALL
      SELECT (SELECT a.action FROM audit_log a WHERE a.action > actions.action
               ORDER BY a.action LIMIT 1)
        FROM actions WHERE actions.action IS NOT NULL
    )
    SELECT action, audit_action_kind(action) AS kind FROM actions
     WHERE action IS NOT NULL LIMIT 500`;
}
