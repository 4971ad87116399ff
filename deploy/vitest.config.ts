import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // PostgreSQL for the tests (the embedded one on a machine without a server).
    globalSetup: [
      '../packages/database/src/testing/postgres-setup.ts',
      '../apps/worker/src/testing/redis-setup.ts',
    ],
    // The bundle test builds the worker and migrates a real database.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
