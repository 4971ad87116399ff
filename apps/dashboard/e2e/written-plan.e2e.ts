import { readFile } from 'node:fs/promises';
import { describeCivilDate, patientDate, serviceCalendar } from '@vfx/domain';
import { afterAll, describe, expect, inject } from 'vitest';
import { closeDemoData, demoPatient } from './support/demo-data';
import { test } from './support/fixtures';
import { STALE_PAIN_PATIENT } from './support/journey-patients';
import { axeViolations, sidewaysOverflow } from './support/page-checks';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

afterAll(closeDemoData);

describe('the written plan', () => {
  test('a nurse opens a patient, previews the written plan, produces the PDF, sees it among the plans given and prints the page', async ({
    openPage,
  }) => {
    const patient = await demoPatient({ nurse: 'nurse' });
    const name = `${patient.givenName} ${patient.familyName}`;
    const page = await openPage({ width: 1440 });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}`);
    await page.getByRole('link', { name: 'Written plan for the patient' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/written-plan'));
    await page.getByRole('heading', { name: 'Written plan', level: 1 }).waitFor();

    // The preview: the plan in the patient's words, with their name and their dates.
    const preview = page.getByRole('article', { name: 'Written plan preview' });
    await preview.getByText(`For ${name}`).waitFor();
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('Your plan after a broken bone in your back');
    expect(text).toContain('Get help at once');
    expect(text).toContain('0808 800 0035');
    // Whom to call: the service's own nurse team (LETTER_SERVICE_NAME).
    expect(text).toContain('Your fracture liaison nurse team: ');
    expect(text).toMatch(/(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} [A-Z][a-z]+ \d{4}/);
    await screenshot(page, 'written-plan-1-preview-1440');

    // Large print: 16 pt (21.33 CSS pixels) and larger.
    await page.getByRole('link', { name: 'Show large print' }).click();
    await page.waitForURL((url) => url.searchParams.get('print') === 'large');
    const bodySize = await page
      .locator('article.written-plan--large .written-plan__item p')
      .first()
      .evaluate((p) => Number.parseFloat(getComputedStyle(p).fontSize));
    expect(bodySize).toBeGreaterThanOrEqual((16 * 96) / 72 - 0.01);
    await screenshot(page, 'written-plan-2-large-print-1440');

    // Produce and download the PDF: stored, then the stored bytes come down.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Produce and download PDF (large print)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^written-plan-\d{4}-\d{2}-\d{2}-large-print\.pdf$/,
    );
    const produced = await readFile(await download.path());
    expect(produced.subarray(0, 5).toString()).toBe('%PDF-');

    // The plans given to this patient: this one, by this nurse, under the current version,
    // listed without a reload.
    const given = page.locator('.written-plans-given table tbody tr').first();
    await given.waitFor();
    const row = (await given.textContent()) ?? '';
    expect(row).toContain('Nell Nightingale');
    expect(row).toContain('ros-2022.3');
    expect(row).toContain('Large print');
    // Downloading it again gives exactly the PDF that was given.
    const [again] = await Promise.all([
      page.waitForEvent('download'),
      given.getByRole('link', { name: /^Download the written plan produced/ }).click(),
    ]);
    expect((await readFile(await again.path())).equals(produced)).toBe(true);
    await screenshot(page, 'written-plan-3-plans-given-1440');

    // Printed: only the plan; no navigation, buttons or the list of plans given.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
    expect(await page.locator('.written-plans-given').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /Produce and download PDF/ }).count()).toBe(0);
    expect(await preview.isVisible()).toBe(true);
    // Large print on paper too: no text of the plan under 16 pt.
    const smallest = await preview.evaluate((article) =>
      Math.min(
        ...[...article.querySelectorAll('*')]
          .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()))
          .map((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual((16 * 96) / 72 - 0.01);
    await screenshot(page, 'written-plan-4-print');
    const printed = await page.pdf({ format: 'A4' });
    expect(Buffer.from(printed).subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('a nurse is warned before producing a plan whose pain score is out of date, and can go to record one', async ({
    openPage,
  }) => {
    // The journey patient's only pain score is on day 11 of a fracture 230 days before the seed
    // (acute phase: a 7-day limit), so it has been out of date since 8 days after that.
    const patient = STALE_PAIN_PATIENT;
    const calendar = serviceCalendar();
    const seededDay = calendar.localDate(Date.parse(inject('seededAt')));
    const scoredOn = calendar.addToDate(seededDay, {
      days: patient.painDayAfterFracture - patient.daysSinceFracture,
    });
    const staleSince = calendar.addToDate(scoredOn, { days: 8 });
    for (const width of [1440, 820]) {
      const page = await openPage({ width });
      await signIn(page, 'nurse');
      await page.goto(`/episodes/${patient.episodeId}/written-plan`);
      const warning = page.locator('.nhsuk-warning-callout[data-warning="pain-score-stale"]');
      await warning.waitFor();
      expect(await warning.getByRole('heading', { level: 2 }).textContent()).toBe(
        'Important: The pain score is out of date',
      );
      const said = (await warning.textContent()) ?? '';
      expect(said).toContain(
        `The latest pain score, of ${describeCivilDate(scoredOn)}, has been out of date since ${describeCivilDate(staleSince)} (its limit is 7 days).`,
      );
      // Before the button that produces the plan, so it is read first.
      const produce = page.getByRole('button', { name: 'Produce and download PDF' });
      const [warningBox, produceBox] = [await warning.boundingBox(), await produce.boundingBox()];
      expect(warningBox?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(produceBox?.y ?? 0);
      // It agrees with what the patient is told, and the plan repeats no advice from the score.
      const preview = page.getByRole('article', { name: 'Written plan preview' });
      expect(await preview.textContent()).toContain(
        `Your last pain score was taken on ${patientDate(scoredOn).words}.`,
      );
      expect(await axeViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toEqual([]);
      await screenshot(page, `written-plan-7-stale-pain-warning-${width}`);
      // Printed, the warning is not on the patient's copy.
      await page.emulateMedia({ media: 'print' });
      expect(await warning.isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });
      if (width === 1440) {
        await warning.getByRole('link', { name: 'Record a pain score' }).click();
        await page.waitForURL((url) =>
          url.pathname.endsWith(`/episodes/${patient.episodeId}/record/pain-assessment`),
        );
        await page.getByRole('heading', { name: /Pain assessment/, level: 1 }).waitFor();
      }
      await page.close();
    }
  });

  test('gives no warning when the pain score is current', async ({ openPage }) => {
    const patient = await demoPatient({ nurse: 'nurse' });
    const page = await openPage({ width: 1440 });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}/written-plan`);
    const preview = page.getByRole('article', { name: 'Written plan preview' });
    await preview.waitFor();
    const text = (await preview.textContent()) ?? '';
    const warned = await page.locator('.nhsuk-warning-callout[data-warning^="pain-score"]').count();
    // The warning and the plan's pain relief section agree, whichever the demo patient has.
    expect(warned).toBe(text.includes('This advice goes by your pain score on') ? 0 : 1);
  });

  test('fits a tablet: the written plan at 820 px', async ({ openPage }) => {
    const patient = await demoPatient({ nurse: 'nurse' });
    const page = await openPage({ width: 820 });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}/written-plan`);
    await page.getByRole('article', { name: 'Written plan preview' }).waitFor();
    await screenshot(page, 'written-plan-5-preview-820');
    await page.goto(`/episodes/${patient.episodeId}/written-plan?print=large`);
    await page.getByRole('article', { name: 'Written plan preview' }).waitFor();
    await screenshot(page, 'written-plan-6-large-print-820');
  });
});
