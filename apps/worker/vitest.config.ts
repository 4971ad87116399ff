import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // PostgreSQL for the tests (the embedded one on a machine without a server).
    globalSetup: [
      '../../packages/database/src/testing/postgres-setup.ts',
      'src/testing/redis-setup.ts',
    ],
    // Real PostgreSQL and Redis (each test its own database and key prefix). Files run one at a
    // time: their timing checks (a job fires within a second of its time) need the cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // The entry points run as processes; deploy/src/worker-bundle.integration.test.ts runs them.
      exclude: ['src/**/*.test.ts', 'src/testing/**', 'src/main.ts', 'src/migrate.ts'],
      reporter: ['text', 'text-summary', 'json-summary'],
      thresholds: { lines: 80 },
    },
  },
});
