// Staff accounts: what the account commands share (commands/create-user.ts, change-user-role.ts,
// deactivate-user.ts, reactivate-user.ts). Passwords are stored only as scrypt hashes.
import { type PermissionContext, plainCharacters } from '@vfx/domain';
import { z } from 'zod';
import type { Database, Queryable, Transaction } from '../client.js';
import type { Role } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';
import { passwordProblem } from './password-policy.js';

export { CASELOAD_ROLES } from '../records/caseload-holder.js';

export const NewUserSchema = z.strictObject({
  email: z
    .string({ error: 'must be an e-mail address' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'must be an e-mail address' }).max(320)),
  name: z
    .string({ error: 'must be given (the name shown to colleagues)' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(100)
    .check(plainCharacters()),
  role: z.enum(['nurse', 'scheduler', 'admin'], { error: 'must be nurse, scheduler or admin' }),
  password: z.string({ error: 'must be given' }).superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
});

/**
 * A new account's fields, parsed; problems as 'invalid-input' issues naming the field. The
 * password policy (./password-policy.ts) is checked beside the schema, so every problem is named
 * at once; then, once the rest is valid, against the user's own name and address.
 */
export function parseNewUser(input: unknown): z.output<typeof NewUserSchema> {
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
  return parsed.data;
}

/**
 * The permission context of a command on the account `userId`: who it is, and whether it is a
 * person or an API key's integration user. Nothing for an unknown id (the command then reports
 * it as not found, after the permission is decided).
 */
export async function accountTarget(q: Queryable, userId: string): Promise<PermissionContext> {
  const user = await q.user.findUnique({
    where: { id: userId },
    select: { id: true, role: true, apiKey: { select: { id: true } } },
  });
  return user
    ? { target: { id: user.id, role: user.role, kind: user.apiKey ? 'integration' : 'person' } }
    : {};
}

/** Patients on a user's caseload. */
export function caseloadSize(tx: Transaction | Database, userId: string): Promise<number> {
  return tx.patient.count({ where: { nurseId: userId } });
}

/**
 * Locks the account row until the transaction ends. FOR UPDATE (not the weaker lock an UPDATE of
 * `active` or `role` takes) also waits for, and then blocks, transactions inserting patients that
 * name this user as their nurse, so the caseload counted here is the one that stays.
 */
export async function lockUser(tx: Transaction, userId: string) {
  const [user] = await tx.$queryRaw<
    { id: string; name: string; email: string; role: Role; active: boolean }[]
  >`SELECT id, name, email, role, active FROM users WHERE id = ${userId} FOR UPDATE`;
  if (!user) throw new RecordError('not-found', `User "${userId}" does not exist`);
  return user;
}

export const patientsPhrase = (n: number) => `${n} patient${n === 1 ? '' : 's'}`;

export const RoleSchema = z.enum(['nurse', 'scheduler', 'admin'], {
  error: 'must be nurse, scheduler or admin',
});

export interface AccountChange {
  readonly id: string;
  /** False when the account already was as asked (nothing written, nothing audited). */
  readonly changed: boolean;
}
