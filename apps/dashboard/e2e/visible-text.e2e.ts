// No machine text reaches a page (issue 15; docs/ui.md, "Dates"): every page of the route
// inventory (src/server/routes.ts) that a role can reach is opened with real ids from the demo
// data, and its visible text (document.body.innerText) must hold no ISO instant, no bare
// YYYY-MM-DD date, no UUID and no rule expression. Pages reached from a patient page (its step
// pages, record forms and reschedule links) are found by following its own links, so a new
// form or step is checked without changing this file.
import { createDatabase, type Database } from '@vfx/database';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject } from 'vitest';
import { PAGES } from '../src/server/routes';
import { test } from './support/fixtures';
import {
  OVERDUE_PATIENT,
  PAIN_REVIEW_PATIENT,
  STALE_PAIN_PATIENT,
} from './support/journey-patients';
import { type DemoUserKey, signIn } from './support/users';

/** What a person must never read on a page. */
const MACHINE_TEXT: readonly (readonly [string, RegExp])[] = [
  ['an ISO instant', /\d{4}-\d\d-\d\dT\d/],
  ['a YYYY-MM-DD date', /\b\d{4}-\d\d-\d\d\b/],
  ['a UUID', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
  ['a rule expression', /(>=|<=|\(here:|\bnot \(|; and \(|; or \()/],
];

/** Each hit on a text: what it is and the words around it. */
function machineTextIn(text: string): string[] {
  const hits: string[] = [];
  for (const [what, pattern] of MACHINE_TEXT) {
    for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))) {
      const at = match.index ?? 0;
      const around = text.slice(Math.max(0, at - 40), at + match[0].length + 40);
      hits.push(`${what}: …${around.replace(/\s+/g, ' ')}…`);
    }
  }
  return hits;
}

let shared: Database | undefined;
function database(): Database {
  shared ??= createDatabase(inject('databaseUrl'), {
    applicationName: 'vfx-e2e-visible-text',
    maxConnections: 2,
  });
  return shared;
}
afterAll(async () => {
  await shared?.$disconnect();
});

/** Episodes that between them show every kind of date and name a page writes. */
async function episodesToRead(): Promise<string[]> {
  const db = database();
  const first = async (where: Parameters<Database['planStep']['findFirst']>[0]) =>
    (await db.planStep.findFirst({ ...where, orderBy: { episodeId: 'asc' } }))?.episodeId;
  const found = await Promise.all([
    // Completed steps name who recorded them.
    first({ where: { status: 'completed', episode: { closedAt: null } } }),
    // A reminder moved off a weekend or bank holiday says so in an adjustment.
    db.$queryRaw<{ episode_id: string }[]>`
      SELECT episode_id FROM plan_steps
      WHERE status IN ('upcoming', 'open') AND jsonb_array_length("window"->'adjustments') > 0
      ORDER BY episode_id LIMIT 1`.then((rows) => rows[0]?.episode_id),
    // A closed episode's cancelled steps.
    first({ where: { status: 'cancelled' } }),
  ]);
  return [
    PAIN_REVIEW_PATIENT.episodeId, // admitted: exact times
    OVERDUE_PATIENT.episodeId,
    STALE_PAIN_PATIENT.episodeId,
    ...found.filter((id): id is string => id !== undefined),
  ].filter((id, index, all) => all.indexOf(id) === index);
}

/** Opens a page and returns what it shows that it must not, each hit labelled with the path. */
async function read(page: Page, path: string): Promise<string[]> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  // biome-ignore lint/performance/useDomNodeTextContent: what is shown, not what is hidden.
  const text = await page.evaluate(() => document.body.innerText);
  return machineTextIn(text).map((hit) => `${path} → ${hit}`);
}

/** The links on the page under a prefix, without their fragments, each once. */
async function linksUnder(page: Page, prefixes: readonly string[]): Promise<string[]> {
  const hrefs = await page.$$eval('a[href]', (anchors) =>
    anchors.map((a) => a.getAttribute('href') ?? ''),
  );
  return [
    ...new Set(
      hrefs
        .map((href) => href.split('#')[0] ?? '')
        .filter((href) => prefixes.some((prefix) => href.startsWith(prefix))),
    ),
  ];
}

/**
 * Reads the pages, then each patient page and, with `follow`, every page its own links lead to
 * (step pages, record forms, reschedule links).
 */
async function readAll(
  page: Page,
  paths: readonly string[],
  episodes: readonly string[],
  follow: boolean,
): Promise<{ hits: string[]; visited: string[] }> {
  const hits: string[] = [];
  const visited: string[] = [];
  const visit = async (path: string) => {
    if (visited.includes(path)) return;
    visited.push(path);
    hits.push(...(await read(page, path)));
  };
  for (const path of paths) await visit(path);
  for (const episodeId of episodes) {
    await visit(`/episodes/${episodeId}`);
    if (!follow) continue;
    const links = await linksUnder(page, [`/episodes/${episodeId}/`, '/reminders/reschedule']);
    for (const link of links) await visit(link);
  }
  return { hits, visited };
}

/** The page paths of the inventory each role reads here; the test checks none is forgotten. */
const ROLE_PAGES: Readonly<Record<'nurse' | 'scheduler' | 'admin', readonly string[]>> = {
  nurse: ['/worklist', '/caseload', '/patients/new', '/account/password'],
  scheduler: ['/reminders', '/deliveries', '/patient-messages', '/account/password'],
  admin: [
    '/admin/overdue',
    '/admin/kpis',
    '/admin/users',
    '/admin/audit',
    '/admin/queues',
    '/admin/api-keys',
    '/caseload',
    '/worklist',
  ],
};

describe('no machine text reaches a page', () => {
  test('the patterns find what they look for (the check can fail)', () => {
    const found = machineTextIn(
      'Overdue since 2026-10-25. Opens at 2026-12-07T14:00:00.000Z. by 1c628c5b-77c3-4b5e-9d3a-0a1b2c3d4e5f. Recommended because not (episode closed: yes (here: no)); >= 84',
    );
    expect(found.map((hit) => hit.split(':')[0])).toEqual([
      'an ISO instant',
      'a YYYY-MM-DD date',
      'a UUID',
      'a rule expression',
      'a rule expression',
      'a rule expression',
    ]);
    expect(
      machineTextIn('Due Mon 9 Nov 2026 (in 3 days); Reminder Mon 28 Sep 2026, 09:00'),
    ).toEqual([]);
  });

  test('every page in the inventory is read by some role here', () => {
    const read = new Set(Object.values(ROLE_PAGES).flat());
    const reachedFromPatientPage = [
      '/episodes/[episodeId]',
      '/episodes/[episodeId]/steps/[stepKey]',
      '/episodes/[episodeId]/record/[type]',
      '/episodes/[episodeId]/written-plan',
      '/episodes/[episodeId]/gp-letter',
      '/episodes/[episodeId]/contact',
      '/reminders/reschedule',
    ];
    // The sign-in page is read before signing in; '/' and '/refused' only redirect or refuse.
    const elsewhere = ['/sign-in', '/', '/refused'];
    const missing = Object.keys(PAGES).filter(
      (path) =>
        !read.has(path) && !reachedFromPatientPage.includes(path) && !elsewhere.includes(path),
    );
    expect(missing).toEqual([]);
  });

  const roles: readonly (keyof typeof ROLE_PAGES)[] = ['nurse', 'scheduler', 'admin'];
  for (const role of roles) {
    test(`as the ${role}`, { timeout: 600_000 }, async ({ page }) => {
      if (role === 'nurse') {
        expect(await read(page, '/sign-in')).toEqual([]);
      }
      await signIn(page, role as DemoUserKey);
      const episodes = role === 'scheduler' ? [] : await episodesToRead();
      const paths = [...ROLE_PAGES[role]];
      if (role === 'scheduler') {
        // The reschedule page of a day step and of an exact-time step, and a day of reminders.
        const next = await database().followUp.findFirst({
          where: { state: 'pending', transition: 'due', fireAt: { gt: new Date() } },
          orderBy: [{ fireAt: 'asc' }, { id: 'asc' }],
        });
        if (next) {
          paths.push(
            `/reminders/reschedule?episode=${encodeURIComponent(next.episodeId)}&step=${encodeURIComponent(next.stepKey)}`,
          );
        }
        paths.push(
          `/reminders/reschedule?episode=${PAIN_REVIEW_PATIENT.episodeId}&step=pain-review-48h`,
        );
      }
      // The nurse follows every link of the patient pages; the others read them as they see them.
      const { hits, visited } = await readAll(page, paths, episodes, role === 'nurse');
      console.info(`[visible-text] ${role}: ${visited.length} pages read, ${hits.length} hits`);
      expect(hits, `machine text on ${role} pages`).toEqual([]);
    });
  }
});
