import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // PostgreSQL for the demo tests (the embedded one on a machine without a server).
    globalSetup: ['../../packages/database/src/testing/postgres-setup.ts'],
    // The run-command test installs, builds and starts the whole product twice.
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
