import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/*.d.ts', 'src/testing/**'],
      reporter: ['text', 'text-summary', 'json-summary'],
      thresholds: { lines: 80 },
    },
  },
});
