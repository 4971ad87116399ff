// A nurse records a DXA appointment on a demo patient's DXA step (pathway version 3): a date more
// than a year ahead is refused with what to check, the booking saves, and the step and the patient
// page show it; a scheduler's Patient messages page names the appointment reminder. Pages checked
// at 1440 and 820 px.
import { DEMO_USERS } from '@vfx/database/seed';
import { longDate, PUBLISHED_PATHWAYS } from '@vfx/domain';
import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, demoDatabase } from './support/demo-data';
import { BROWSER_TIME_ZONE, test } from './support/fixtures';
import { dayFromToday, fillDate, refusedSubmission, waitForScript } from './support/forms';
import { checkPage } from './support/page-checks';
import { arrangeMessages, closePatientMessagesData } from './support/patient-messages';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

afterAll(async () => {
  await closeDemoData();
  await closePatientMessagesData();
});

/** The demo nurse's first open version-3 episode whose DXA step still needs doing, none booked. */
async function patientAwaitingDxa() {
  const email = DEMO_USERS.find((user) => user.key === 'nurse')?.email;
  const episode = await demoDatabase().episode.findFirst({
    where: {
      closedAt: null,
      pathwayVersion: 'ros-2022.3',
      // Not the demo's own booking (a patient with contact preferences: seed/demo.ts).
      patient: { nurse: { email }, identifierKind: 'nhs-number', contactPreferences: { is: null } },
      steps: { some: { stepId: 'dxa-scan', status: { in: ['open', 'due', 'overdue'] } } },
    },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      patientId: true,
      patient: { select: { givenName: true, familyName: true } },
    },
  });
  if (!episode) {
    throw new Error(
      'The demo caseload has no open ros-2022.3 episode with the DXA step to do (packages/database/src/seed/demo.ts).',
    );
  }
  return {
    episodeId: episode.id,
    patientId: episode.patientId,
    name: `${episode.patient.givenName} ${episode.patient.familyName}`,
  };
}

const iso = (d: { day: number; month: number; year: number }) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

describe('DXA appointment', () => {
  test('a nurse records a DXA appointment and sees it on the step and the patient page', async ({
    openPage,
  }) => {
    const patient = await patientAwaitingDxa();
    const page = await openPage({ width: 1440 });
    await signIn(page, 'nurse');
    const stepUrl = `/episodes/${patient.episodeId}/steps/dxa-scan`;
    await page.goto(stepUrl);
    await page.getByRole('heading', { level: 1, name: /^DXA scan/ }).waitFor();
    await page.getByRole('link', { name: 'Record a DXA appointment' }).click();
    await page.getByRole('heading', { level: 1, name: 'DXA appointment' }).waitFor();
    await waitForScript(page);
    // Reached from the step, "Booked" is chosen already.
    expect(await page.getByLabel('The appointment is').inputValue()).toBe('booked');

    // A year and more ahead is refused, with what to check.
    await fillDate(page, 'Appointment date', dayFromToday(400, BROWSER_TIME_ZONE));
    await page.getByLabel('Appointment time (optional)').fill('10:30');
    await page.getByLabel('Where (optional)').fill('Radiology, St Elsewhere Hospital');
    await page.getByRole('button', { name: 'Check what this changes' }).click();
    const problems = await refusedSubmission(page);
    expect(problems.join('\n')).toContain('is more than a year ahead: check the date');

    const day = dayFromToday(30, BROWSER_TIME_ZONE);
    await fillDate(page, 'Appointment date', day);
    await page.getByRole('button', { name: 'Check what this changes' }).click();
    const preview = page.getByRole('region', { name: 'What saving this entry will change' });
    await preview.waitFor();
    const booked = `DXA appointment booked: ${longDate(iso(day))}, 10:30, Radiology, St Elsewhere Hospital`;
    expect(await preview.textContent()).toContain(booked);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(
      (url) =>
        url.pathname === `/episodes/${patient.episodeId}` && url.searchParams.has('recorded'),
    );
    const onPatientPage = page.locator('#step-dxa-scan [data-testid="step-appointment"]');
    expect(await onPatientPage.textContent()).toBe(booked);
    await onPatientPage.scrollIntoViewIfNeeded();
    await screenshot(page, 'dxa-appointment-1-patient-page-1440', { fullPage: false });
    await page.setViewportSize({ width: 820, height: 900 });
    await onPatientPage.scrollIntoViewIfNeeded();
    await screenshot(page, 'dxa-appointment-1-patient-page-820', { fullPage: false });
    await page.setViewportSize({ width: 1440, height: 900 });

    // The step shows it, stays to be done (the result completes it) and offers the cancellation.
    await page.goto(stepUrl);
    await page.getByRole('heading', { level: 1, name: /^DXA scan/ }).waitFor();
    expect(await page.getByTestId('step-appointment').textContent()).toBe(booked);
    await page.getByRole('heading', { name: 'Record: a DXA result' }).waitFor();
    await page
      .getByRole('link', { name: 'Record that the DXA appointment was cancelled' })
      .waitFor();
    await checkPage(page, 'DXA step with an appointment (1440)');
    await screenshot(page, 'dxa-appointment-2-step-1440');
    await page.setViewportSize({ width: 820, height: 900 });
    await checkPage(page, 'DXA step with an appointment (820)');
    await screenshot(page, 'dxa-appointment-2-step-820');
  });

  test('a scheduler sees the DXA appointment reminder by its name', async ({ openPage }) => {
    const patient = await patientAwaitingDxa();
    await arrangeMessages([
      { patient, kind: 'dxa-appointment', channel: 'sms', sendAt: new Date(), state: 'scheduled' },
    ]);
    const title = PUBLISHED_PATHWAYS.find('ros-2022.3')?.patientReminders?.find(
      (reminder) => reminder.kind === 'dxa-appointment',
    )?.title;
    expect(title).toBe('Your DXA scan appointment (a week before it)');
    const page = await openPage({ width: 1440 });
    await signIn(page, 'scheduler');
    await page.goto('/patient-messages');
    await page.getByRole('heading', { level: 1, name: 'Patient messages' }).waitFor();
    const counts = page.locator('section#today table').first();
    expect(
      await counts
        .locator('tbody tr')
        .filter({ hasText: title as string })
        .count(),
    ).toBe(1);
  });
});
