import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from './env.js';

describe('worker configuration', () => {
  it('uses the PostgreSQL queue backend without REDIS_URL, and Redis with it', () => {
    const base = { DATABASE_URL: 'postgresql://u@127.0.0.1:5432/fls' };
    expect(loadWorkerConfig(base)).toMatchObject({
      queueBackend: 'postgres',
      PORT: 3100,
      SCHEDULE_HORIZON_HOURS: 168,
      RECONCILE_INTERVAL_SECONDS: 300,
      QUEUE_LOSS_CHECK_MS: 1_000,
      EMAIL_REMINDERS: true,
    });
    expect(loadWorkerConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }).queueBackend).toBe(
      'redis',
    );
    // An empty variable counts as unset.
    expect(loadWorkerConfig({ ...base, REDIS_URL: '' }).queueBackend).toBe('postgres');
  });

  it('lists every problem with what to set', () => {
    let error: unknown;
    try {
      loadWorkerConfig({ REDIS_URL: 'http://x', PORT: 'eighty', EMAIL_REMINDERS: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL: is required (set it to the PostgreSQL URL');
    expect(message).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(message).toContain('PORT:');
    expect(message).toContain('EMAIL_REMINDERS: must be true or false');
  });
});
