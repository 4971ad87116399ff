import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The run-command test installs, builds and starts the whole product twice.
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
