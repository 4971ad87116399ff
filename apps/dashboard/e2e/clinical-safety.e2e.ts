import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, demoPatient } from './support/demo-data';
import { test } from './support/fixtures';
import { boxesOf, fillDate, readDate } from './support/forms';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

// The hazards of docs/clinical-safety/hazard-log.md that live on the step pages, walked the way
// a nurse walks them: from the worklist, with the most natural click.

const DENOSUMAB = 'Denosumab dose due (every 6 months)';
const PAIN_REVIEW = '48-hour pain review (admitted patients)';

afterAll(closeDemoData);

describe('clinical safety at the point of care', () => {
  test('the overdue denosumab dose, opened from the worklist, is recorded as a dose and the next one is planned', async ({
    page,
  }) => {
    const patient = await demoPatient({
      nurse: 'nurse',
      step: { id: 'denosumab-next-dose', statuses: ['overdue'] },
    });
    await signIn(page, 'nurse');
    await page.getByRole('heading', { name: 'Worklist', level: 1 }).waitFor();
    const item = page.locator('li, tr', { hasText: DENOSUMAB }).filter({
      has: page.locator(`a[href^="/episodes/${patient.episodeId}/steps/"]`),
    });
    await item.first().locator(`a[href^="/episodes/${patient.episodeId}/steps/"]`).first().click();
    await page.getByRole('heading', { level: 1, name: DENOSUMAB }).waitFor();

    // The form is the dose given, with the drug filled in; there is no generic "done".
    await page.getByRole('heading', { name: 'Record: a dose given (denosumab)' }).waitFor();
    expect(await page.getByLabel('Drug').inputValue()).toBe('denosumab');
    expect(await page.getByLabel('Outcome').count(), 'a generic outcome field').toBe(0);
    expect(await page.getByText(/Record this step as declined or not indicated/).count()).toBe(0);
    await screenshot(page, 'safety-1-denosumab-step');

    await page.getByRole('button', { name: 'Check what this changes' }).click();
    const preview = page.getByRole('region', { name: 'What saving this entry will change' });
    await preview.waitFor();
    const previewText = (await preview.textContent()) ?? '';
    expect(previewText).toContain(`"${DENOSUMAB}" becomes Completed`);
    expect(previewText).toMatch(/added to the plan/);
    await screenshot(page, 'safety-2-denosumab-preview');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await page.waitForURL((url) => url.searchParams.has('recorded'));
    const upcoming = page.locator('li.step', { hasText: DENOSUMAB }).filter({
      has: page.locator('.status-tag', { hasText: 'Upcoming' }),
    });
    await upcoming.first().waitFor();
    expect(await upcoming.count(), 'the next dose, planned').toBeGreaterThan(0);
  });

  test('the 48-hour review, seen while upcoming, says an assessment now does not complete it, and the preview agrees', async ({
    page,
  }) => {
    const patient = await demoPatient({
      nurse: 'nurse',
      step: { id: 'pain-review-48h', statuses: ['upcoming'] },
    });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}`);
    await page
      .locator('li.step', { hasText: PAIN_REVIEW })
      .getByRole('link', { name: 'Open step' })
      .click();
    await page.getByRole('heading', { level: 1, name: PAIN_REVIEW }).waitFor();
    const note = page.getByRole('note');
    expect(await note.textContent()).toContain('An entry made now does not complete this step');
    expect(await note.textContent()).toContain('unremitting after 48 hours');

    await page.getByLabel('Pain at rest (NRS 0-10)').fill('4');
    await page.getByLabel('Pain on activity (NRS 0-10)').fill('6');
    await page.getByLabel('Limitation of daily activities').selectOption('moderate');
    await page.getByRole('button', { name: 'Check what this changes' }).click();
    const preview = page.getByRole('region', { name: 'What saving this entry will change' });
    await preview.waitFor();
    expect(await preview.textContent()).toContain(`"${PAIN_REVIEW}" stays Upcoming`);
    await screenshot(page, 'safety-3-early-review-preview');

    // A value changed after the preview is previewed again, not saved.
    await page.getByLabel('Pain on activity (NRS 0-10)').fill('7');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('You changed the entry after the preview').waitFor();
    expect(new URL(page.url()).searchParams.has('recorded')).toBe(false);
  });

  test('a corrected fracture date shows the windows it moves before anything is saved', async ({
    page,
  }) => {
    const patient = await demoPatient({ nurse: 'nurse2' });
    await signIn(page, 'nurse2');
    const patientPage = `/episodes/${patient.episodeId}`;
    await page.goto(patientPage);
    const history = page.getByRole('region', { name: 'History' }).locator('tbody tr');
    const entriesBefore = await history.count();

    await page.goto(`${patientPage}/record/episode-details-corrected`);
    const typed = await readDate(page, 'Date of fracture');
    const dayBefore = new Date(Date.parse(`${typed}T12:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    await fillDate(page, 'Date of fracture', boxesOf(dayBefore));
    await page.getByLabel('Why the details are corrected').fill('Fracture date mistyped');
    await page.getByRole('button', { name: 'Check what this changes' }).click();
    const preview = page.getByRole('region', { name: 'What saving this entry will change' });
    await preview.waitFor();
    expect(await preview.locator('li').count(), 'windows that move').toBeGreaterThan(0);
    expect(await readDate(page, 'Date of fracture'), 'the date as typed, kept').toBe(dayBefore);
    await screenshot(page, 'safety-4-details-correction-preview');

    await page.goto(patientPage);
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await history.count(), 'entries in the history').toBe(entriesBefore);
  });
});
