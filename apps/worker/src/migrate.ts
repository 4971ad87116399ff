// Applies the database migrations not yet applied, then exits (0: up to date; 1: failed, with
// the reason; 2: DATABASE_URL missing). docker-compose runs it once, as the `migrate` service,
// before the worker replicas and the dashboard start, so replicas never migrate concurrently and
// an old replica never sees a half-migrated schema it did not expect.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@vfx/database';
import { rebuildEpisodeKpis } from '@vfx/database/jobs';
import { deployMigrations, listMigrations, MIGRATIONS_DIR } from '@vfx/database/migrations';

// The production build copies the migrations beside the bundle (dist/migrations); from source
// they are read from prisma/migrations.
const bundled = fileURLToPath(new URL('./migrations/', import.meta.url));
const migrationsDir = existsSync(bundled) ? bundled : MIGRATIONS_DIR;

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set: set it to the PostgreSQL URL to migrate, e.g. postgresql://user@127.0.0.1:5432/fls',
  );
  process.exit(2);
}

try {
  // The runner reads a missing folder as "no migrations", which would report success on an
  // empty database: an image built without its migrations must fail here instead.
  const { migrationDirectories } = await listMigrations(migrationsDir);
  if (migrationDirectories.length === 0) {
    throw new Error(`no migrations found in ${migrationsDir}; the build is incomplete`);
  }
  const applied = await deployMigrations(url, migrationsDir);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
      : 'The database is up to date: no pending migrations.',
  );
  // Episodes without stored KPI results (enrolled before migration episode_kpis) or with results
  // of an older KPI logic get them now; nothing to do otherwise.
  const db = createDatabase(url, { applicationName: 'vfx-migrate' });
  try {
    const rebuilt = await rebuildEpisodeKpis(db);
    if (rebuilt > 0) console.log(`Stored the KPI results of ${rebuilt} episode(s).`);
  } finally {
    await db.$disconnect();
  }
} catch (error) {
  console.error(`Migrating failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
