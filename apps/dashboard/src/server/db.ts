import { createDatabase, type Database } from '@vfx/database';
import { config } from './env';

// One client per server process (and one across hot reloads in development).
const holder = globalThis as { vfxDashboardDb?: Database };

export function db(): Database {
  holder.vfxDashboardDb ??= createDatabase(config().DATABASE_URL, {
    applicationName: 'vfx-dashboard',
  });
  return holder.vfxDashboardDb;
}
