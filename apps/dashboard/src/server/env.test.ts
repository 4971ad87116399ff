import { describe, expect, it } from 'vitest';
import { ConfigError, loadDashboardConfig } from './env';

describe('dashboard configuration', () => {
  it('reads a valid environment with its defaults', () => {
    const config = loadDashboardConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/fls' });
    expect(config).toMatchObject({ TRUST_PROXY: false });
    expect(typeof config.SECURE_COOKIES).toBe('boolean');
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
