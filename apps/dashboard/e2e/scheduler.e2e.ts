import { afterAll, describe, expect } from 'vitest';
import { closeDemoData, nextDemoReminder } from './support/demo-data';
import { BROWSER_TIME_ZONE, test } from './support/fixtures';
import { PAIN_REVIEW_PATIENT } from './support/journey-patients';
import { screenshot } from './support/screenshots';
import { pathOf, signIn } from './support/users';

afterAll(closeDemoData);

/** The calendar day (YYYY-MM-DD) and the time (HH:mm) of an instant in a zone. */
function localDayAndTime(instant: Date, timeZone: string): { day: string; time: string } {
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, ...options }).format(instant);
  return {
    day: part({ year: 'numeric', month: '2-digit', day: '2-digit' }),
    time: part({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  };
}

/**
 * Opens the reminders of the day the next reminder goes out, by its link in the day list, and
 * returns that reminder's row.
 */
async function openDayOfNextReminder(page: import('playwright-core').Page, timeZone: string) {
  const reminder = await nextDemoReminder();
  const { day, time } = localDayAndTime(reminder.fireAt, timeZone);
  await page
    .getByRole('navigation', { name: 'Days' })
    .locator(`a[href="/reminders?day=${day}"]`)
    .click();
  await page.waitForURL((url) => url.searchParams.get('day') === day);
  const row = page
    .locator('tbody tr')
    .filter({ has: page.locator(`a[href="/episodes/${reminder.episodeId}"]`) })
    .filter({ hasText: time });
  await row.first().waitFor();
  return { reminder, row: row.first(), time };
}

describe("the scheduler's journey", () => {
  test('sees the reminders about to go out, at their local times', async ({ page }) => {
    await signIn(page, 'scheduler');
    expect(pathOf(page)).toBe('/reminders');
    await page.getByRole('heading', { level: 1, name: 'Reminders' }).waitFor();
    expect(await page.locator('.page-heading').textContent()).toContain(
      `Times are in ${BROWSER_TIME_ZONE}.`,
    );
    await screenshot(page, 'scheduler-1-reminders');

    const { reminder, row } = await openDayOfNextReminder(page, BROWSER_TIME_ZONE);
    expect(await row.textContent()).toContain(reminder.patientName);
    await screenshot(page, 'scheduler-2-next-reminder-day');
  });

  test('a browser in another zone sees the same reminder at its own local time', async ({
    openPage,
  }) => {
    // New Zealand is 11 to 13 hours ahead of London: a reminder's day and hour both move. The
    // app learns the zone from the browser itself here (no cookie set up front).
    const zone = 'Pacific/Auckland';
    const page = await openPage({ timeZone: zone, presetTimeZoneCookie: false });
    await signIn(page, 'scheduler');
    await page.waitForFunction(
      (expected) => document.querySelector('.page-heading')?.textContent?.includes(expected),
      `Times are in ${zone}.`,
    );
    const { reminder, row } = await openDayOfNextReminder(page, zone);
    expect(await row.textContent()).toContain(reminder.patientName);
  });

  test('a step with an exact clinical time says its reminder cannot be moved (not an error)', async ({
    page,
  }) => {
    // The 48-hour review is measured in hours from admission: no day to move its reminder to.
    await signIn(page, 'scheduler');
    const response = await page.goto(
      `/reminders/reschedule?episode=${PAIN_REVIEW_PATIENT.episodeId}&step=pain-review-48h`,
    );
    expect(response?.status()).toBe(200);
    await page.getByRole('alert').filter({ hasText: 'exact clinical time' }).waitFor();
    expect(await page.locator('dl').textContent()).toMatch(/Window opens.*\d{2}:\d{2}/s);
  });
});
