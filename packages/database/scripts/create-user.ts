// npm run user:create -- --email sam.patel@nhs.net --name "Sam Patel" --role admin
// The password is read from the environment variable NEW_USER_PASSWORD, or typed when asked.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { PASSWORD_POLICY } from '../src/auth/password-policy.js';
import { createDatabase } from '../src/client.js';
import { createUser } from '../src/commands/create-user.js';
import { RecordError } from '../src/records/errors.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: set it to the PostgreSQL URL of a migrated database.');
  process.exit(2);
}
const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
});
let password = process.env.NEW_USER_PASSWORD;
if (password === undefined) {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  password = await prompt.question(
    `Password (at least ${PASSWORD_POLICY.minLength} characters, hard to guess: a few unrelated words): `,
  );
  prompt.close();
}

const db = createDatabase(url);
try {
  const user = await createUser(db, { ...values, password }, 'system:user-create');
  console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
} catch (error) {
  if (error instanceof RecordError) {
    console.error(
      error.issues.length > 0
        ? error.issues.map((i) => `${i.path} ${i.message}`).join('\n')
        : error.message,
    );
    process.exitCode = 1;
  } else throw error;
} finally {
  await db.$disconnect();
}
