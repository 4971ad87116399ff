import { defineConfig } from 'vitest/config';

// The browser tests (e2e/): real Chromium against a production build served by `next start`,
// on a freshly seeded database (e2e/global-setup.ts). One server, so the files run one after
// another; `npm run test:e2e` runs only these.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['../../packages/database/src/testing/postgres-setup.ts', 'e2e/global-setup.ts'],
    fileParallelism: false,
    // Bounded everywhere: a hung page fails its test instead of the 90-minute CI job.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
