import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // PostgreSQL for the tests (the embedded one on a machine without a server).
    globalSetup: ['src/testing/postgres-setup.ts'],
    // Integration tests talk to the real PostgreSQL; each file has its own database.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/generated/**', 'src/testing/**'],
      reporter: ['text', 'text-summary', 'json-summary'],
      thresholds: { lines: 85 },
    },
  },
});
