import { describe, expect, it } from 'vitest';
import { ConfigError, loadDashboardConfig, workerLinks } from './env';

describe('dashboard configuration', () => {
  it('reads a valid environment with its defaults', () => {
    const config = loadDashboardConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/fls' });
    expect(config).toMatchObject({ TRUSTED_PROXY_COUNT: 0 });
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
        loadDashboardConfig({
          DATABASE_URL: 'mysql://x',
          TRUSTED_PROXY_COUNT: 'one',
          TRUST_PROXY: 'true',
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /DATABASE_URL must be a postgresql:\/\/ connection URL/,
    );
    expect((error as Error).message).toMatch(/TRUSTED_PROXY_COUNT must be a whole number/);
    expect((error as Error).message).toMatch(/TRUST_PROXY was replaced by TRUSTED_PROXY_COUNT/);
  });

  it('reads the number of trusted proxies, from 0 to 10', () => {
    const base = { DATABASE_URL: 'postgresql://u@127.0.0.1:5432/fls' };
    expect(loadDashboardConfig({ ...base, TRUSTED_PROXY_COUNT: '2' }).TRUSTED_PROXY_COUNT).toBe(2);
    for (const bad of ['-1', '1.5', '11', 'true']) {
      expect(() => loadDashboardConfig({ ...base, TRUSTED_PROXY_COUNT: bad })).toThrow(
        /TRUSTED_PROXY_COUNT must be a whole number from 0 to 10/,
      );
    }
  });
});
