// The browser tests' world: a fresh database with the demo caseload, a production build of the
// dashboard, and `next start` serving it on a port of its own. Torn down at the end, whatever
// happened; nothing is left running. The processes themselves are in support/processes.ts.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { chromiumPath } from './support/chromium';
import { LOGS_DIR, SCREENSHOTS_DIR, SERVER_LOG } from './support/paths';
import {
  build,
  closeDemoDatabase,
  openDemoDatabase,
  running,
  start,
  stopGroup,
} from './support/processes';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the dashboard under test answers, e.g. http://127.0.0.1:40123. */
    baseURL: string;
    /** The server's combined stdout and stderr, printed when a test fails. */
    serverLog: string;
    /** The instant the demo caseload was seeded as of (ISO). */
    seededAt: string;
    /** The seeded database, for tests to pick their patients (never to set up state). */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Before the minute-long build: a missing browser should fail at once, saying what to do.
  chromiumPath();
  rmSync(SCREENSHOTS_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  mkdirSync(LOGS_DIR, { recursive: true });

  const now = new Date();
  /** The process holding the test database, once started. */
  let databaseHolder: ChildProcess | undefined;
  const teardown = async () => {
    for (const group of [...running]) await stopGroup(group);
    if (databaseHolder) await closeDemoDatabase(databaseHolder);
  };
  try {
    // The build is the long part (about a minute); the seed runs beside it.
    const [, database] = await Promise.all([
      build(),
      openDemoDatabase(now).then((opened) => {
        databaseHolder = opened.holder;
        return opened;
      }),
    ]);
    const started = await start(database.url);
    console.log(`[e2e] Dashboard at ${started.baseURL} (server output: ${SERVER_LOG})`);
    project.provide('baseURL', started.baseURL);
    project.provide('serverLog', SERVER_LOG);
    project.provide('seededAt', now.toISOString());
    project.provide('databaseUrl', database.url);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
