// Each role's main journey at a desktop's 1440 px and a tablet's 820 px (issue 15), with the page
// checks of support/page-checks.ts on every page visited: no axe-core violation (WCAG 2.2 A/AA),
// nothing in the main content wider than the window, and the time to the load event (printed at
// the end of the file; only a grossly slow page fails).
//
// The selectors go by role, label and address rather than by our own class names, because the
// pages' markup moves towards the NHS design system. Where they assume a structure, it is said
// beside them.
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, nextDemoReminder } from './support/demo-data';
import { test } from './support/fixtures';
import { checkPage, contrast, opaqueColours, printPageFigures } from './support/page-checks';
import { screenshot } from './support/screenshots';
import { demoUser, pathOf, signIn } from './support/users';

afterAll(async () => {
  printPageFigures();
  await closeDemoData();
});

const WIDTHS = [1440, 820] as const;
/**
 * A journey visits up to ten pages, each loaded, reloaded for its figure and run through axe:
 * on a busy 2-core machine that is more than the default 90 s.
 */
const JOURNEY_TIMEOUT_MS = 240_000;

/**
 * Opens a section from the header's navigation, as a user would. On a narrow screen the design
 * system's script moves the sections that do not fit under "More", so that is opened first when
 * the link is not on show.
 */
async function openSection(page: Page, name: string): Promise<void> {
  const sections = page.getByRole('navigation', { name: 'Sections' });
  const link = sections.getByRole('link', { name, exact: true });
  const visible = await link
    .first()
    .isVisible()
    .catch(() => false);
  if (!visible) {
    await sections.getByRole('button', { name: /More/ }).click();
  }
  await link.first().click();
}

/** Waits for the page's one level-1 heading and returns its text. */
async function mainHeading(page: Page, name?: string | RegExp): Promise<string> {
  const heading = page.getByRole('heading', { level: 1, ...(name ? { name } : {}) });
  await heading.first().waitFor();
  return ((await heading.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The sign-in page, checked before signing in (it is the first page every user sees). */
async function checkSignInPage(page: Page, width: number): Promise<void> {
  await page.goto('/sign-in');
  await mainHeading(page, 'Sign in');
  await checkPage(page, `sign-in (${width})`);
}

/**
 * Fills what a record form still needs, whatever entry it records: the step page offers the form
 * its step needs (a dose, a pain assessment, an outcome ...), and which step is most urgent
 * depends on the hour the demo was seeded at. Required fields left empty get a valid value: the
 * first option of a list or a group, the lowest number allowed, a short note.
 */
async function fillWhatIsRequired(form: Locator): Promise<void> {
  for (const select of await form.locator('select').all()) {
    if (!(await select.isVisible()) || (await select.inputValue()) !== '') continue;
    if (!(await select.evaluate((el) => (el as HTMLSelectElement).required))) continue;
    const first = await select.evaluate(
      (el) => [...(el as HTMLSelectElement).options].find((option) => option.value !== '')?.value,
    );
    if (first !== undefined) await select.selectOption(first);
  }
  const radioNames = new Set<string>();
  for (const radio of await form.locator('input[type="radio"]').all()) {
    const name = await radio.getAttribute('name');
    if (name) radioNames.add(name);
  }
  for (const name of radioNames) {
    const group = form.locator(`input[type="radio"][name="${name}"]`);
    if (await group.evaluateAll((all) => all.some((el) => (el as HTMLInputElement).checked)))
      continue;
    if (!(await group.first().evaluate((el) => (el as HTMLInputElement).required))) continue;
    await group.first().check();
  }
  for (const input of await form
    .locator('input[type="number"], input[inputmode="numeric"]')
    .all()) {
    if (!(await input.isVisible()) || (await input.inputValue()) !== '') continue;
    if (!(await input.evaluate((el) => (el as HTMLInputElement).required))) continue;
    await input.fill((await input.getAttribute('min')) ?? '1');
  }
  for (const text of await form.locator('input[type="text"], textarea').all()) {
    if (!(await text.isVisible()) || (await text.inputValue()) !== '') continue;
    if (!(await text.evaluate((el) => (el as HTMLInputElement).required))) continue;
    await text.fill('Recorded in the browser test of the nurse journey.');
  }
}

describe.each(WIDTHS)('at %i px', (width) => {
  test(
    "the nurse's journey: the most urgent overdue item, recorded, changes the plan",
    async ({ openPage }) => {
      const page = await openPage({ width });
      await checkSignInPage(page, width);
      // The second demo nurse: the first one's overdue denosumab dose belongs to the clinical-safety
      // test, and each run of this journey completes one overdue step for good.
      await signIn(page, 'nurse2');
      await mainHeading(page, 'Worklist');
      await checkPage(page, `nurse worklist (${width})`);
      await screenshot(page, `journey-worklist-${width}`, {
        docsImage: `worklist-${width}`,
        fullPage: false,
      });

      // Assumed: the overdue items are a region named by a heading starting "Overdue", most urgent
      // first (the domain's risk order), each with a link to its step page.
      const overdue = page.getByRole('region', { name: /^Overdue/ });
      const firstItem = overdue.locator('a[href*="/steps/"]').first();
      await firstItem.waitFor();
      const stepHref = (await firstItem.getAttribute('href')) ?? '';
      const episodePath = /^\/episodes\/[^/]+/.exec(stepHref)?.[0] ?? '';
      expect(episodePath, `the episode of ${stepHref}`).not.toBe('');
      await firstItem.click();
      await page.waitForURL((url) => url.pathname.startsWith(`${episodePath}/steps/`));
      const stepTitle = await mainHeading(page);
      await checkPage(page, `nurse step page (${width})`);

      // The step page holds the form that records it (assumed: a form with "Check what this
      // changes", as the record forms have now).
      const check = page.getByRole('button', { name: 'Check what this changes' });
      const form = page.locator('form', { has: check });
      await form.waitFor();
      await fillWhatIsRequired(form);
      await check.click();
      const preview = page.getByRole('region', { name: 'What saving this entry will change' });
      await preview.waitFor();
      await checkPage(page, `nurse record form with its preview (${width})`);
      await page.getByRole('button', { name: 'Save', exact: true }).click();

      // Back on the patient's page, which says what the entry changed in the plan.
      await page.waitForURL(
        (url) => url.pathname === episodePath && url.searchParams.has('recorded'),
      );
      const changes = page.locator('#changes');
      await changes.waitFor();
      const changed = (await changes.textContent()) ?? '';
      expect(changed).toContain('Saved');
      expect(changed, 'the step the nurse recorded, in what changed').toContain(stepTitle);
      expect(changed).toContain('→');
      await checkPage(page, `nurse patient page after saving (${width})`);
      // The docs picture is the page as it opens: its top, not the saved entry it scrolled to.
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `journey-patient-${width}`, {
        docsImage: `patient-${width}`,
        fullPage: false,
      });

      // The caseload, the nurse's other list.
      await openSection(page, 'Caseload');
      await page.waitForURL((url) => url.pathname === '/caseload');
      await mainHeading(page);
      await checkPage(page, `nurse caseload (${width})`);
    },
    JOURNEY_TIMEOUT_MS,
  );

  test(
    "the scheduler's journey: reminders, moving one, failed deliveries",
    async ({ openPage }) => {
      const page = await openPage({ width });
      await signIn(page, 'scheduler');
      await mainHeading(page, 'Reminders');
      await checkPage(page, `scheduler reminders (${width})`);

      // The day the next reminder goes out, from the list of days, and its reschedule page.
      const reminder = await nextDemoReminder();
      const day = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Europe/London',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(reminder.fireAt);
      await page
        .getByRole('navigation', { name: 'Days' })
        .locator(`a[href="/reminders?day=${day}"]`)
        .click();
      await page.waitForURL((url) => url.searchParams.get('day') === day);
      await checkPage(page, `scheduler reminders of one day (${width})`);
      // Assumed: each reminder that can move has a link named "Reschedule: ...".
      await page
        .getByRole('link', { name: /^Reschedule/ })
        .first()
        .click();
      await page.waitForURL((url) => url.pathname === '/reminders/reschedule');
      await mainHeading(page, /Reschedule/);
      await checkPage(page, `scheduler reschedule page (${width})`);

      await openSection(page, 'Failed deliveries');
      await page.waitForURL((url) => url.pathname === '/deliveries');
      await mainHeading(page, 'Failed deliveries');
      await checkPage(page, `scheduler failed deliveries (${width})`);
    },
    JOURNEY_TIMEOUT_MS,
  );

  test(
    "the administrator's journey: overdue, users and a nurse's caseload, KPIs, audit, queues, API keys",
    async ({ openPage }) => {
      const page = await openPage({ width });
      await signIn(page, 'admin');
      await mainHeading(page, /Overdue/);
      await checkPage(page, `admin overdue list (${width})`);

      // Their own worklist: they hold no caseload, and it must not read as "nothing is overdue"
      // while the service has overdue steps (issue 15).
      await openSection(page, 'Worklist');
      await page.waitForURL((url) => url.pathname === '/worklist');
      const worklistText = await page.getByRole('main').innerText();
      expect(worklistText).toContain('You hold no caseload');
      expect(worklistText).toMatch(/steps? (is|are) overdue/);
      expect(worklistText).not.toContain('Nothing is overdue');
      expect(
        await page
          .getByRole('main')
          .getByRole('link', { name: 'See the overdue steps across all caseloads' })
          .count(),
      ).toBe(1);
      await checkPage(page, `admin worklist (${width})`);

      await openSection(page, 'Users');
      await page.waitForURL((url) => url.pathname === '/admin/users');
      await mainHeading(page, 'Users');
      await checkPage(page, `admin users (${width})`);

      // A nurse's caseload, opened from the count of their patients.
      const nurse = demoUser('nurse2');
      await page.getByRole('link', { name: new RegExp(`patients of ${nurse.name}$`) }).click();
      await page.waitForURL((url) => url.pathname === '/caseload' && url.searchParams.has('nurse'));
      const caseloadHeading = await mainHeading(page);
      // Issue 15: "Opening a nurse's caseload from Users shows the heading 'My caseload'".
      expect.soft(caseloadHeading, "the heading of another nurse's caseload").not.toMatch(/^My /);
      expect.soft(caseloadHeading, "the heading of another nurse's caseload").toContain(nurse.name);
      await checkPage(page, `admin: a nurse's caseload (${width})`);

      for (const [section, heading, path] of [
        ['KPIs', /key performance indicators/i, '/admin/kpis'],
        ['Audit log', 'Audit log', '/admin/audit'],
        ['Queues', /Queue/, '/admin/queues'],
        ['API keys', 'API keys', '/admin/api-keys'],
      ] as const) {
        await openSection(page, section);
        await page.waitForURL((url) => url.pathname === path);
        await mainHeading(page, heading);
        await checkPage(page, `admin ${section} (${width})`);
      }

      // The account's own page, from the header.
      await page.getByRole('link', { name: 'Change password' }).click();
      await page.waitForURL((url) => url.pathname === '/account/password');
      await mainHeading(page, /password/i);
      await checkPage(page, `change password (${width})`);
    },
    JOURNEY_TIMEOUT_MS,
  );

  test(
    'pages for the lost and the refused have a heading and the way back',
    async ({ openPage }) => {
      const page = await openPage({ width });
      // An address nobody made, before signing in.
      const unknown = await page.goto('/no-such-page');
      expect(unknown?.status()).toBe(404);
      await mainHeading(page, 'Page not found');
      expect(await page.getByRole('main').getByRole('link').count()).toBeGreaterThan(0);
      await checkPage(page, `not found: unknown address (${width})`);

      await signIn(page, 'nurse');
      const missing = await page.goto('/episodes/no-such-episode');
      expect(missing?.status()).toBe(404);
      await mainHeading(page, 'Page not found');
      await checkPage(page, `not found: unknown episode (${width})`);
      const back = page.getByRole('main').getByRole('link', { name: /start page/i });
      await back.click();
      await page.waitForURL((url) => url.pathname === '/worklist');

      // A page the role may not open.
      await page.goto('/admin/users');
      await page.waitForURL((url) => url.pathname === '/refused');
      await mainHeading(page, /Not available/);
      expect(await page.getByRole('main').getByRole('link').count()).toBeGreaterThan(0);
      await checkPage(page, `refused (${width})`);
      expect(pathOf(page)).toBe('/refused');
    },
    JOURNEY_TIMEOUT_MS,
  );
});

/**
 * The colours that mark the focused element (its box-shadow and outline), and the best contrast
 * any of them has against white: WCAG 2.2 asks 3:1 of a focus indicator (1.4.11).
 */
async function focusIndicator(target: Locator): Promise<{ colours: string; best: number }> {
  const style = await target.evaluate((el) => {
    const computed = getComputedStyle(el);
    return {
      boxShadow: computed.boxShadow,
      outline:
        computed.outlineStyle !== 'none' && Number.parseFloat(computed.outlineWidth) > 0
          ? computed.outlineColor
          : '',
      focused: document.activeElement === el,
    };
  });
  expect(style.focused, 'the element has the focus').toBe(true);
  const colours = [...opaqueColours(style.boxShadow), ...opaqueColours(style.outline)];
  const best = Math.max(0, ...colours.map((colour) => contrast(colour, [255, 255, 255])));
  return { colours: `box-shadow ${style.boxShadow}; outline ${style.outline || 'none'}`, best };
}

/** Presses Tab until the element has the focus (as a keyboard user reaches it). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let presses = 0; presses < 30; presses += 1) {
    if (await target.evaluate((el) => document.activeElement === el)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Thirty presses of Tab did not reach the element');
}

describe('the focus indicator', () => {
  test('of a link and of a button has at least 3:1 contrast against white', async ({ page }) => {
    await page.goto('/no-such-page');
    const link = page.getByRole('main').getByRole('link').first();
    await tabTo(page, link);
    const linkFocus = await focusIndicator(link);
    expect(linkFocus.best, `a focused link (${linkFocus.colours})`).toBeGreaterThanOrEqual(3);

    await page.goto('/sign-in');
    const button = page.getByRole('button', { name: 'Sign in' });
    await tabTo(page, button);
    const buttonFocus = await focusIndicator(button);
    expect(buttonFocus.best, `a focused button (${buttonFocus.colours})`).toBeGreaterThanOrEqual(3);
  });
});
