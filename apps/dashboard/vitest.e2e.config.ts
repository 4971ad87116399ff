import { accessSync, constants } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The browser tests (e2e/): real Chromium against a production build served by `next start`,
// on a freshly seeded database (e2e/global-setup.ts). One server, so the files run one after
// another; `npm run test:e2e` runs only these.
//
// They need Chromium (Debian's, or CHROMIUM_PATH). On a machine without one (only Node.js and
// npm) they are left out with a warning, so the rest of the test command still runs; in CI a
// missing Chromium fails, as e2e/global-setup.ts explains how to install it.
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
let haveChromium = true;
try {
  accessSync(chromium, constants.X_OK);
} catch {
  haveChromium = false;
}
const skip = !haveChromium && process.env.CI !== 'true';
if (skip) {
  console.warn(
    `No Chromium at ${chromium}: the browser tests are left out. Install it (sudo apt-get install -y chromium, or bash scripts/ensure-services.sh) or set CHROMIUM_PATH to run them.`,
  );
}

export default defineConfig({
  test: {
    include: skip ? [] : ['e2e/**/*.e2e.ts'],
    passWithNoTests: skip,
    globalSetup: skip
      ? []
      : ['../../packages/database/src/testing/postgres-setup.ts', 'e2e/global-setup.ts'],
    fileParallelism: false,
    // Bounded everywhere: a hung page fails its test instead of the 90-minute CI job.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
