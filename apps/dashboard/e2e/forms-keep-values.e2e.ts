// Every record form, enrolment, the correction of enrolment details and the reschedule form keep
// everything typed after a refused submission: selects, radios, checkboxes, date boxes and text.
// Each form is filled with values that are not its defaults plus one the domain refuses; after
// the refusal every control holds what it held before, the error summary has the focus, the
// title starts with "Error: " and every summary link reaches its field.
import { EVENT_TYPES } from '@vfx/domain';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, demoPatient, nextDemoReminder } from './support/demo-data';
import { BROWSER_TIME_ZONE, test } from './support/fixtures';
import {
  dayFromToday,
  fillDate,
  fillEveryField,
  formSnapshot,
  refusedSubmission,
  waitForScript,
} from './support/forms';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

afterAll(closeDemoData);

/** Entries recorded from somewhere other than the patient page's menu (tested below). */
const ELSEWHERE = new Set([
  'episode-details-corrected',
  'step-completed',
  'step-rescheduled',
  'retraction',
  'dxa-appointment',
]);
const RECORDABLE = EVENT_TYPES.filter((type) => !ELSEWHERE.has(type));

const PAST = () => dayFromToday(-3, BROWSER_TIME_ZONE);
const FUTURE = () => dayFromToday(2, BROWSER_TIME_ZONE);

/**
 * Fills the page's form, makes "When it happened" (or `invalid`) refused, submits with the first
 * button, and checks that every control still holds what it held.
 */
async function keepsEverything(
  page: Page,
  options: {
    readonly invalid: (page: Page) => Promise<void>;
    readonly radios?: Readonly<Record<string, string>>;
  },
): Promise<string[]> {
  await waitForScript(page);
  const form = page
    .locator('main form')
    .filter({ has: page.locator('[type="submit"]') })
    .last();
  await fillEveryField(form, { date: PAST(), radios: options.radios });
  await options.invalid(page);
  const before = await formSnapshot(form);
  expect(
    before.filter((line) => /^[^:]+=$/.test(line) && !line.startsWith('$')),
    'controls left empty',
  ).toEqual([]);
  await form.locator('[type="submit"]').first().click();
  const lines = await refusedSubmission(page);
  expect(await formSnapshot(form), 'every control as it was before the refusal').toEqual(before);
  return lines;
}

const futureOccurrence = async (page: Page) =>
  fillDate(page, 'When it happened', { ...FUTURE(), time: '10:15' });

describe('forms keep what was typed after a refusal', () => {
  test('every entry a nurse records from the patient page', async ({ page }) => {
    const patient = await demoPatient({ nurse: 'nurse2' });
    await signIn(page, 'nurse2');
    for (const type of RECORDABLE) {
      await page.goto(`/episodes/${patient.episodeId}/record/${type}`);
      const lines = await keepsEverything(page, { invalid: futureOccurrence });
      expect(lines.join(' '), type).toMatch(/The date it happened must be before now \(\w{3} /);
    }
  });

  test('a step completed, a withdrawal and the correction of an entry', async ({ page }) => {
    const patient = await demoPatient({ nurse: 'nurse2' });
    await signIn(page, 'nurse2');
    const patientPage = `/episodes/${patient.episodeId}`;
    await page.goto(patientPage);
    const stepLinks = await page
      .locator(`a[href^="${patientPage}/steps/"]`)
      .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    let completed = false;
    for (const href of [...new Set(stepLinks)]) {
      const key = decodeURIComponent(href.split('/steps/')[1]?.split(/[?#]/)[0] ?? '');
      await page.goto(`${patientPage}/record/step-completed?step=${encodeURIComponent(key)}`);
      if ((await page.locator('main form [name="outcome"]').count()) === 0) continue;
      await keepsEverything(page, { invalid: futureOccurrence });
      completed = true;
      break;
    }
    expect(completed, 'a step that takes a generic outcome').toBe(true);

    await page.goto(patientPage);
    const withdraw = await page
      .locator(`a[href*="/record/retraction?corrects="]`)
      .first()
      .getAttribute('href');
    await page.goto(withdraw ?? '');
    await keepsEverything(page, { invalid: futureOccurrence });

    await page.goto(patientPage);
    const correct = await page
      .locator(
        'a[href*="?corrects="]:not([href*="/retraction?"]):not([href*="/episode-details-corrected?"])',
      )
      .first()
      .getAttribute('href');
    await page.goto(correct ?? '');
    await keepsEverything(page, { invalid: futureOccurrence });
  });

  test('enrolment: every problem at once, each linked to its field', async ({ page }) => {
    await signIn(page, 'nurse');
    await page.goto('/patients/new');
    const lines = await keepsEverything(page, {
      radios: { identifierKind: 'mrn', careSetting: 'admitted' },
      invalid: async (p) => {
        await p.getByLabel('NHS number or MRN').fill('E2E-KEEPS-1');
        await fillDate(p, 'Date of birth', FUTURE());
      },
    });
    const all = lines.join('\n');
    // The future date of birth is said with the other problems, not after them are fixed.
    expect(all).toContain('Date of birth must be today or in the past');
    expect(all).not.toMatch(/\d{4}-\d\d-\d\d|[a-z][A-Z][a-z]+At\b/);
  });

  test('the correction of enrolment details', async ({ page }) => {
    const patient = await demoPatient({ nurse: 'nurse2' });
    await signIn(page, 'nurse2');
    await page.goto(`/episodes/${patient.episodeId}/record/episode-details-corrected`);
    const lines = await keepsEverything(page, {
      radios: { careSetting: 'admitted' },
      invalid: (p) => fillDate(p, 'Date of fracture', FUTURE()),
    });
    expect(lines.join(' ')).toContain('Date of fracture must be today or in the past');
  });

  test('a reminder moved by a scheduler, from the reminders and as an entry', async ({ page }) => {
    await signIn(page, 'scheduler');
    const next = await nextDemoReminder();
    const rescheduleLinks = () =>
      page
        .locator('a[href^="/reminders/reschedule?"]')
        .evaluateAll((found) => found.map((link) => link.getAttribute('href') ?? ''));
    const links = [
      ...(await rescheduleLinks()),
      `/reminders/reschedule?episode=${encodeURIComponent(next.episodeId)}&step=${encodeURIComponent(next.stepKey)}`,
    ];
    // The reminders of the next days, until a few can be moved.
    const days = await page
      .locator('a[href^="/reminders?day="]')
      .evaluateAll((found) => found.map((link) => link.getAttribute('href') ?? ''));
    for (const day of [...new Set(days)].slice(0, 6)) {
      await page.goto(day);
      links.push(...(await rescheduleLinks()));
    }
    let moved = false;
    for (const href of [...new Set(links)].slice(0, 12)) {
      await page.goto(href);
      if ((await page.locator('main form [name="reason"]').count()) === 0) continue;
      await keepsEverything(page, {
        invalid: (p) => fillDate(p, 'Send the due reminder on', { day: 2, month: 1, year: 2020 }),
      });
      const query = new URL(href, 'http://x').searchParams;
      await page.goto(
        `/episodes/${query.get('episode')}/record/step-rescheduled?step=${encodeURIComponent(query.get('step') ?? '')}`,
      );
      await keepsEverything(page, { invalid: futureOccurrence });
      moved = true;
      break;
    }
    expect(moved, `a reminder that can be moved, among ${links.join(', ')}`).toBe(true);
  });

  test('the forms and their errors fit a tablet (820 px) without sideways scrolling', async ({
    openPage,
  }) => {
    const page = await openPage({ width: 820 });
    const patient = await demoPatient({ nurse: 'nurse2' });
    await signIn(page, 'nurse2');
    for (const path of [`/episodes/${patient.episodeId}/record/pain-assessment`, '/patients/new']) {
      await page.goto(path);
      await waitForScript(page);
      await page.locator('main form [type="submit"]').first().click();
      await refusedSubmission(page);
      const widths = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        window.innerWidth,
      ]);
      expect(widths[0], `${path} scrolls sideways`).toBeLessThanOrEqual(widths[1] ?? 0);
      await screenshot(page, `forms-820-${path.split('/').at(-1)}`, { fullPage: true });
    }
  });
});
