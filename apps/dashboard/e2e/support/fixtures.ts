// The browser tests' `test`: one Chromium per test file, and for each test fresh pages whose
// cookies and storage are their own. When a test fails, every page it opened is photographed and
// the server's output from that test is printed beside the browser's own errors.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { test as base, inject } from 'vitest';
import { launchChromium } from './chromium';
import { screenshot } from './screenshots';

/** The zone the browser reports, as an NHS user in England would; the server runs in UTC. */
export const BROWSER_TIME_ZONE = 'Europe/London';
/** Set by the app from the browser's zone (src/ui/time-zone-cookie.tsx). */
const TIME_ZONE_COOKIE = 'vfx_tz';

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** What the server printed from byte `from` on, at most the last `maxLines` lines. */
function serverOutputSince(file: string, from: number, maxLines = 200): string {
  const length = sizeOf(file) - from;
  if (length <= 0) return '(nothing)';
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, from);
  } finally {
    closeSync(fd);
  }
  const lines = buffer.toString('utf8').trimEnd().split('\n');
  const cut =
    lines.length > maxLines ? [`(${lines.length - maxLines} earlier lines left out)`] : [];
  return [...cut, ...lines.slice(-maxLines)].join('\n');
}

interface OpenedPage {
  readonly page: Page;
  /** Uncaught errors and console errors in the page, printed if the test fails. */
  readonly problems: string[];
  /** What the page's Content-Security-Policy refused: any one fails the test. */
  readonly violations: string[];
}

/**
 * Reports every Content-Security-Policy violation to the test. Playwright adds it to each new
 * document through the DevTools protocol, which the page's own policy does not govern.
 */
const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (event) => {
  window.__reportCspViolation(event.effectiveDirective + ' refused ' + (event.blockedURI || 'inline') +
    ' at ' + event.documentURI + (event.sourceFile ? ' (' + event.sourceFile + ':' + event.lineNumber + ')' : '') +
    (event.sample ? ': ' + event.sample : ''));
});`;

export interface OpenPageOptions {
  /** Viewport width in CSS pixels; 1280 unless a test checks another (e.g. a tablet's 768). */
  readonly width?: number;
  /**
   * Whether to tell the server the browser's zone up front (the default). Without the cookie
   * the app learns the zone on first load and refreshes the page once, which a test of that
   * mechanism wants and every other test would only race with.
   */
  readonly presetTimeZoneCookie?: boolean;
  /** The zone the browser reports; Europe/London unless a test checks another. */
  readonly timeZone?: string;
  /** Another dashboard than the suite's own (a test that runs a server of its own). */
  readonly baseURL?: string;
}

export const test = base
  // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern.
  .extend('browser', { scope: 'worker' }, async ({}, { onCleanup }) => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  /**
   * Opens a page in a browser context of its own, i.e. a separate user: a test that needs a
   * nurse and an administrator at once opens two.
   */
  .extend('openPage', async ({ browser, task }, { onCleanup }) => {
    const baseURL = inject('baseURL');
    const serverLog = inject('serverLog');
    const serverLogStart = sizeOf(serverLog);
    const opened: OpenedPage[] = [];

    onCleanup(async () => {
      const violations = opened.flatMap(({ violations }) => violations);
      if (task.result?.state === 'fail' || violations.length > 0) {
        const name = `FAILED ${task.name}`;
        const report: string[] = [`[e2e] "${task.name}" failed.`];
        for (const [index, { page, problems }] of opened.entries()) {
          const label = opened.length > 1 ? `${name} (page ${index + 1})` : name;
          const file = await screenshot(page, label).catch((error: Error) => error.message);
          report.push(`Page ${index + 1} at ${page.url()}; screenshot: ${file}`);
          if (problems.length > 0) report.push(...problems.map((problem) => `  ${problem}`));
          for (const violation of opened[index]?.violations ?? []) {
            report.push(`  CSP violation: ${violation}`);
          }
        }
        report.push(
          `Server output during the test:\n${serverOutputSince(serverLog, serverLogStart)}`,
        );
        console.error(report.join('\n'));
      }
      await Promise.all(opened.map(({ page }) => page.context().close()));
      // The pages run under the dashboard's real Content-Security-Policy: anything it refused
      // would be broken for users too.
      if (violations.length > 0) {
        throw new Error(
          `The Content-Security-Policy refused ${violations.length} thing(s):\n${violations.join('\n')}`,
        );
      }
    });

    return async (options: OpenPageOptions = {}): Promise<Page> => {
      const timeZone = options.timeZone ?? BROWSER_TIME_ZONE;
      const origin = options.baseURL ?? baseURL;
      const context = await browser.newContext({
        baseURL: origin,
        timezoneId: timeZone,
        locale: 'en-GB',
        viewport: { width: options.width ?? 1280, height: 900 },
        acceptDownloads: true,
      });
      // Bounded waits: long enough for a cold page on a busy 2-core CI machine, short enough
      // that a missing element fails the test well inside its own timeout.
      context.setDefaultTimeout(15_000);
      context.setDefaultNavigationTimeout(30_000);
      if (options.presetTimeZoneCookie ?? true) {
        await context.addCookies([
          { name: TIME_ZONE_COOKIE, value: encodeURIComponent(timeZone), url: origin },
        ]);
      }
      const violations: string[] = [];
      await context.exposeFunction('__reportCspViolation', (text: string) => {
        violations.push(text);
      });
      await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught in page: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        problems.push(`console error: ${message.text()}`);
        // Chromium also logs each refusal; a refusal the event did not report still counts.
        if (/Content Security Policy/i.test(message.text())) {
          violations.push(`console: ${message.text()}`);
        }
      });
      opened.push({ page, problems, violations });
      return page;
    };
  })
  /** The test's first user's page. */
  .extend('page', async ({ openPage }) => openPage());
