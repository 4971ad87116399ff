// A nurse records how a patient hears from us (a landline is refused with a clear message, the
// mobile saves) and opts another patient out; a scheduler sees today's patient messages by kind
// and channel, retries a failed one, and sees the opt-outs. Pages checked at 1440 and 820 px.
import { PUBLISHED_PATHWAYS } from '@vfx/domain';
import { afterAll, describe, expect } from 'vitest';
import { test } from './support/fixtures';
import { refusedSubmission, waitForScript } from './support/forms';
import { axeViolations, checkPage, sidewaysOverflow } from './support/page-checks';
import {
  arrangeMessages,
  closePatientMessagesData,
  type MessagePatient,
  messageState,
  patientsForMessages,
} from './support/patient-messages';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

afterAll(closePatientMessagesData);

/** The reminder kinds' titles, as the pathway definition gives them. */
function titleOf(kind: string): string {
  const current = PUBLISHED_PATHWAYS.find(PUBLISHED_PATHWAYS.current);
  const found = current?.patientReminders?.find((reminder) => reminder.kind === kind);
  if (!found) throw new Error(`The current pathway has no patient reminder "${kind}"`);
  return found.title;
}

let texted: MessagePatient;
let optedOut: MessagePatient;
let failing: MessagePatient;

describe('patient messages', () => {
  test('a nurse sets how a patient hears from us, and opts another out', async ({ openPage }) => {
    [texted, optedOut, failing] = (await patientsForMessages(3)) as [
      MessagePatient,
      MessagePatient,
      MessagePatient,
    ];
    const page = await openPage({ width: 1440 });
    await signIn(page, 'nurse');
    await page.goto(`/episodes/${texted.episodeId}`);
    const section = page.locator('section#contact');
    await section.getByRole('heading', { name: 'How the patient hears from us' }).waitFor();
    expect(await section.textContent()).toContain('No contact preferences recorded');
    await section.getByRole('link', { name: 'Change how the patient hears from us' }).click();
    await page.getByRole('heading', { level: 1, name: 'How the patient hears from us' }).waitFor();
    // The page's checks reload it after a client-side navigation: before typing.
    await checkPage(page, 'contact preferences (1440)');
    await page.setViewportSize({ width: 820, height: 900 });
    await checkPage(page, 'contact preferences (820)');
    await page.setViewportSize({ width: 1440, height: 900 });
    await waitForScript(page);

    // The detail for a channel shows when it is chosen (conditional reveal).
    const mobile = page.getByLabel('UK mobile number');
    expect(await mobile.isVisible()).toBe(false);
    await page.getByLabel('Text message').check();
    await mobile.waitFor();
    await mobile.fill('0113 496 0000');
    await page.getByLabel('The patient agrees to be sent reminders this way').check();
    await page.getByRole('button', { name: 'Save contact preferences' }).click();
    const problems = await refusedSubmission(page);
    expect(problems).toEqual([
      '0113 496 0000 is a landline: text reminders need a mobile number (07...)',
    ]);
    // What was typed and chosen is kept.
    expect(await mobile.inputValue()).toBe('0113 496 0000');
    expect(await page.getByLabel('Text message').isChecked()).toBe(true);
    expect(
      await page.getByLabel('The patient agrees to be sent reminders this way').isChecked(),
    ).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'patient-messages-1-landline-refused-1440');
    await page.setViewportSize({ width: 820, height: 900 });
    expect(await axeViolations(page)).toEqual([]);
    expect(await sidewaysOverflow(page)).toEqual([]);
    await screenshot(page, 'patient-messages-1-landline-refused-820');
    await page.setViewportSize({ width: 1440, height: 900 });

    await mobile.fill('07700 900123');
    await page.getByRole('button', { name: 'Save contact preferences' }).click();
    await page.waitForURL((url) => url.pathname === `/episodes/${texted.episodeId}`);
    await section.getByText('Contact preferences saved.').waitFor();
    const saved = (await section.textContent()) ?? '';
    expect(saved).toContain('Sent by text message');
    expect(saved).toContain('07700 900123');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'patient-messages-2-saved-1440');

    // Another patient asks not to be sent reminders.
    await page.goto(`/episodes/${optedOut.episodeId}/contact`);
    await waitForScript(page);
    await page.getByLabel('Why does the patient not want reminders?').fill('Prefers a phone call');
    await page.getByRole('button', { name: 'Opt out of reminders' }).click();
    await page.waitForURL((url) => url.pathname === `/episodes/${optedOut.episodeId}`);
    await section.getByText('The patient is opted out of reminders').waitFor();
    expect(await section.textContent()).toContain('Prefers a phone call');
  });

  test('a scheduler sees today’s patient messages by kind and channel, retries a failed one, and sees the opt-outs', async ({
    openPage,
  }) => {
    const now = new Date();
    const [smsId, , , failedId] = await arrangeMessages([
      {
        patient: texted,
        kind: 'denosumab-dose-before',
        channel: 'sms',
        sendAt: now,
        state: 'scheduled',
      },
      {
        patient: failing,
        kind: 'denosumab-dose-before',
        channel: 'sms',
        sendAt: now,
        state: 'delivered',
      },
      {
        patient: failing,
        kind: 'exercise-programme-start',
        channel: 'email',
        sendAt: now,
        state: 'scheduled',
      },
      {
        patient: failing,
        kind: 'fls-follow-up-16-weeks',
        channel: 'sms',
        sendAt: new Date(now.getTime() - 3_600_000),
        state: 'permanent-failure',
        lastError: 'Notify: the number is not in service',
      },
    ]);
    expect(smsId).toBeDefined();
    const page = await openPage({ width: 1440 });
    await signIn(page, 'scheduler');
    await page.getByRole('link', { name: 'Patient messages' }).first().click();
    await page.waitForURL((url) => url.pathname === '/patient-messages');
    await page.getByRole('heading', { level: 1, name: 'Patient messages' }).waitFor();

    // Due today, by kind and channel.
    const today = page.locator('section#today');
    const counts = today.locator('table').first();
    const denosumabSms = counts
      .locator('tbody tr')
      .filter({ hasText: titleOf('denosumab-dose-before') })
      .filter({ hasText: 'text message' });
    expect(await denosumabSms.count()).toBe(1);
    // One to go, one delivered, whatever else the demo has today.
    const cells = await denosumabSms.locator('td').allTextContents();
    expect(Number(cells.at(-4)?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(2);
    expect(
      await counts
        .locator('tbody tr')
        .filter({ hasText: titleOf('exercise-programme-start') })
        .filter({ hasText: 'e-mail' })
        .count(),
    ).toBe(1);
    const list = today.locator('table').nth(1);
    const row = list.locator('tbody tr').filter({ hasText: texted.name });
    expect(await row.count()).toBeGreaterThanOrEqual(1);
    expect(await row.first().textContent()).toContain('Scheduled');

    // The opt-out recorded by the nurse.
    const optOuts = page.locator('section#opt-outs');
    const optOutRow = optOuts.locator('tbody tr').filter({ hasText: optedOut.name });
    expect(await optOutRow.textContent()).toContain('Prefers a phone call');

    await checkPage(page, 'patient messages (1440)');
    await screenshot(page, 'patient-messages-3-scheduler-1440');
    await page.setViewportSize({ width: 820, height: 900 });
    await checkPage(page, 'patient messages (820)');
    await screenshot(page, 'patient-messages-3-scheduler-820');
    await page.setViewportSize({ width: 1440, height: 900 });

    // A failed message, with why, retried.
    const failedRow = page
      .locator('section#failed tbody tr')
      .filter({ hasText: 'Notify: the number is not in service' });
    expect(await failedRow.textContent()).toContain(failing.name);
    await failedRow.getByRole('button', { name: /^Retry the message/ }).click();
    await failedRow.getByRole('status').filter({ hasText: 'Scheduled again' }).waitFor();
    expect(await messageState(failedId as string)).toBe('scheduled');
  });
});
