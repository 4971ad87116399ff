// Every page and every route handler of the dashboard answers with the security headers, and every
// page renders in Chromium under its Content-Security-Policy without a single refusal (the
// fixture fails a test on any CSP violation). The list of pages and handlers is read from
// src/app, so a new page is checked the day it is added; a page with a new kind of path
// parameter fails here until the test is given a value for it.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { APIResponse, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import {
  closeDemoData,
  demoDatabase,
  demoPatient,
  nextDemoReminder,
  patientIdOf,
} from './support/demo-data';
import { producedWrittenPlanOf, signedLetterOf } from './support/documents';
import { test } from './support/fixtures';
import { DASHBOARD_DIR } from './support/paths';
import { signIn } from './support/users';

afterAll(() => closeDemoData());

const APP_DIR = path.join(DASHBOARD_DIR, 'src/app');

/** Route patterns (e.g. /episodes/[episodeId]) of every page.tsx and route.ts under src/app. */
function appRoutes(): { pages: string[]; handlers: string[] } {
  const pages: string[] = [];
  const handlers: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // Route groups such as (app) and private folders (_x) are not part of the address.
        const segment = entry.name;
        const next = /^\(.*\)$/.test(segment) ? segments : [...segments, segment];
        if (!segment.startsWith('_')) walk(path.join(dir, segment), next);
      } else if (/^page\.(tsx|ts|jsx|js)$/.test(entry.name)) {
        pages.push(`/${segments.join('/')}`);
      } else if (/^route\.(ts|js)$/.test(entry.name)) {
        handlers.push(`/${segments.join('/')}`);
      }
    }
  };
  walk(APP_DIR, []);
  return { pages: pages.sort(), handlers: handlers.sort() };
}

/** A real value for each path parameter the app's routes use, from the seeded demo caseload. */
async function parameterValues(): Promise<Record<string, string>> {
  const reminder = await nextDemoReminder();
  const patient = await demoPatient({ nurse: 'nurse' });
  return {
    episodeId: reminder.episodeId,
    // The reminder's episode's documents, so their PDFs answer (not 404) under the same episode.
    letterId: await signedLetterOf(demoDatabase(), reminder.episodeId),
    planId: await producedWrittenPlanOf(demoDatabase(), reminder.episodeId),
    stepKey: reminder.stepKey,
    type: 'pain-assessment',
    patientId: await patientIdOf(patient.episodeId),
    // The FHIR endpoint's catch-all: its CapabilityStatement, which answers without a key.
    path: 'metadata',
  };
}

function fillIn(pattern: string, values: Record<string, string>): string {
  // A catch-all segment ([...name] or [[...name]]) takes a path of its own, slashes and all.
  return pattern.replace(
    /\[\[?\.\.\.(\w+)\]?\]|\[([^\]]+)\]/g,
    (_, rest: string, single: string) => {
      const name = rest ?? single;
      const value = values[name];
      if (value === undefined) {
        throw new Error(
          `${pattern} has a path parameter "${name}" that this test has no value for: add one to parameterValues() in e2e/security-headers.e2e.ts.`,
        );
      }
      return rest ? value : encodeURIComponent(value);
    },
  );
}

/** The directives of a Content-Security-Policy, by name. */
function directives(policy: string | undefined): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of (policy ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) parsed.set(name.toLowerCase(), values);
  }
  return parsed;
}

type Headers = Record<string, string>;

/** The headers every response must carry, whatever it is. */
function expectCommonHeaders(headers: Headers, what: string): void {
  expect(headers['x-frame-options'], `${what}: X-Frame-Options`).toBe('DENY');
  expect(headers['x-content-type-options'], `${what}: X-Content-Type-Options`).toBe('nosniff');
  expect(['no-referrer', 'same-origin'], `${what}: Referrer-Policy`).toContain(
    headers['referrer-policy'],
  );
  const permissions = headers['permissions-policy'] ?? '';
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
    expect(permissions, `${what}: Permissions-Policy denies ${feature}`).toContain(`${feature}=()`);
  }
  const csp = directives(headers['content-security-policy']);
  expect(csp.get('frame-ancestors'), `${what}: CSP frame-ancestors`).toEqual(["'none'"]);
  expect(csp.has('base-uri'), `${what}: CSP base-uri`).toBe(true);
  // Served over plain HTTP here: HSTS is for HTTPS only (checked below with a forwarded scheme).
  expect(headers['strict-transport-security'], `${what}: no HSTS over HTTP`).toBeUndefined();
}

/** A page's policy: a nonce and 'strict-dynamic' for scripts, never 'unsafe-inline'. */
function expectPagePolicy(headers: Headers, what: string): string {
  expectCommonHeaders(headers, what);
  const csp = directives(headers['content-security-policy']);
  const scripts = csp.get('script-src') ?? [];
  const nonce = scripts.find((source) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(source));
  expect(nonce, `${what}: script-src has a nonce (${scripts.join(' ')})`).toBeDefined();
  expect(scripts, `${what}: script-src`).toContain("'strict-dynamic'");
  expect(scripts, `${what}: script-src`).not.toContain("'unsafe-inline'");
  expect(scripts, `${what}: script-src`).not.toContain("'unsafe-eval'");
  expect(csp.get('object-src'), `${what}: object-src`).toEqual(["'none'"]);
  expect(csp.get('form-action'), `${what}: form-action`).toEqual(["'self'"]);
  return nonce as string;
}

/** Anything that is not a page: nothing in it may run or load. */
function expectResourcePolicy(headers: Headers, what: string): void {
  expectCommonHeaders(headers, what);
  const csp = directives(headers['content-security-policy']);
  expect(csp.get('default-src'), `${what}: default-src`).toEqual(["'none'"]);
}

const headersOf = (response: APIResponse) => response.headers();

/** The tests that visit every page get longer than one journey: there are 20 and more pages. */
const LOOP_TIMEOUT = { timeout: 300_000 };

describe('security headers', () => {
  const { pages, handlers } = appRoutes();

  test('the app directory has the pages and handlers this test expects to find', () => {
    // A sanity check of the walk itself, so an empty list cannot pass everything below.
    expect(pages).toContain('/sign-in');
    expect(pages).toContain('/episodes/[episodeId]');
    expect(handlers).toContain('/api/v1/openapi.json');
    expect(pages.length).toBeGreaterThan(15);
  });

  test(
    'every page, signed in as an administrator, carries them and renders under its CSP',
    LOOP_TIMEOUT,
    async ({ page }) => {
      const values = await parameterValues();
      await signIn(page, 'admin');
      const seen: string[] = [];
      for (const pattern of pages) {
        const address = fillIn(pattern, values);
        const response = await page.goto(address);
        expect(response, `a response for ${address}`).not.toBeNull();
        const nonce = expectPagePolicy(
          await (response as NonNullable<typeof response>).allHeaders(),
          address,
        );
        seen.push(nonce);
        // Next gave its inline scripts this response's nonce (those it loads run by 'strict-dynamic').
        const scriptNonces = await page.evaluate(() =>
          [...document.querySelectorAll('script:not([src])')].map(
            (script) => (script as HTMLScriptElement).nonce,
          ),
        );
        expect(scriptNonces.length, `${address} has scripts`).toBeGreaterThan(0);
        expect(
          scriptNonces.every((value) => `'nonce-${value}'` === nonce),
          `${address}: every script carries the nonce`,
        ).toBe(true);
      }
      // A fresh nonce for every response.
      expect(new Set(seen).size).toBe(seen.length);
    },
  );

  test(
    'every page answers a visitor who is not signed in (a redirect or the page) with them',
    LOOP_TIMEOUT,
    async ({ page }) => {
      const values = await parameterValues();
      for (const pattern of pages) {
        const address = fillIn(pattern, values);
        const response = await page.request.get(address, { maxRedirects: 0 });
        expect(response.status(), `${address}`).toBeLessThan(500);
        expectPagePolicy(headersOf(response), `${address} (not signed in)`);
      }
    },
  );

  test('a page that does not exist carries them and renders under its CSP', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    expectPagePolicy(await (response as NonNullable<typeof response>).allHeaders(), '404 page');
  });

  test(
    'every route handler (the JSON API, the OpenAPI document, CSV downloads) carries them',
    LOOP_TIMEOUT,
    async ({ page }) => {
      const values = await parameterValues();
      // Without a key or a session: the API's 401 and the downloads' redirects.
      for (const pattern of handlers) {
        const address = fillIn(pattern, values);
        const response = await page.request.get(address, { maxRedirects: 0 });
        expect(response.status(), address).toBeLessThan(500);
        expectResourcePolicy(headersOf(response), `${address} (anonymous)`);
      }
      const openapi = await page.request.get('/api/v1/openapi.json');
      expect(openapi.status()).toBe(200);
      expectResourcePolicy(headersOf(openapi), 'OpenAPI document');

      // Signed in: the CSV downloads themselves.
      await signIn(page, 'admin');
      for (const address of handlers.filter((pattern) => pattern.endsWith('.csv'))) {
        const response = await page.request.get(fillIn(address, values));
        expect(response.status(), address).toBe(200);
        expectResourcePolicy(headersOf(response), address);
      }
    },
  );

  test('the JSON API answers a key with them, on success and on refusal', async ({ page }) => {
    await signIn(page, 'admin');
    const secret = await createApiKey(page, `Headers check ${Date.now()}`);
    const authorization = { Authorization: `Bearer ${secret}` };
    const ok = await page.request.get('/api/v1/follow-ups?status=pending&limit=1', {
      headers: authorization,
    });
    expect(ok.status()).toBe(200);
    expectResourcePolicy(headersOf(ok), 'GET /api/v1/follow-ups');
    const invalid = await page.request.get('/api/v1/follow-ups?status=nonsense', {
      headers: authorization,
    });
    expect(invalid.status()).toBe(400);
    expectResourcePolicy(headersOf(invalid), 'a refused API request');
    const wrongMethod = await page.request.delete('/api/v1/follow-ups', { headers: authorization });
    expect(wrongMethod.status()).toBe(405);
    expectResourcePolicy(headersOf(wrongMethod), 'a 405 from the API');
  });

  test('behind a TLS-terminating proxy, responses add Strict-Transport-Security', async ({
    page,
  }) => {
    for (const address of ['/sign-in', '/api/v1/openapi.json']) {
      const response = await page.request.get(address, {
        headers: { 'X-Forwarded-Proto': 'https' },
      });
      expect(response.headers()['strict-transport-security'], address).toMatch(
        /^max-age=\d{8,}; includeSubDomains$/,
      );
    }
  });
});

/** Creates an API key on Admin › API keys, as an administrator does, and returns its secret. */
async function createApiKey(page: Page, name: string): Promise<string> {
  await page.goto('/admin/api-keys');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Scheduler: list follow-ups').check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = page.locator('#new-key-secret');
  await secret.waitFor();
  return secret.inputValue();
}
