// Staff accounts. Passwords are stored only as scrypt hashes.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import type { Role } from '../generated/prisma/client.js';
import { audit } from '../records/audit.js';
import { RecordError } from '../records/errors.js';
import { hashPassword } from './password.js';

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
  password: z.string().min(12, { error: 'must be at least 12 characters long' }).max(200),
});

/** Creates an active account. `actor` is who creates it (a user id, or "system:<tool>"). */
export async function createUser(
  db: Database,
  input: unknown,
  actor: string,
): Promise<{ id: string; email: string; role: Role }> {
  const parsed = NewUserSchema.safeParse(input);
  if (!parsed.success) {
    throw RecordError.invalid(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const { email, name, role, password } = parsed.data;
  const passwordHash = await hashPassword(password);
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
