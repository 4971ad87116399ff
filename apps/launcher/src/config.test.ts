import { describe, expect, it } from 'vitest';
import { loadLauncherConfig, StartError } from './config.js';

describe('the run command settings', () => {
  it('defaults to the embedded database, queues on PostgreSQL and the usual ports', () => {
    expect(loadLauncherConfig({}, '/repo')).toEqual({
      databaseUrl: undefined,
      redisUrl: undefined,
      dashboardPort: 3000,
      workerPort: 3100,
      postgresPort: 54329,
      dataDir: '/repo/.data',
    });
  });

  it('switches to external services and other ports', () => {
    const config = loadLauncherConfig(
      {
        DATABASE_URL: 'postgresql://fls@db:5432/fls',
        REDIS_URL: 'redis://cache:6379',
        PORT: '8080',
        WORKER_PORT: '8081',
        POSTGRES_PORT: '5433',
        DATA_DIR: '/var/tmp/fls',
      },
      '/repo',
    );
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://fls@db:5432/fls',
      redisUrl: 'redis://cache:6379',
      dashboardPort: 8080,
      workerPort: 8081,
      postgresPort: 5433,
      dataDir: '/var/tmp/fls',
    });
    // An empty variable means unset, as in most .env files.
    expect(loadLauncherConfig({ DATABASE_URL: '', PORT: '' }, '/repo').dashboardPort).toBe(3000);
  });

  it('says what is wrong with a setting', () => {
    expect(() => loadLauncherConfig({ PORT: 'eighty' }, '/repo')).toThrow(
      new StartError('PORT must be a port number from 1 to 65535 (got "eighty").'),
    );
    expect(() => loadLauncherConfig({ WORKER_PORT: '70000' }, '/repo')).toThrow(/WORKER_PORT/);
    expect(() => loadLauncherConfig({ DATABASE_URL: 'mysql://x' }, '/repo')).toThrow(
      /DATABASE_URL must be a postgresql:\/\/ URL/,
    );
    expect(() => loadLauncherConfig({ REDIS_URL: 'http://x' }, '/repo')).toThrow(/REDIS_URL/);
  });
});
