import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, demoPatient } from './support/demo-data';
import { test } from './support/fixtures';
import { PAIN_REVIEW_PATIENT } from './support/journey-patients';
import { screenshot } from './support/screenshots';
import { pathOf, signIn } from './support/users';

const PAIN_REVIEW = '48-hour pain review (admitted patients)';

/** "999 000 0071", as a nurse would read it off a letter. */
const spaced = (nhsNumber: string) =>
  `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;

afterAll(closeDemoData);

describe("the nurse's journey", () => {
  test('sees a patient mid-pathway on a time axis (the README picture)', async ({ page }) => {
    // Past the 16-week follow-up, with entries recorded along the way.
    const patient = await demoPatient({
      nurse: 'nurse',
      step: { id: 'fls-follow-up-16-weeks', statuses: ['completed'] },
    });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${patient.episodeId}`);
    const timeline = page.locator('figure.timeline');
    await timeline.waitFor();
    expect(await timeline.locator('.tl-lanes .tl-event').count()).toBeGreaterThan(3);
    expect(await timeline.locator('.tl-lanes .tl-completed').count()).toBeGreaterThan(3);
    // The header, what can be recorded and the timeline, as the nurse first sees them.
    const top = await page.locator('.patient-header').boundingBox();
    const bottom = await timeline.boundingBox();
    if (!top || !bottom) throw new Error('the patient page has no header or timeline');
    await screenshot(page, 'patient-timeline', {
      docsImage: 'patient-timeline',
      clip: { x: 0, y: top.y - 16, width: 1280, height: bottom.y + bottom.height - top.y + 32 },
    });
  });

  test('finds a patient by name and by NHS number, records the 48-hour pain review and sees the plan change', async ({
    page,
  }) => {
    // Admitted 50 hours ago by the test setup, so the review is due whatever the hour.
    const patient = PAIN_REVIEW_PATIENT;
    await signIn(page, 'nurse');
    await page.getByRole('heading', { name: 'Worklist', level: 1 }).waitFor();
    await screenshot(page, 'nurse-1-worklist');

    // Find them on the caseload by name...
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Caseload' })
      .click();
    await page.waitForURL((url) => url.pathname === '/caseload');
    const finder = page.locator('form', { has: page.getByLabel('Name or NHS number') });
    const byName = `${patient.givenName} ${patient.familyName}`;
    await finder.getByLabel('Name or NHS number').fill(byName);
    await finder.getByRole('button', { name: 'Show' }).click();
    // POSTed: the address carries an opaque search id, never the name.
    await page.waitForURL((url) => url.searchParams.has('search'));
    const byNameSearch = new URL(page.url()).searchParams.get('search');
    expect(decodeURIComponent(page.url())).not.toContain(patient.familyName);
    const patientLink = page.locator(`table.nhsuk-table a[href="/episodes/${patient.episodeId}"]`);
    await patientLink.waitFor();
    for (const row of await page.locator('table.nhsuk-table tbody tr').allTextContents()) {
      expect(row.toLowerCase(), 'every row found by name').toContain(
        patient.familyName.toLowerCase(),
      );
      expect(row.toLowerCase(), 'every row found by name').toContain(
        patient.givenName.toLowerCase(),
      );
    }
    await screenshot(page, 'nurse-2-caseload-found-by-name');

    // ...and by NHS number, typed with spaces as it is printed.
    await finder.getByLabel('Name or NHS number').fill(spaced(patient.nhsNumber));
    await finder.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(
      (url) => (url.searchParams.get('search') ?? byNameSearch) !== byNameSearch,
    );
    expect(decodeURIComponent(page.url())).not.toContain(patient.nhsNumber);
    expect(decodeURIComponent(page.url())).not.toContain(spaced(patient.nhsNumber));
    await patientLink.waitFor();
    expect(
      await page.locator('table.nhsuk-table tbody tr').count(),
      'rows for one NHS number',
    ).toBe(1);
    expect(await page.locator('table.nhsuk-table tbody').textContent()).toContain(
      `NHS ${spaced(patient.nhsNumber)}`,
    );
    await screenshot(page, 'nurse-3-caseload-found-by-nhs-number');

    // Their page: the timeline, and the 48-hour review waiting for action.
    await patientLink.click();
    await page.waitForURL((url) => url.pathname === `/episodes/${patient.episodeId}`);
    await page
      .getByRole('heading', {
        level: 1,
        name: `${patient.givenName} ${patient.familyName}`,
      })
      .waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const needsAction = page.getByRole('region', { name: /^Needs action/ });
    const reviewStep = needsAction.locator('li.step', { hasText: PAIN_REVIEW });
    await reviewStep.waitFor();
    const statusBefore = (await reviewStep.locator('.status-tag').first().textContent())?.trim();
    expect(statusBefore).toBe('Due');
    await screenshot(page, 'nurse-4-patient-page', { fullPage: false });

    // The step's own page carries the pain assessment form that completes it.
    await reviewStep.getByRole('link', { name: 'Open step' }).click();
    await page.waitForURL((url) =>
      url.pathname.startsWith(`/episodes/${patient.episodeId}/steps/`),
    );
    await page.getByRole('heading', { level: 1, name: PAIN_REVIEW }).waitFor();
    await page.getByRole('heading', { name: 'Record: a pain assessment' }).waitFor();
    await page.getByLabel('Pain at rest (NRS 0-10)').fill('7');
    await page.getByLabel('Pain on activity (NRS 0-10)').fill('9');
    await page.getByLabel('Limitation of daily activities').selectOption('severe');
    await page.getByLabel(/^Mobility/).selectOption('with-help');
    await page
      .getByRole('group', { name: /^Analgesia has been started/ })
      .getByLabel('Yes')
      .check();
    await screenshot(page, 'nurse-4-pain-review-form');
    // Nothing is saved before the nurse has seen what it changes.
    await page.getByRole('button', { name: 'Check what this changes' }).click();
    const preview = page.getByRole('region', { name: 'What saving this entry will change' });
    await preview.waitFor();
    expect(await preview.textContent()).toContain(`"${PAIN_REVIEW}" becomes Completed`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    // Back on the patient's page, which says what the entry changed in the plan.
    await page.waitForURL(
      (url) =>
        url.pathname === `/episodes/${patient.episodeId}` && url.searchParams.has('recorded'),
    );
    const changes = page.locator('#changes');
    await changes.waitFor();
    expect(await changes.textContent()).toContain('Saved: Pain assessment');
    const reviewChange = changes.locator('li', { hasText: PAIN_REVIEW });
    expect(await reviewChange.textContent()).toContain(`${statusBefore} → Completed`);
    const done = page
      .getByRole('region', { name: /^Done/ })
      .locator('li.step', { hasText: PAIN_REVIEW });
    await done.waitFor();
    expect((await done.locator('.status-tag').first().textContent())?.trim()).toBe('Completed');
    expect(
      await needsAction.locator('li.step', { hasText: PAIN_REVIEW }).count(),
      'the review still waiting for action',
    ).toBe(0);
    await screenshot(page, 'nurse-5-plan-changed');
  });

  test('a pain score outside 0-10 is named beside its field, what was typed is kept, and nothing is saved', async ({
    page,
  }) => {
    const patient = await demoPatient({ nurse: 'nurse2' });
    await signIn(page, 'nurse2');
    const patientPage = `/episodes/${patient.episodeId}`;
    await page.goto(patientPage);
    const history = page.getByRole('region', { name: 'History' }).locator('tbody tr');
    const entriesBefore = await history.count();

    await page.goto(`${patientPage}/record/pain-assessment`);
    await page.getByLabel('Pain at rest (NRS 0-10)').fill('11');
    await page.getByLabel('Pain on activity (NRS 0-10)').fill('8');
    await page.getByLabel('Limitation of daily activities').selectOption('moderate');
    await page.getByRole('button', { name: 'Check what this changes' }).click();

    const atRest = page.getByLabel('Pain at rest (NRS 0-10)');
    await page.locator('#f-nrsAtRest-error').waitFor();
    expect(await atRest.getAttribute('aria-invalid')).toBe('true');
    expect(await atRest.getAttribute('aria-describedby')).toContain('f-nrsAtRest-error');
    expect(await atRest.inputValue()).toBe('11');
    expect(await page.getByLabel('Pain on activity (NRS 0-10)').inputValue()).toBe('8');
    expect(pathOf(page)).toBe(`${patientPage}/record/pain-assessment`);
    await screenshot(page, 'nurse-pain-out-of-range');

    await page.goto(patientPage);
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await history.count(), 'entries in the history').toBe(entriesBefore);
  });
});
