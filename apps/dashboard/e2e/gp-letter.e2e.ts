// A nurse produces, previews and signs off the letter to the GP, downloads the signed PDF and
// records it as sent; after sign-off the letter cannot be edited. The pages are checked (axe,
// sideways scrolling) and photographed at 1440 and 820 px.
import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, demoPatient } from './support/demo-data';
import { test } from './support/fixtures';
import { checkPage } from './support/page-checks';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

afterAll(closeDemoData);

describe('the letter to the GP', () => {
  test('a nurse produces, previews and signs off a GP letter, downloads its PDF and records it as sent', async ({
    page,
  }) => {
    // A patient whose bone therapy decision is still to be made, so the letter recommends one.
    const patient = await demoPatient({
      nurse: 'nurse',
      step: { id: 'bone-therapy-decision', statuses: ['open', 'due', 'overdue'] },
      withoutGpLetter: true,
    });
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}`);
    await page
      .getByRole('link', { name: 'Write, preview and sign off the letter to the GP' })
      .click();
    await page.getByRole('heading', { name: 'Letter to the GP', level: 1 }).waitFor();
    const letter = page.getByRole('article', { name: 'The letter to the GP' });
    await expect.poll(() => letter.textContent()).toContain('FLS assessment findings');
    expect(await letter.textContent()).toContain('What the FLS will do and when');
    expect(await letter.textContent()).toContain(patient.familyName.toUpperCase());

    const draftForm = page.getByRole('form', { name: 'Edit the draft letter' });
    // Too long a summary: the error summary links to the field, nothing is saved.
    await draftForm.getByLabel('Clinical summary (optional)').fill('x'.repeat(2001));
    await draftForm.getByRole('button', { name: 'Save draft' }).click();
    const problem = page.locator('.nhsuk-error-summary');
    await problem.waitFor();
    expect(await problem.textContent()).toContain(
      'The clinical summary must be at most 2000 characters',
    );
    await checkPage(page, 'GP letter with an error (1440)');
    await screenshot(page, 'gp-letter-1-error-1440');

    await draftForm
      .getByLabel('GP practice and address')
      .fill('The Health Centre\n1 High Street\nExampletown EX2 2AA');
    await draftForm
      .getByLabel('Bone therapy the FLS recommends (optional)')
      .selectOption({ label: 'Denosumab' });
    await draftForm
      .getByLabel('Clinical summary (optional)')
      .fill('Seen in the FLS clinic. Pain settling; mobilising with a stick.');
    await draftForm.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('The draft is saved.').waitFor();
    expect(await letter.textContent()).toContain('Denosumab 60 mg subcutaneously every 6 months');
    expect(await letter.textContent()).toContain('Seen in the FLS clinic.');
    await checkPage(page, 'GP letter draft (1440)');
    await screenshot(page, 'gp-letter-2-draft-1440');
    await page.setViewportSize({ width: 820, height: 1100 });
    await checkPage(page, 'GP letter draft (820)');
    await screenshot(page, 'gp-letter-2-draft-820');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Typed but not saved: sign-off is refused in the page (it would sign the saved text), and
    // says why; saving re-enables it, with the typed text in the letter.
    const signOffButton = page
      .getByRole('form', { name: 'Sign off the letter' })
      .getByRole('button', { name: 'Sign off' });
    expect(await signOffButton.isEnabled()).toBe(true);
    await draftForm
      .getByLabel('Clinical summary (optional)')
      .fill('Seen in the FLS clinic. Pain settling; mobilising with a stick. Reviewed today.');
    await expect.poll(() => signOffButton.isDisabled()).toBe(true);
    expect(await page.locator('#sign-off-unsaved').textContent()).toBe(
      'Save the draft first: your changes are not saved yet.',
    );
    expect(await page.locator('#sign-off-unsaved').getAttribute('aria-live')).toBe('polite');
    await draftForm.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => letter.textContent()).toContain('Reviewed today.');
    await expect.poll(() => signOffButton.isEnabled()).toBe(true);
    expect(await page.locator('#sign-off-unsaved').textContent()).toBe('');

    // The preview PDF, marked as a draft.
    const previewHref = await page
      .getByRole('link', { name: /Preview the PDF/ })
      .getAttribute('href');
    const preview = await page.request.get(previewHref ?? '');
    expect(preview.status()).toBe(200);
    expect(preview.headers()['content-type']).toBe('application/pdf');
    expect((await preview.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Sign-off needs the confirmation, which says a signed letter cannot be changed.
    const signOff = page.getByRole('form', { name: 'Sign off the letter' });
    expect(await signOff.textContent()).toContain('Signed letters cannot be changed');
    await signOff.getByRole('button', { name: 'Sign off' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Confirm that you have read the letter');
    await signOff.getByLabel(/I have read the letter and it is correct/).check();
    await signOff.getByRole('button', { name: 'Sign off' }).click();
    await page.getByText('The letter is signed off.').waitFor();

    // After sign-off: no form edits the letter; a correction would be a new letter.
    expect(await page.getByRole('form', { name: 'Edit the draft letter' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Sign off the letter' }).count()).toBe(0);
    expect(await page.getByLabel('Clinical summary (optional)').count()).toBe(0);
    await page.getByRole('button', { name: 'Start a correction of the latest letter' }).waitFor();

    // The signed PDF: the stored bytes.
    const download = page.getByRole('link', { name: /Download the signed PDF/ });
    const pdf = await page.request.get((await download.getAttribute('href')) ?? '');
    expect(pdf.status()).toBe(200);
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers()['content-disposition']).toMatch(/^attachment; filename="gp-letter-/);
    const sha = (await page.locator('.nhsuk-card .muted.small').first().textContent()) ?? '';
    const { createHash } = await import('node:crypto');
    expect(sha).toContain(createHash('sha256').update(bytes).digest('hex'));

    // Record it as sent.
    await page.locator('summary', { hasText: 'Record as sent' }).click();
    const sent = page.getByRole('form', { name: 'Record that the letter was sent' });
    await sent.getByLabel('How it was sent').selectOption({ label: 'NHSmail (secure e-mail)' });
    await sent.getByLabel(/Where it went or how/).fill('health.centre@nhs.net');
    await sent.getByRole('button', { name: 'Record as sent' }).click();
    await page.getByText('The sending is recorded.').waitFor();
    expect(await page.locator('.gp-letter-sendings').textContent()).toContain(
      'NHSmail (secure e-mail) (health.centre@nhs.net)',
    );
    await checkPage(page, 'GP letter signed and sent (1440)');
    await screenshot(page, 'gp-letter-3-signed-1440');
    await page.setViewportSize({ width: 820, height: 1100 });
    await checkPage(page, 'GP letter signed and sent (820)');
    await screenshot(page, 'gp-letter-3-signed-820');
  });
  test('a nurse sees the dates already past highlighted, and listed before sign-off, at 1440 and 820 px', async ({
    page,
  }) => {
    // A patient whose DXA scan is overdue: the letter says so instead of a "by" date gone.
    const patient = await demoPatient({
      nurse: 'nurse',
      step: { id: 'dxa-scan', statuses: ['overdue'] },
      withoutGpLetter: true,
    });
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}/gp-letter`);
    const letter = page.getByRole('article', { name: 'The letter to the GP' });
    await letter.waitFor();
    const summary = page.locator('.gp-letter-overdue');
    await summary.waitFor();
    const heading = (await summary.getByRole('heading', { level: 3 }).textContent()) ?? '';
    expect(heading).toMatch(
      /^Important: (1 date in this letter has|\d+ dates in this letter have) passed$/,
    );
    const listed = await summary.locator('li').allTextContents();
    expect(listed.length).toBe(Number(await summary.getAttribute('data-overdue')));
    expect(listed.some((line) => line.startsWith('FLS assessment findings: DXA scan'))).toBe(true);
    const today = new Date();
    for (const line of listed) {
      const date = line.match(/Overdue since: (\w{3} \d{1,2} \w{3} \d{4})$/)?.[1];
      expect(date, line).toBeDefined();
      expect(Date.parse(`${date?.slice(4)} UTC`)).toBeLessThan(today.getTime());
    }
    // The same items are marked in the letter itself, and nothing reads "by" a day gone.
    const marked = letter.locator('li.gp-letter__item--overdue');
    expect(await marked.count()).toBe(listed.length);
    expect(await letter.textContent()).not.toContain('Was due by');
    expect(await marked.first().locator('.gp-letter__date--overdue').textContent()).toMatch(
      /^Overdue since: /,
    );
    await checkPage(page, 'GP letter with dates passed (1440)');
    await screenshot(page, 'gp-letter-4-overdue-1440');
    await page.setViewportSize({ width: 820, height: 1100 });
    await checkPage(page, 'GP letter with dates passed (820)');
    await screenshot(page, 'gp-letter-4-overdue-820');
  });
});
