import type { Database } from '../client.js';
import type { Role } from '../generated/prisma/client.js';

/** Creates users for a test: one per role unless told otherwise. */
export async function createUsers(
  db: Database,
  users: readonly { id: string; role: Role; email?: string; name?: string }[] = [
    { id: 'nurse-1', role: 'nurse' },
    { id: 'nurse-2', role: 'nurse' },
    { id: 'scheduler-1', role: 'scheduler' },
    { id: 'admin-1', role: 'admin' },
  ],
) {
  await db.user.createMany({
    data: users.map((user) => ({
      id: user.id,
      role: user.role,
      email: user.email ?? `${user.id}@fls.test`,
      name: user.name ?? user.id,
    })),
  });
}
