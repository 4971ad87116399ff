import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/*.d.ts'],
      // text + text-summary print to the console; json-summary writes coverage/coverage-summary.json.
      reporter: ['text', 'text-summary', 'json-summary'],
      thresholds: {
        lines: 90,
      },
    },
  },
});
