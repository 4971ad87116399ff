// Moving patients from one nurse's caseload to another's (a nurse leaves, goes on long leave, or
// the caseloads are rebalanced). Everything that names the responsible nurse moves together, in
// one transaction: the patients, their plan steps (the worklists read these), their open
// reminders, and the e-mails about those reminders that have not been sent yet. History stays
// as it was: reminders already resolved, deliveries already sent or failed, the audit log.
// The permission is `caseload.reassign`; whether the new nurse can hold a caseload (an active
// nurse or administrator who is a person, never an API key's integration user) is validation,
// decided in records/caseload-holder.ts and reported at `toNurseId`. Patients may be moved off
// any user's caseload, an integration user's included: that is how such a caseload is emptied.
// The source may also be nobody's caseload (`fromNurseId: null`): patients enrolled without a
// nurse (another system's enrolment names none, hazard HAZ-021) are put onto a nurse's the same
// way, with everything that follows the responsible nurse.
import { z } from 'zod';
import type { Database, Queryable } from '../client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { AuditInput } from '../records/audit.js';
import { caseloadHolderProblem, loadCaseloadCandidates } from '../records/caseload-holder.js';
import { RecordError } from '../records/errors.js';
import { type CommandScope, requirePermission, runCommand } from './run-command.js';

/** The most patients one request may name; a whole caseload is moved by leaving the list out. */
export const MAX_SELECTED_PATIENTS = 5_000;

const ReassignmentSchema = z.strictObject({
  /** The nurse whose patients move, or null for the patients on nobody's caseload. */
  fromNurseId: z
    .string({
      error:
        "must be the user id of the nurse whose patients move, or null for the patients on nobody's caseload",
    })
    .trim()
    .min(1, { error: 'must name the nurse whose patients move' })
    .nullable(),
  toNurseId: z
    .string({ error: 'must be the user id of the nurse who takes the patients' })
    .trim()
    .min(1, { error: 'must name the nurse who takes the patients' }),
  /** Only these patients; without it, the whole caseload. */
  patientIds: z
    .array(z.string().trim().min(1, { error: 'must not contain empty patient ids' }), {
      error: 'must be a list of patient ids',
    })
    .min(1, { error: 'must name at least one patient (leave it out to move the whole caseload)' })
    .max(MAX_SELECTED_PATIENTS, {
      error: `must name at most ${MAX_SELECTED_PATIENTS} patients (leave it out to move the whole caseload)`,
    })
    .optional(),
});

export type ReassignmentInput = z.input<typeof ReassignmentSchema>;

/** What a reassignment moves (or, as a preview, would move). */
export interface CaseloadMove {
  readonly patients: number;
  readonly planSteps: number;
  readonly openReminders: number;
  /** E-mail reminders not yet sent, which will now go to the new nurse's address. */
  readonly pendingEmails: number;
}

export interface CaseloadReassignment extends CaseloadMove {
  /** Null: the patients came from nobody's caseload. */
  readonly fromNurseId: string | null;
  readonly toNurseId: string;
  /** Caseload sizes of both nurses before and after. */
  readonly before: { readonly from: number; readonly to: number };
  readonly after: { readonly from: number; readonly to: number };
}

function parseReassignment(input: unknown) {
  const parsed = ReassignmentSchema.safeParse(input);
  if (!parsed.success) {
    throw RecordError.invalid(
      parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    );
  }
  const { fromNurseId, toNurseId, patientIds } = parsed.data;
  if (fromNurseId === toNurseId) {
    throw RecordError.invalid([
      { path: 'toNurseId', message: 'must be a different nurse from the one whose patients move' },
    ]);
  }
  return { fromNurseId, toNurseId, patientIds: patientIds && [...new Set(patientIds)] };
}

/** Where the patients move from: a user's caseload, or nobody's (id null). */
interface CaseloadSource {
  readonly id: string | null;
  /** For messages and the audit log: the user's name, or "nobody's caseload". */
  readonly name: string;
}

export const NOBODYS_CASELOAD = "nobody's caseload";

async function sourceOf(q: Queryable, fromNurseId: string | null): Promise<CaseloadSource> {
  if (fromNurseId === null) return { id: null, name: NOBODYS_CASELOAD };
  const from = await q.user.findUnique({ where: { id: fromNurseId } });
  if (!from) throw new RecordError('not-found', `User "${fromNurseId}" does not exist`);
  return { id: from.id, name: from.name };
}

/** The patients on the source's caseload: `column` (patients.nurse_id) is its id, or null. */
const onCaseload = (column: string, from: CaseloadSource) =>
  from.id === null
    ? Prisma.sql`${Prisma.raw(column)} IS NULL`
    : Prisma.sql`${Prisma.raw(column)} = ${from.id}`;

/** Patient ids that are unknown, and those on someone else's caseload, for a clear refusal. */
async function checkSelection(q: Queryable, from: CaseloadSource, patientIds: readonly string[]) {
  const rows = await q.patient.findMany({
    where: { id: { in: [...patientIds] } },
    select: { id: true, nurseId: true },
  });
  const found = new Map(rows.map((row) => [row.id, row.nurseId]));
  const unknown = patientIds.filter((id) => !found.has(id));
  const elsewhere = patientIds.filter((id) => found.has(id) && found.get(id) !== from.id);
  const list = (ids: string[]) =>
    `${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}`;
  const issues = [
    ...(unknown.length > 0
      ? [{ path: 'patientIds', message: `names patients that do not exist: ${list(unknown)}` }]
      : []),
    ...(elsewhere.length > 0
      ? [
          {
            path: 'patientIds',
            message:
              from.id === null
                ? `names patients who are on a nurse's caseload, not on nobody's: ${list(elsewhere)}`
                : `names patients who are not on ${from.name}'s caseload: ${list(elsewhere)}`,
          },
        ]
      : []),
  ];
  if (issues.length > 0) throw RecordError.invalid(issues);
}

/** The patients, steps, reminders and e-mails that would move now. */
async function countMoving(
  q: Queryable,
  from: CaseloadSource,
  patientIds: readonly string[] | undefined,
): Promise<CaseloadMove> {
  const ids = patientIds ? [...patientIds] : null;
  // One statement, so the four numbers describe the same moment. patients(nurse_id, ...) finds
  // the caseload (nobody's too: a btree index holds nulls); the other tables are reached through
  // their episode_id / reminder_id indexes.
  const [row] = await q.$queryRaw<
    { patients: bigint; planSteps: bigint; openReminders: bigint; pendingEmails: bigint }[]
  >`
    WITH moving AS (
      SELECT id FROM patients
      WHERE ${onCaseload('nurse_id', from)} AND (${ids}::text[] IS NULL OR id = ANY(${ids}::text[]))
    ), episodes_moving AS (
      SELECT e.id FROM episodes e JOIN moving m ON m.id = e.patient_id
    ), reminders_moving AS (
      SELECT r.id FROM reminders r JOIN episodes_moving e ON e.id = r.episode_id
      WHERE r.status = 'open'
    )
    SELECT
      (SELECT count(*) FROM moving) AS patients,
      (SELECT count(*) FROM plan_steps s JOIN episodes_moving e ON e.id = s.episode_id)
        AS "planSteps",
      (SELECT count(*) FROM reminders_moving) AS "openReminders",
      (SELECT count(*) FROM reminder_deliveries d JOIN reminders_moving r ON r.id = d.reminder_id
        WHERE d.channel = 'email' AND d.state = 'pending') AS "pendingEmails"`;
  return {
    patients: Number(row?.patients ?? 0),
    planSteps: Number(row?.planSteps ?? 0),
    openReminders: Number(row?.openReminders ?? 0),
    pendingEmails: Number(row?.pendingEmails ?? 0),
  };
}

/**
 * What reassigning would move, for the confirmation shown before it is done. Asks the same
 * permission as reassignCaseload (a refusal is audited the same way) and refuses what it would
 * refuse about the selection, so the preview never promises a move that cannot happen.
 */
export async function previewCaseloadReassignment(
  db: Database,
  input: { readonly fromNurseId: string | null; readonly patientIds?: readonly string[] },
  actor: string,
): Promise<CaseloadMove> {
  await requirePermission(db, actor, 'caseload.reassign');
  const from = await sourceOf(db, input.fromNurseId);
  if (input.patientIds) await checkSelection(db, from, input.patientIds);
  return countMoving(db, from, input.patientIds);
}

/**
 * Moves all of one nurse's patients (or the listed ones), or the patients on nobody's caseload
 * (`fromNurseId: null`), to an active nurse, with everything that follows the responsible nurse.
 * `actor` is the administrator doing it.
 */
export async function reassignCaseload(
  db: Database,
  input: unknown,
  actor: string,
  now = new Date(),
): Promise<CaseloadReassignment> {
  const { fromNurseId, toNurseId, patientIds } = parseReassignment(input);
  return runCommand(db, actor, 'caseload.reassign', async ({ tx, audit }) => {
    const from = await sourceOf(tx, fromNurseId);
    // FOR SHARE keeps the new nurse active until this commits (deactivation locks FOR UPDATE).
    const to = (await loadCaseloadCandidates(tx, [toNurseId], { lock: true })).get(toNurseId);
    const why = caseloadHolderProblem(toNurseId, to);
    if (why || !to) throw RecordError.invalid([{ path: 'toNurseId', message: why ?? '' }]);
    if (patientIds) await checkSelection(tx, from, patientIds);

    const beforeFrom = await tx.patient.count({ where: { nurseId: from.id } });
    const beforeTo = await tx.patient.count({ where: { nurseId: to.id } });
    const ids = patientIds ?? null;
    // The episodes first, in id order, as the write path and the worker lock them: an event
    // being recorded or a follow-up firing for these patients finishes first (and is then moved
    // here), or waits and then reads the new nurse.
    await tx.$queryRaw`
      SELECT e.id FROM episodes e JOIN patients p ON p.id = e.patient_id
      WHERE ${onCaseload('p.nurse_id', from)}
        AND (${ids}::text[] IS NULL OR p.id = ANY(${ids}::text[]))
      ORDER BY e.id FOR UPDATE OF e`;
    const moved = await tx.$queryRaw<{ id: string }[]>`
      UPDATE patients SET nurse_id = ${to.id}, updated_at = ${now}
      WHERE ${onCaseload('nurse_id', from)}
        AND (${ids}::text[] IS NULL OR id = ANY(${ids}::text[]))
      RETURNING id`;
    if (moved.length === 0) {
      throw RecordError.invalid([
        {
          path: 'fromNurseId',
          message:
            from.id === null
              ? "has no patients: no patient is on nobody's caseload"
              : `has no patients on the caseload (${from.name})`,
        },
      ]);
    }
    const movedIds = moved.map((row) => row.id);
    const planSteps = await tx.$executeRaw`
      UPDATE plan_steps s SET nurse_id = ${to.id}, updated_at = ${now}
      FROM episodes e WHERE e.id = s.episode_id AND e.patient_id = ANY(${movedIds}::text[])`;
    const reminders = await tx.$queryRaw<{ id: string }[]>`
      UPDATE reminders r SET nurse_id = ${to.id}
      FROM episodes e
      WHERE e.id = r.episode_id AND e.patient_id = ANY(${movedIds}::text[]) AND r.status = 'open'
      RETURNING r.id`;
    // The queued e-mail job reloads its delivery before sending, so it goes to this address.
    const pendingEmails = await tx.$executeRaw`
      UPDATE reminder_deliveries SET recipient = ${to.email}, updated_at = ${now}
      WHERE reminder_id = ANY(${reminders.map((r) => r.id)}::text[])
        AND channel = 'email' AND state = 'pending'`;

    const result: CaseloadReassignment = {
      fromNurseId: from.id,
      toNurseId: to.id,
      patients: movedIds.length,
      planSteps,
      openReminders: reminders.length,
      pendingEmails,
      before: { from: beforeFrom, to: beforeTo },
      after: { from: beforeFrom - movedIds.length, to: beforeTo + movedIds.length },
    };
    // Names too: the audit log is read by people, and a user id alone means nothing to them.
    await auditReassignment(audit, result, { from: from.name, to: to.name }, movedIds, now);
    return result;
  });
}

/** The audit entity of nobody's caseload (a user's caseload is entered under the user's id). */
export const NOBODYS_CASELOAD_ENTITY_ID = 'nobody';

/**
 * One entry for the whole move, and one per patient so each patient's history shows it. From
 * nobody's caseload: the entity is NOBODYS_CASELOAD_ENTITY_ID, `fromNurseId` null and `from`
 * "nobody's caseload"; each patient's entry has `nurseId: null` before.
 */
async function auditReassignment(
  audit: CommandScope['audit'],
  result: CaseloadReassignment,
  names: { readonly from: string; readonly to: string },
  movedIds: readonly string[],
  now: Date,
) {
  const { fromNurseId, toNurseId, before, after, ...moved } = result;
  const entries: Omit<AuditInput, 'actor'>[] = [
    {
      action: 'caseload.reassigned',
      entityType: 'caseload',
      entityId: fromNurseId ?? NOBODYS_CASELOAD_ENTITY_ID,
      before: { from: names.from, to: names.to, fromNurseId, toNurseId, caseloads: before },
      after: { from: names.from, to: names.to, fromNurseId, toNurseId, caseloads: after, moved },
      at: now,
    },
    ...movedIds.map((patientId) => ({
      action: 'patient.nurse-changed',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      before: { nurseId: fromNurseId, nurseName: fromNurseId === null ? null : names.from },
      after: { nurseId: toNurseId, nurseName: names.to },
      at: now,
    })),
  ];
  await audit(entries);
}
