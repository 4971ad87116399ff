// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are docker-compose interpolations, not templates.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DashboardEnvSchema, loadDashboardConfig } from '../../apps/dashboard/src/server/env.js';
import { loadWorkerConfig, WorkerEnvSchema } from '../../apps/worker/src/config/env.js';
import {
  type Apps,
  checkDeployment,
  interpolate,
  parseEnvFile,
  type Repository,
} from './check-deployment.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

const repository: Repository = {
  read: (file) => {
    const full = path.join(root, file);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  },
  exists: (file) => existsSync(path.join(root, file)),
};

const apps: Apps = {
  worker: { schema: WorkerEnvSchema, load: loadWorkerConfig },
  dashboard: { schema: DashboardEnvSchema, load: loadDashboardConfig },
};

/** The repository with one file's text changed, for showing that a break is caught. */
function withEdit(file: string, edit: (text: string) => string): Repository {
  return {
    read: (name) => {
      const text = repository.read(name);
      return name === file && text !== undefined ? edit(text) : text;
    },
    exists: repository.exists,
  };
}

/** Replaces exactly one occurrence, so a test never passes because its edit missed. */
const replaceOnce = (search: string, replacement: string) => (text: string) => {
  expect(text.split(search).length - 1, `"${search}" once`).toBe(1);
  return text.replace(search, replacement);
};

describe('docker-compose.yml, the Dockerfiles and .env.example', () => {
  it('agree with the code', () => {
    expect(checkDeployment(repository, apps)).toEqual([]);
  });
});

describe('the check fails when', () => {
  const problemsAfter = (file: string, search: string, replacement: string) =>
    checkDeployment(withEdit(file, replaceOnce(search, replacement)), apps).join('\n');

  it('the worker is given a variable it does not read', () => {
    expect(
      problemsAfter('docker-compose.yml', 'LOG_LEVEL: ${LOG_LEVEL', 'LOGLEVEL: ${LOG_LEVEL'),
    ).toContain('LOGLEVEL is not a worker setting');
  });

  it('the worker is given a value its schema rejects', () => {
    expect(
      problemsAfter('.env.example', 'WORKER_CONCURRENCY=64', 'WORKER_CONCURRENCY=many'),
    ).toMatch(/the worker rejects its environment:[\s\S]*WORKER_CONCURRENCY/);
  });

  it('the dashboard is not given its database', () => {
    const problems = checkDeployment(
      withEdit('docker-compose.yml', (text) =>
        text.replace(/(dashboard:[\s\S]*?environment:\n)\s+DATABASE_URL: \*database-url\n/, '$1'),
      ),
      apps,
    ).join('\n');
    expect(problems).toContain('the dashboard rejects its environment');
    expect(problems).toContain('DATABASE_URL');
  });

  it('compose uses a variable .env.example does not list', () => {
    expect(problemsAfter('.env.example', 'QUEUE_PREFIX=vfx\n', '')).toContain(
      'QUEUE_PREFIX is used by docker-compose.yml but not listed',
    );
  });

  it('a default in compose and the example disagree', () => {
    expect(
      problemsAfter('docker-compose.yml', '${JOB_LOCK_MS:-30000}', '${JOB_LOCK_MS:-60000}'),
    ).toContain('JOB_LOCK_MS=30000, but docker-compose.yml falls back to "60000"');
  });

  it('the example carries a password', () => {
    expect(
      problemsAfter('.env.example', 'REDIS_PASSWORD=\n', 'REDIS_PASSWORD=hunter2\n'),
    ).toContain('REDIS_PASSWORD must be left empty');
  });

  it('a password is written into the compose file', () => {
    expect(
      problemsAfter(
        'docker-compose.yml',
        'REDIS_PASSWORD: ${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}',
        'REDIS_PASSWORD: hunter2',
      ),
    ).toContain('redis.REDIS_PASSWORD is written in the file');
  });

  it('the worker listens on another port than the one published and checked', () => {
    const problems = problemsAfter('docker-compose.yml', 'PORT: 3100', 'PORT: 3200');
    expect(problems).toContain('publishes container port 3100, but the worker listens on 3200');
    expect(problems).toContain('EXPOSE 3100, but the worker listens on 3200');
    expect(problems).toContain('WORKER_URL uses port 3100, but the worker listens on 3200');
  });

  it('the worker listens on the loopback address only', () => {
    expect(problemsAfter('docker-compose.yml', 'HOST: 0.0.0.0', 'HOST: 127.0.0.1')).toContain(
      'HOST must be 0.0.0.0',
    );
  });

  it('the image runs a command that is not the package script', () => {
    expect(
      problemsAfter('apps/worker/Dockerfile', '"dist/main.js"]', '"dist/index.js"]'),
    ).toContain('runs "node --enable-source-maps dist/index.js", but the "start:prod" script is');
  });

  it('the migrate service runs something else', () => {
    expect(
      problemsAfter('docker-compose.yml', '"dist/migrate.js"]', '"dist/migrations.js"]'),
    ).toContain('docker-compose.yml migrate: runs "node --enable-source-maps dist/migrations.js"');
  });

  it('a Dockerfile runs a script the package does not have', () => {
    expect(
      problemsAfter('apps/dashboard/Dockerfile', 'dashboard run build', 'dashboard run compile'),
    ).toContain('runs script "compile", which apps/dashboard/package.json does not have');
  });

  it('a Dockerfile copies a file that does not exist', () => {
    expect(
      problemsAfter('apps/worker/Dockerfile', 'COPY pnpm-lock.yaml', 'COPY pnpm-lock.json'),
    ).toContain('COPY pnpm-lock.json (stage build): no such file');
  });

  it('a health check asks for a path the app does not serve', () => {
    expect(problemsAfter('apps/worker/Dockerfile', "'/health/ready'", "'/healthz'")).toContain(
      'HEALTHCHECK requests /healthz, which the worker does not serve',
    );
    expect(problemsAfter('apps/dashboard/Dockerfile', '3000/sign-in', '3000/login')).toContain(
      'HEALTHCHECK requests /login, which the dashboard does not serve',
    );
  });

  it('the runtime runs as root, or pnpm drifts from the pinned version', () => {
    expect(problemsAfter('apps/worker/Dockerfile', 'USER node', 'USER root')).toContain(
      'non-root USER',
    );
    expect(problemsAfter('apps/dashboard/Dockerfile', 'pnpm@12.21.0', 'pnpm@11.0.0')).toContain(
      'installs pnpm 11.0.0, but package.json pins 12.21.0',
    );
  });

  it('Redis may evict jobs or the workers run alone', () => {
    expect(
      problemsAfter(
        'docker-compose.yml',
        '--maxmemory-policy noeviction',
        '--maxmemory-policy allkeys-lru',
      ),
    ).toContain('redis lacks --maxmemory-policy noeviction');
    expect(problemsAfter('docker-compose.yml', 'replicas: 2', 'replicas: 1')).toContain(
      'worker must run two replicas',
    );
  });

  it('a service starts before the migrations ran', () => {
    expect(
      problemsAfter(
        'docker-compose.yml',
        'condition: service_completed_successfully\n      postgres:\n        condition: service_healthy\n      redis',
        'condition: service_started\n      postgres:\n        condition: service_healthy\n      redis',
      ),
    ).toContain('worker must start after migrate completed successfully');
  });
});

describe('the env file reader and interpolation', () => {
  it('reads quoted values and skips comments', () => {
    const env = parseEnvFile('# note\nA=1\nB="two words <x@y>"\n\nC=\n');
    expect([...env]).toEqual([
      ['A', '1'],
      ['B', 'two words <x@y>'],
      ['C', ''],
    ]);
  });

  it('interpolates as compose does', () => {
    const env = new Map([
      ['SET', 'value'],
      ['EMPTY', ''],
    ]);
    expect(interpolate('${SET}/${SET:-x}/${EMPTY:-fallback}/${EMPTY-kept}/${NONE:-d}', env)).toBe(
      'value/value/fallback//d',
    );
    expect(interpolate('$${SET} $$HOME', env)).toBe('${SET} $HOME');
  });
});
