// Staff accounts. Passwords are stored only as scrypt hashes.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable, Transaction } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import type { Role } from '../generated/prisma/client.js';
import { audit } from '../records/audit.js';
import { RecordError } from '../records/errors.js';
import { hashPassword } from './password.js';
import { passwordProblem } from './password-policy.js';
import { revokeSessionsOf } from './sessions.js';

const NewUserSchema = z.strictObject({
  email: z
    .string({ error: 'must be an e-mail address' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'must be an e-mail address' }).max(320)),
  name: z
    .string({ error: 'must be given (the name shown to colleagues)' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(100),
  role: z.enum(['nurse', 'scheduler', 'admin'], { error: 'must be nurse, scheduler or admin' }),
  password: z.string({ error: 'must be given' }).superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
});

/** Creates an active account. `actor` is who creates it (a user id, or "system:<tool>"). */
export async function createUser(
  db: Queryable,
  input: unknown,
  actor: string,
): Promise<{ id: string; email: string; role: Role }> {
  // The password policy (./password-policy.ts) is checked beside the schema, so every problem
  // is named at once.
  // is named at once; then, once the rest is valid, against the user's own name and address.
  const parsed = NewUserSchema.superRefine((value, context) => {
    if (passwordProblem(value.password)) return; // named by the field's own check
    const problem = passwordProblem(value.password, [value.email, value.name]);
    if (problem) context.addIssue({ code: 'custom', path: ['password'], message: problem });
  }).safeParse(input);
  if (!parsed.success) {
    throw RecordError.invalid(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const { password, ...account } = parsed.data;
  return createHashedUser(db, { ...account, passwordHash: await hashPassword(password) }, actor);
}

/**
 * Creates an active account whose password is already hashed: the demo's accounts, which share
 * one published password, so one hash (a deliberately slow step) serves them all.
 */
export async function createHashedUser(
  db: Queryable,
  account: { email: string; name: string; role: Role; passwordHash: string },
  actor: string,
): Promise<{ id: string; email: string; role: Role }> {
  const { email, name, role, passwordHash } = account;
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { id: randomUUID(), email, name, role, passwordHash },
        select: { id: true, email: true, role: true },
      });
      await audit(tx, {
        actor,
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        after: { email, name, role },
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new RecordError('conflict', `A user with the e-mail address ${email} already exists`);
    }
    throw error;
  }
}

/**
 * Who may manage accounts and caseloads: an active administrator, or a command-line tool run by
 * whoever operates the server ("system:<tool>"). The dashboard checks the role too; this keeps
 * any other caller honest.
 */
export async function requireAdministrator(tx: Transaction, actor: string): Promise<void> {
  if (actor.startsWith('system:')) return;
  const user = await tx.user.findUnique({
    where: { id: actor },
    select: { role: true, active: true },
  });
  if (!user?.active || user.role !== 'admin') {
    throw new RecordError(
      'forbidden',
      'Only an active administrator can manage users and caseloads',
    );
  }
}

/**
 * Roles that may have a caseload: nurses, and administrators (who may act as anyone, and whom
 * enrolment also accepts as the responsible nurse).
 */
export const CASELOAD_ROLES: readonly Role[] = ['nurse', 'admin'];

/** Patients on a user's caseload. */
export function caseloadSize(tx: Transaction | Database, userId: string): Promise<number> {
  return tx.patient.count({ where: { nurseId: userId } });
}

/**
 * Locks the account row until the transaction ends. FOR UPDATE (not the weaker lock an UPDATE of
 * `active` or `role` takes) also waits for, and then blocks, transactions inserting patients that
 * name this user as their nurse, so the caseload counted here is the one that stays.
 */
async function lockUser(tx: Transaction, userId: string) {
  const [user] = await tx.$queryRaw<
    { id: string; name: string; email: string; role: Role; active: boolean }[]
  >`SELECT id, name, email, role, active FROM users WHERE id = ${userId} FOR UPDATE`;
  if (!user) throw new RecordError('not-found', `User "${userId}" does not exist`);
  return user;
}

const patientsPhrase = (n: number) => `${n} patient${n === 1 ? '' : 's'}`;

const RoleSchema = z.enum(['nurse', 'scheduler', 'admin'], {
  error: 'must be nurse, scheduler or admin',
});

export interface AccountChange {
  readonly id: string;
  /** False when the account already was as asked (nothing written, nothing audited). */
  readonly changed: boolean;
}

/**
 * Gives a user another role. Refused for one's own account (another administrator must do it, so
 * the service is never left without one by mistake), and when the new role cannot have a
 * caseload while the user still has one.
 */
export async function changeUserRole(
  db: Database,
  input: { readonly userId: string; readonly role: unknown },
  actor: string,
): Promise<AccountChange> {
  const role = RoleSchema.safeParse(input.role);
  if (!role.success) {
    throw RecordError.invalid([{ path: 'role', message: 'must be nurse, scheduler or admin' }]);
  }
  if (input.userId === actor) {
    throw new RecordError(
      'forbidden',
      'You cannot change your own role: ask another administrator to do it',
    );
  }
  return db.$transaction(async (tx) => {
    await requireAdministrator(tx, actor);
    const user = await lockUser(tx, input.userId);
    if (user.role === role.data) return { id: user.id, changed: false };
    if (!CASELOAD_ROLES.includes(role.data)) {
      const patients = await caseloadSize(tx, user.id);
      if (patients > 0) {
        throw new RecordError(
          'conflict',
          `${user.name} still has ${patientsPhrase(patients)} on their caseload, and a ${role.data} cannot have one. Reassign the caseload to another nurse first, then change the role.`,
        );
      }
    }
    await tx.user.update({ where: { id: user.id }, data: { role: role.data } });
    await audit(tx, {
      actor,
      action: 'user.role-changed',
      entityType: 'user',
      entityId: user.id,
      before: { role: user.role },
      after: { role: role.data },
    });
    return { id: user.id, changed: true };
  });
}

/**
 * Deactivates an account: it can no longer sign in, and its open sessions end now. Refused for
 * one's own account, and while the user still has patients on their caseload (they would have
 * nobody to follow them up): reassign the caseload first.
 */
export async function deactivateUser(
  db: Database,
  userId: string,
  actor: string,
  now = new Date(),
): Promise<AccountChange & { readonly sessionsEnded: number }> {
  if (userId === actor) {
    throw new RecordError(
      'forbidden',
      'You cannot deactivate your own account: ask another administrator to do it',
    );
  }
  return db.$transaction(async (tx) => {
    await requireAdministrator(tx, actor);
    const user = await lockUser(tx, userId);
    if (!user.active) return { id: user.id, changed: false, sessionsEnded: 0 };
    const patients = await caseloadSize(tx, user.id);
    if (patients > 0) {
      throw new RecordError(
        'conflict',
        `${user.name} still has ${patientsPhrase(patients)} on their caseload. Reassign the caseload to another nurse first, then deactivate the account.`,
      );
    }
    await tx.user.update({ where: { id: user.id }, data: { active: false } });
    const sessionsEnded = await revokeSessionsOf(tx, user.id, now);
    await audit(tx, {
      actor,
      action: 'user.deactivated',
      entityType: 'user',
      entityId: user.id,
      before: { active: true },
      after: { active: false, sessionsEnded },
      at: now,
    });
    return { id: user.id, changed: true, sessionsEnded };
  });
}

/** Lets a deactivated account sign in again (with its existing password). */
export async function reactivateUser(
  db: Database,
  userId: string,
  actor: string,
): Promise<AccountChange> {
  return db.$transaction(async (tx) => {
    await requireAdministrator(tx, actor);
    const user = await lockUser(tx, userId);
    if (user.active) return { id: user.id, changed: false };
    await tx.user.update({ where: { id: user.id }, data: { active: true } });
    await audit(tx, {
      actor,
      action: 'user.reactivated',
      entityType: 'user',
      entityId: user.id,
      before: { active: false },
      after: { active: true },
    });
    return { id: user.id, changed: true };
  });
}
