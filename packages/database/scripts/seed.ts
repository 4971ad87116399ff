// npm run db:seed [-- --patients 60]: the demo accounts and caseload, once per database.
import { parseArgs } from 'node:util';
import { createDatabase } from '../src/client.js';
import { DEMO_PASSWORD, DEMO_USERS, demoDecision, seedDemo, seedState } from '../src/seed/demo.js';
import { seedScale } from '../src/seed/scale.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: set it to the PostgreSQL URL of a migrated database.');
  process.exit(2);
}
const { values } = parseArgs({ options: { patients: { type: 'string', default: '60' } } });
const patients = Number(values.patients);
if (!Number.isInteger(patients) || patients < 1) {
  console.error(`--patients must be a whole number of at least 1 (got "${values.patients}").`);
  process.exit(2);
}

/** Above this many patients the seed enrols them as an import. */
const SCALE_FROM = 500;

const db = createDatabase(url);
try {
  const decision = demoDecision(await seedState(db));
  if (decision.kind === 'recreate') {
    console.error(
      `${decision.why} Recreate the database (drop it, then npm run db:migrate) and seed again.`,
    );
    process.exit(1);
  }
  if (decision.kind === 'refuse') {
    console.error(`${decision.why} Seed an empty database instead.`);
    process.exit(1);
  }
  if (decision.kind === 'present') {
    console.log(`${decision.why} Nothing to do.`);
  } else {
    const started = Date.now();
    const log = (line: string) => console.log(line);
    // A small service is replayed entry by entry as it happened; a large one (a benchmark) is
    // enrolled as an import, in batches, which is much faster.
    if (patients <= SCALE_FROM) await seedDemo(db, { patients, log });
    else await seedScale(db, { patients, log });
    console.log(`Seeded ${patients} patients in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
  console.log(`Demo sign-ins (password "${DEMO_PASSWORD}"):`);
  for (const user of DEMO_USERS) console.log(`  ${user.role.padEnd(9)} ${user.email}`);
} finally {
  await db.$disconnect();
}
