import { describe, expect, it } from 'vitest';
import { ConfigError, loadDashboardConfig, workerLinks } from './env';

describe('dashboard configuration', () => {
  it('reads a valid environment with its defaults', () => {
    const config = loadDashboardConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/fls' });
    expect(config).toMatchObject({ TRUST_PROXY: false });
    expect(typeof config.SECURE_COOKIES).toBe('boolean');
  });

  it('reads the optional worker addresses, the public one defaulting to WORKER_URL', () => {
    const base = { DATABASE_URL: 'postgresql://u@127.0.0.1:5432/fls' };
    expect(loadDashboardConfig(base).WORKER_URL).toBeUndefined();
    expect(
      workerLinks(loadDashboardConfig({ ...base, WORKER_URL: 'http://127.0.0.1:3100' })),
    ).toEqual({
      internal: 'http://127.0.0.1:3100',
      public: 'http://127.0.0.1:3100',
    });
    expect(
      workerLinks(
        loadDashboardConfig({
          ...base,
          WORKER_URL: 'http://10.0.0.5:3100/',
          WORKER_PUBLIC_URL: 'https://worker.fls.example/',
        }),
      ),
    ).toEqual({ internal: 'http://10.0.0.5:3100', public: 'https://worker.fls.example' });
    expect(workerLinks(loadDashboardConfig(base))).toBeUndefined();
    expect(() => loadDashboardConfig({ ...base, WORKER_URL: 'ftp://127.0.0.1' })).toThrow(
      /WORKER_URL must be a URL such as/,
    );
    expect(() => loadDashboardConfig({ ...base, WORKER_URL: '127.0.0.1:3100' })).toThrow(
      /WORKER_URL must be a URL such as http:\/\/127\.0\.0\.1:3100/,
    );
  });

  it('lists every problem, each naming its variable', () => {
    const error = (() => {
      try {
        loadDashboardConfig({ DATABASE_URL: 'mysql://x', TRUST_PROXY: 'yes' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /DATABASE_URL must be a postgresql:\/\/ connection URL/,
    );
    expect((error as Error).message).toMatch(/TRUST_PROXY must be true or false/);
  });
});
