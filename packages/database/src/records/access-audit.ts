// Who read what: every read of patient-identifiable data (a patient's page, the API's reads, a
// caseload or worklist, a search, an export) and every refused attempt is a row of the audit log,
// beside the changes. One INSERT per request and never a read first, so auditing a page costs
// one round trip. A row about one patient carries its patient id, so "who looked at this
// patient, and when" is one query on the (patient_id, at) index.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { RecordError } from './errors.js';

/**
 * What a row of access records. Reads are named "<what>.<read>ed"; a refusal of any action,
 * read or command, page or API, is 'access.refused' with the refused action as its entity.
 */
export const ACCESS_ACTIONS = [
  'patient.viewed',
  'patient.searched',
  'caseload.viewed',
  'caseload.exported',
  'worklist.viewed',
  'worklist.exported',
  'reminders.viewed',
  'deliveries.viewed',
  'patientMessages.viewed',
  'overdue.viewed',
  'overdue.exported',
  'followUps.listed',
  'fhir.exported',
  'access.refused',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** The actor of a request that named nobody: no session, or an API key that did not match. */
export const ANONYMOUS_ACTOR = 'anonymous';

export interface AccessEntry {
  /** A user id, or ANONYMOUS_ACTOR. */
  readonly actor: string;
  readonly action: AccessAction;
  /** What was read: 'episode', 'patient', 'caseload', 'search', 'export', or the refused 'action'. */
  readonly entityType: string;
  readonly entityId: string;
  /** Set whenever one patient is concerned. */
  readonly patientId?: string | null;
  /**
   * What the reader asked for (a search's query and filters, an export's filters) and how much
   * came back (a count): never the results themselves.
   */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly at?: Date;
}

/** PostgreSQL's jsonb cannot hold U+0000; a query containing one is kept, with it spelt out. */
function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\\u0000');
  if (Array.isArray(value)) return value.map(storable);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storable(v)]));
  }
  return value;
}

function check(entry: AccessEntry, index: number): void {
  const where = `access entry [${index}]`;
  if (!ACCESS_ACTIONS.includes(entry.action)) {
    throw new RecordError(
      'invalid-input',
      `${where}: "${entry.action}" is not an access action (one of ${ACCESS_ACTIONS.join(', ')})`,
    );
  }
  for (const field of ['actor', 'entityType', 'entityId'] as const) {
    if (typeof entry[field] !== 'string' || entry[field].trim() === '') {
      throw new RecordError('invalid-input', `${where}: ${field} must be a non-empty string`);
    }
  }
  if (entry.patientId !== undefined && entry.patientId !== null && entry.patientId === '') {
    throw new RecordError('invalid-input', `${where}: patientId must not be empty`);
  }
}

/**
 * Appends reads or refusals to the audit log in one INSERT, outside any transaction of the
 * read itself (a read has none). Bad entries are refused together, before anything is written.
 */
export async function recordAccess(
  db: Queryable,
  entries: AccessEntry | readonly AccessEntry[],
): Promise<void> {
  const list: readonly AccessEntry[] = Array.isArray(entries) ? entries : [entries as AccessEntry];
  if (list.length === 0) return;
  list.forEach(check);
  await db.auditEntry.createMany({
    data: list.map((entry) => ({
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      patientId: entry.patientId ?? null,
      ...(entry.details ? { after: storable(entry.details) as Prisma.InputJsonValue } : {}),
      ...(entry.at ? { at: entry.at } : {}),
    })),
  });
}

/**
 * The part of an API key that may be recorded: "vfx_" and the 8 characters the key list shows.
 * Never the secret: a malformed or short header records nothing of it.
 */
export function apiKeyPrefixOf(secret: string | undefined): string | undefined {
  const match = /^(vfx_[A-Za-z0-9_-]{8})[A-Za-z0-9_-]{35}$/.exec(secret ?? '');
  return match?.[1];
}

/**
 * How long a search's id finds its query: a session's longest life. After that the link says
 * the search has ended, so a search link kept or passed on shows nobody's name.
 */
export const SEARCH_LIFETIME_MS = 12 * 60 * 60_000;

export interface SearchInput {
  readonly actor: string;
  /** Where the search was made ('caseload'). */
  readonly scope: string;
  /** What was typed: a name or an NHS number. Kept in the audit row only, never in a URL. */
  readonly query: string;
  /** The other filters it was made with, none of them identifying. */
  readonly filters?: Readonly<Record<string, unknown>>;
  readonly at?: Date;
}

/**
 * Audits a search (the query, not its results) and returns an opaque id for it: the page's
 * address carries the id, and the query stays on the server, in this audit row. One INSERT.
 */
export async function recordSearch(db: Queryable, search: SearchInput): Promise<string> {
  if (search.query.trim() === '') {
    throw new RecordError('invalid-input', 'A search needs a query: an empty one is no search');
  }
  const id = randomUUID();
  await recordAccess(db, {
    actor: search.actor,
    action: 'patient.searched',
    entityType: 'search',
    entityId: id,
    details: { scope: search.scope, query: search.query, ...(search.filters ?? {}) },
    ...(search.at ? { at: search.at } : {}),
  });
  return id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The query of a search `actor` made within SEARCH_LIFETIME_MS of `now`; undefined for anyone
 * else's search, an ended one, or an id that is not one. Read through the (actor, at) index.
 */
export async function recordedSearch(
  db: Queryable,
  options: { readonly actor: string; readonly id: string; readonly now: Date },
): Promise<{ readonly query: string; readonly scope: string } | undefined> {
  if (!UUID.test(options.id)) return undefined;
  const row = await db.auditEntry.findFirst({
    where: {
      actor: options.actor,
      at: { gte: new Date(options.now.getTime() - SEARCH_LIFETIME_MS) },
      action: 'patient.searched',
      entityType: 'search',
      entityId: options.id,
    },
    select: { after: true },
  });
  const after = row?.after as { query?: unknown; scope?: unknown } | null | undefined;
  if (typeof after?.query !== 'string') return undefined;
  return { query: after.query, scope: String(after.scope ?? '') };
}
