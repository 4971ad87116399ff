import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Test support (scenario builders, arbitraries) is measured by the tests that use it, not here.
      exclude: ['src/**/*.test.ts', 'src/**/*.child.ts', 'src/**/*.d.ts', 'src/testing/**'],
      // text + text-summary print to the console; json-summary writes coverage/coverage-summary.json.
      reporter: ['text', 'text-summary', 'json-summary'],
      thresholds: {
        lines: 90,
      },
    },
  },
});
