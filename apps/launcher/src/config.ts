import path from 'node:path';

/** A start-up problem the user can fix; printed as it is, without a stack trace. */
export class StartError extends Error {
  override readonly name = 'StartError';
}

export interface LauncherConfig {
  /** An external PostgreSQL; unset: the embedded one. */
  readonly databaseUrl: string | undefined;
  /** An external Redis for the queues; unset: queues on PostgreSQL. */
  readonly redisUrl: string | undefined;
  readonly dashboardPort: number;
  readonly workerPort: number;
  readonly postgresPort: number;
  /** Where the embedded database, logs and captured e-mails live (git ignores .data). */
  readonly dataDir: string;
}

function port(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StartError(`${name} must be a port number from 1 to 65535 (got "${raw}").`);
  }
  return value;
}

export function loadLauncherConfig(
  env: Record<string, string | undefined>,
  root: string,
): LauncherConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new StartError(
      'DATABASE_URL must be a postgresql:// URL (or unset, for the embedded database).',
    );
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new StartError('REDIS_URL must be a redis:// URL (or unset, for queues on PostgreSQL).');
  }
  return {
    databaseUrl,
    redisUrl,
    dashboardPort: port(env, 'PORT', 3000),
    workerPort: port(env, 'WORKER_PORT', 3100),
    postgresPort: port(env, 'POSTGRES_PORT', 54329),
    dataDir: path.resolve(root, env.DATA_DIR || '.data'),
  };
}
