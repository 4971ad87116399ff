import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // The bundle test builds the worker and migrates a real database.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
