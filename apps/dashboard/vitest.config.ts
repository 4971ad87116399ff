import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts'],
    // PostgreSQL for the tests (the embedded one on a machine without a server).
    globalSetup: ['../../packages/database/src/testing/postgres-setup.ts'],
    coverage: { provider: 'v8', include: ['src/server/**'], reporter: ['text-summary'] },
  },
});
