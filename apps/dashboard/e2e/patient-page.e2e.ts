import { RECOMMENDATION_PRIORITIES, type RecommendationPriority } from '@vfx/domain';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, demoPatient } from './support/demo-data';
import { test } from './support/fixtures';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

afterAll(closeDemoData);

/** Whether the page scrolls sideways at its width. */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * The smallest text drawn in the timeline, in CSS pixels as shown: each element holding text,
 * its computed size times the scale it is drawn at (an SVG scaled to fit, or a transform).
 */
const smallestTimelineText = (page: Page) =>
  page.locator('figure.timeline').evaluate((figure) => {
    const sizes: { text: string; px: number }[] = [];
    for (const element of figure.querySelectorAll<HTMLElement | SVGElement>('*')) {
      const own = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent?.trim() ?? '')
        .join('');
      if (!own || element.getClientRects().length === 0) continue;
      if (element.closest('.nhsuk-u-visually-hidden, title')) continue;
      const svg = element.closest('svg');
      let scale = 1;
      if (svg?.viewBox.baseVal && svg.viewBox.baseVal.height > 0) {
        scale = svg.getBoundingClientRect().height / svg.viewBox.baseVal.height;
      } else if (element instanceof HTMLElement && element.offsetHeight > 0) {
        scale = element.getBoundingClientRect().height / element.offsetHeight;
      }
      sizes.push({ text: own, px: Number.parseFloat(getComputedStyle(element).fontSize) * scale });
    }
    return sizes.sort((a, b) => a.px - b.px)[0];
  });

/** Pages in a PDF Chromium wrote: its page objects (the page tree node is "/Pages"). */
const pdfPageCount = (pdf: Buffer) =>
  pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

describe('the patient page', () => {
  test('at a tablet’s width: action first, advice by priority, a readable timeline, a short print', async ({
    openPage,
  }) => {
    // A denosumab dose more than 4 weeks late: urgent advice beside routine advice.
    const patient = await demoPatient({
      nurse: 'nurse',
      step: { id: 'denosumab-next-dose', statuses: ['overdue'] },
    });
    const page = await openPage({ width: 820 });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}`);
    await page.locator('figure.timeline').waitFor();

    expect(await sideways(page), 'sideways scroll at 820 px').toBeLessThanOrEqual(0);

    // What needs doing now is the first section, with the late dose in it.
    const firstHeading = await page.locator('main section h2').first().textContent();
    expect(firstHeading).toMatch(/^Needs action now/);
    const action = page.getByRole('region', { name: /^Needs action now/ });
    expect(await action.locator('li.step .step-head strong').allTextContents()).toContain(
      'Denosumab dose due (every 6 months)',
    );

    // Every recommendation on the page, in the order shown, is in the domain's priority order,
    // and the urgent one about the late dose comes first.
    const priorities = (await page
      .locator('li.rec')
      .evaluateAll((items) =>
        items.map((item) => (item as HTMLElement).dataset.priority),
      )) as RecommendationPriority[];
    expect(priorities.length).toBeGreaterThan(1);
    const ranks = priorities.map((priority) => RECOMMENDATION_PRIORITIES.indexOf(priority));
    expect(ranks).not.toContain(-1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(await page.locator('li.rec .rec-title strong').first().textContent()).toBe(
      'Denosumab dose more than 4 weeks late',
    );

    // Citations are folded away.
    const sources = page.locator('details.sources');
    expect(await sources.count()).toBeGreaterThan(0);
    expect(
      await sources.evaluateAll((all) => all.filter((d) => d.hasAttribute('open')).length),
    ).toBe(0);

    // The timeline's text is 12 px or more, and every lane has its full name.
    const smallest = await smallestTimelineText(page);
    expect(smallest?.px, `timeline text "${smallest?.text}"`).toBeGreaterThanOrEqual(12);
    const titles = await page.locator('.tl-lanes .tl-title').allTextContents();
    expect(titles.length).toBeGreaterThan(3);
    expect(titles.filter((title) => title.endsWith('…'))).toEqual([]);
    const cut = await page
      .locator('.tl-lanes .tl-title')
      .evaluateAll((all) => all.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
    expect(cut, 'lane names cut short').toBe(0);
    await screenshot(page, 'patient-page-820', { fullPage: false });

    // The same at a desktop width.
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await sideways(page), 'sideways scroll at 1440 px').toBeLessThanOrEqual(0);
    expect((await smallestTimelineText(page))?.px).toBeGreaterThanOrEqual(12);
    await page.setViewportSize({ width: 820, height: 900 });

    // Printed: no header, navigation, buttons or forms; the patient, what is due and the advice.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
    expect(
      await page
        .locator('nav')
        .evaluateAll((navs) => navs.filter((n) => n.getClientRects().length > 0).length),
      'navigation printed',
    ).toBe(0);
    expect(await page.getByRole('link', { name: 'Open step' }).first().isVisible()).toBe(false);
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await action.isVisible()).toBe(true);
    expect(await page.locator('li.rec').first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdfPageCount(pdf), 'A4 pages printed').toBeGreaterThan(0);
    expect(pdfPageCount(pdf), 'A4 pages printed').toBeLessThanOrEqual(2);
    await page.emulateMedia({ media: 'screen' });
  });
});
