import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, demoPatient } from './support/demo-data';
import { test } from './support/fixtures';
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
