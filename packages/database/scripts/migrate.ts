// npm run db:migrate            apply pending migrations to DATABASE_URL
// npm run db:migration:create -- <name>   write a migration for schema changes (needs CREATEDB)
// npm run db:status             list migrations not yet applied
import { createDatabase } from '../src/client.js';
import { createMigration, deployMigrations, migrationStatus } from '../src/migrations/index.js';
import { rebuildEpisodeKpis } from '../src/records/kpi-store.js';

const [command, name] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: set it to the PostgreSQL URL to migrate, e.g.');
  console.error('  DATABASE_URL=postgresql://user@127.0.0.1:5432/fls npm run db:migrate');
  process.exit(2);
}

try {
  switch (command) {
    case 'deploy': {
      const applied = await deployMigrations(url);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
      // Stored KPI results for episodes that have none or have an older logic's (see kpi-store.ts).
      const db = createDatabase(url, { applicationName: 'vfx-migrate' });
      try {
        const rebuilt = await rebuildEpisodeKpis(db);
        if (rebuilt > 0) console.log(`Stored the KPI results of ${rebuilt} episode(s).`);
      } finally {
        await db.$disconnect();
      }
      break;
    }
    case 'create': {
      if (!name) throw new Error('Give the migration a name: db:migration:create -- add_x');
      const created = await createMigration(url, name);
      console.log(created ? `Created ${created.folder}` : 'The schema and migrations agree.');
      break;
    }
    case 'status': {
      const status = await migrationStatus(url);
      console.log(JSON.stringify(status, null, 2));
      break;
    }
    default:
      console.error(`Unknown command "${command ?? ''}": use deploy, create <name> or status.`);
      process.exit(2);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
