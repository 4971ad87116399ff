import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect } from 'vitest';
import { parseCsv } from './support/csv';
import { closeDemoData, overdueStepOf } from './support/demo-data';
import { BROWSER_TIME_ZONE, test } from './support/fixtures';
import { boxesOf, fillDate } from './support/forms';
import { OVERDUE_PATIENT } from './support/journey-patients';
import { screenshot } from './support/screenshots';
import { demoUser, signIn } from './support/users';

afterAll(closeDemoData);

/** Enrolled through the form by the test below; nobody else uses this NHS number. */
const LATE_PATIENT = { givenName: 'Rosamund', familyName: 'Thackeray', nhsNumber: '999 876 5455' };

/** The calendar day (YYYY-MM-DD) of an instant in a zone. */
const localDay = (instant: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);

describe("the administrator's journey", () => {
  test('finds an overdue step on the cross-caseload list, downloads it as CSV and opens the patient', async ({
    page,
  }) => {
    // A step overdue on the second nurse's caseload: the administrator sees every caseload.
    const overdue = await overdueStepOf(OVERDUE_PATIENT.episodeId);
    await signIn(page, 'admin');
    await page
      .getByRole('heading', { level: 1, name: 'Overdue steps across all caseloads' })
      .waitFor();
    await screenshot(page, 'admin-1-overdue');

    const filters = page.locator('form', { has: page.getByLabel('Nurse') });
    await filters.getByLabel('Step').selectOption(overdue.stepId);
    await filters.getByLabel('Nurse').selectOption({ label: overdue.nurseName });
    await filters.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('step') === overdue.stepId);
    const row = page
      .locator('table.nhsuk-table tbody tr')
      .filter({ has: page.locator(`a[href="/episodes/${overdue.episodeId}"]`) });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain(`${overdue.givenName} ${overdue.familyName}`);
    expect(rowText).toContain(overdue.title);
    expect(rowText).toContain(overdue.nurseName);
    expect(rowText).toMatch(/overdue/i);
    await screenshot(page, 'admin-2-overdue-filtered');

    // The CSV holds exactly the filtered list: as many rows as the link says, this step only.
    const downloadLink = page.getByRole('link', { name: /^Download CSV/ });
    const linkText = (await downloadLink.textContent()) ?? '';
    const rowCount = Number(/\(([\d,]+) rows?\)/.exec(linkText)?.[1]?.replace(/,/g, ''));
    expect(rowCount, `the count in "${linkText}"`).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^overdue-steps-\d{4}-\d{2}-\d{2}\.csv$/);
    const downloaded = await download.path();
    const [header, ...lines] = parseCsv(await readFile(downloaded, 'utf8'));
    expect(header).toEqual(
      expect.arrayContaining(['Family name', 'Given name', 'Step id', 'Nurse', 'Episode']),
    );
    const column = (name: string) => (header ?? []).indexOf(name);
    expect(lines.length, 'CSV rows').toBe(rowCount);
    for (const line of lines) {
      expect(line[column('Step id')]).toBe(overdue.stepId);
      expect(line[column('Nurse')]).toBe(overdue.nurseName);
    }
    const patientLine = lines.find(
      (line) => line[column('Episode')] === `/episodes/${overdue.episodeId}`,
    );
    expect(patientLine, 'the patient in the CSV').toBeDefined();
    expect(patientLine?.[column('Family name')]).toBe(overdue.familyName);
    expect(patientLine?.[column('Identifier')]).toBe(overdue.nhsNumber);

    // From the list to the patient, where the same step waits for action.
    await row.getByRole('link', { name: `${overdue.givenName} ${overdue.familyName}` }).click();
    await page.waitForURL((url) => url.pathname === `/episodes/${overdue.episodeId}`);
    const step = page
      .getByRole('region', { name: /^Needs action/ })
      .locator('li.step', { hasText: overdue.title });
    await step.first().waitFor();
    expect(await step.first().locator('.status-tag').first().textContent()).toMatch(/^Overdue/);
    await screenshot(page, 'admin-3-patient-with-overdue-step');
  });

  test('a patient enrolled late appears on the list with their overdue step', async ({
    openPage,
  }) => {
    const nurse = await openPage();
    const admin = await openPage();
    await signIn(nurse, 'nurse');
    await signIn(admin, 'admin');

    // Identified 100 days ago but only enrolled now: steps whose windows have passed are
    // overdue from the moment the plan is first computed.
    const fractureDay = localDay(Date.now() - 100 * 86_400_000, BROWSER_TIME_ZONE);
    await nurse.goto('/patients/new');
    const form = nurse.locator('form', {
      has: nurse.getByRole('group', { name: 'Date of fracture' }),
    });
    await form.getByLabel('NHS number or MRN').fill(LATE_PATIENT.nhsNumber);
    await form.getByLabel('Given name').fill(LATE_PATIENT.givenName);
    await form.getByLabel('Family name').fill(LATE_PATIENT.familyName);
    await fillDate(form, 'Date of birth', { day: 2, month: 7, year: 1948 });
    await form.getByLabel('Sex').selectOption('female');
    await form
      .getByRole('group', { name: 'Fractured levels' })
      .getByLabel('L1', { exact: true })
      .check();
    await fillDate(form, 'Date of fracture', boxesOf(fractureDay));
    await fillDate(form, 'Identified on', boxesOf(fractureDay));
    await form.getByLabel('How it was identified').selectOption('symptomatic-presentation');
    await form.getByLabel('Column involvement').selectOption('anterior-only');
    await form.getByLabel('MRI oedema').selectOption('not-imaged');
    await form.getByRole('group', { name: 'Neurological deficit' }).getByLabel('No').check();
    await form.getByRole('group', { name: 'Suspected malignancy' }).getByLabel('No').check();
    await screenshot(nurse, 'admin-4-late-enrolment-form');
    await form.getByRole('button', { name: 'Enrol' }).click();
    await nurse.waitForURL((url) => /^\/episodes\/[^/]+$/.test(url.pathname));
    const episodePath = new URL(nurse.url()).pathname;

    // The step the new plan already has overdue, as the nurse sees it.
    const overdueStep = nurse
      .getByRole('region', { name: /^Needs action/ })
      .locator('li.step', { has: nurse.locator('.status-tag', { hasText: /^Overdue/ }) })
      .first();
    await overdueStep.waitFor();
    const stepTitle =
      (await overdueStep.locator('.step-head strong:not(.status-tag)').textContent())?.trim() ?? '';
    expect(stepTitle, 'an overdue step on the new plan').not.toBe('');

    // The administrator's list, filtered to that step and nurse, now has the patient.
    await admin.goto('/admin/overdue');
    const filters = admin.locator('form', { has: admin.getByLabel('Nurse') });
    await filters.getByLabel('Step').selectOption({ label: stepTitle });
    await filters.getByLabel('Nurse').selectOption({ label: demoUser('nurse').name });
    await filters.getByRole('button', { name: 'Show' }).click();
    await admin.waitForURL((url) => url.searchParams.has('step'));
    const row = admin
      .locator('table.nhsuk-table tbody tr')
      .filter({ has: admin.locator(`a[href="${episodePath}"]`) });
    await row.waitFor();
    expect(await row.textContent()).toContain(
      `${LATE_PATIENT.givenName} ${LATE_PATIENT.familyName}`,
    );
    await screenshot(admin, 'admin-5-late-enrolment-on-overdue-list');
  });
});
