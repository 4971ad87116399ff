import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** The repository's root, for docs/images. */
export const REPO_DIR = fileURLToPath(new URL('../../../..', import.meta.url));
/** The browser tests' own build, beside (never over) a developer's .next. */
export const E2E_DIST_DIR = '.next-e2e';
/** PNGs of each journey's main steps and of every failure; emptied at the start of a run. */
export const SCREENSHOTS_DIR = fileURLToPath(new URL('../screenshots', import.meta.url));
/** The build's and the server's output, kept after the run for a look at what went wrong. */
export const LOGS_DIR = fileURLToPath(new URL('../logs', import.meta.url));
export const BUILD_LOG = `${LOGS_DIR}/build.log`;
export const SERVER_LOG = `${LOGS_DIR}/server.log`;
