// Hazard "advice from stale data" (issue 12, hazard 3): a nurse must never read an old pain
// score as today's. The journey patient's only pain score is 219 days old (seeded relative to the
// run, so at any hour): the caseload's pain badge says when it was scored and that it is stale,
// and the patient page asks for pain to be reassessed instead of advising analgesia from it.
import { serviceCalendar } from '@vfx/domain';
import { describe, expect, inject } from 'vitest';
import { formatCalendarDate } from '../src/ui/dates';
import { test } from './support/fixtures';
import { STALE_PAIN_PATIENT } from './support/journey-patients';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

const calendar = serviceCalendar();
/** The day the score was recorded, as the seed placed it, and its age on the page's day. */
function scored() {
  const seededDay = calendar.localDate(Date.parse(inject('seededAt')));
  const on = calendar.addToDate(seededDay, {
    days: STALE_PAIN_PATIENT.painDayAfterFracture - STALE_PAIN_PATIENT.daysSinceFracture,
  });
  // The server counts to its own today, which is the seed's unless the run crossed midnight.
  const ageDays = calendar.daysBetween(on, calendar.localDate(Date.now()));
  return { on, ageDays, date: formatCalendarDate(on) };
}

describe('advice from stale data', () => {
  test('a nurse sees the date of an old pain score and the stale flag, on the caseload and the patient page', async ({
    page,
  }) => {
    const patient = STALE_PAIN_PATIENT;
    const { ageDays, date } = scored();
    expect(ageDays).toBeGreaterThanOrEqual(219);
    await signIn(page, 'nurse');

    // The caseload: the badge carries the score's date and age, and "Stale — reassess" in words.
    // The search is POSTed: the name never appears in the address.
    await page.goto('/caseload');
    const find = page.getByRole('form', { name: 'Find patients' });
    await find.getByLabel('Name or NHS number').fill(patient.familyName);
    await find.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.has('search'));
    expect(page.url()).not.toContain(encodeURIComponent(patient.familyName));
    expect(page.url()).not.toContain(patient.familyName);
    const row = page.locator('table.nhsuk-table tbody tr', {
      has: page.locator(`a[href="/episodes/${patient.episodeId}"]`),
    });
    const badge = row.locator('.pain-score');
    await badge.waitFor();
    expect(await badge.textContent()).toContain('NRS 6 moderate');
    expect(await badge.locator('.pain-when').textContent()).toBe(
      `Scored ${date} (${ageDays} days ago)`,
    );
    const flag = badge.locator('.stale-flag');
    expect(await flag.isVisible()).toBe(true);
    expect(await flag.textContent()).toContain('Stale — reassess');
    // Screen readers hear the limit too, not only a colour.
    expect(await flag.textContent()).toContain('older than the 7-day limit for a pain score');
    await screenshot(page, 'stale-1-caseload-pain-badge');

    // The patient page: a request to reassess pain, dated, in place of the analgesia advice.
    await page.goto(`/episodes/${patient.episodeId}`);
    const recommendations = page.locator('section', {
      has: page.getByRole('heading', { name: 'Current recommendations' }),
    });
    const reassess = recommendations.locator('li.card', {
      hasText: `Reassess pain: the latest pain assessment is ${ageDays} days old`,
    });
    await reassess.waitFor();
    const text = await reassess.textContent();
    expect(text).toContain(`From the pain assessment of ${date} (${ageDays} days ago)`);
    expect(text).toContain('Stale — reassess');
    expect(text).toContain('Limit 7 days (service standard)');
    expect(text).toContain('Held back until assessed again: Analgesia for moderate pain (NRS 4-6)');
    // The old advice itself is not shown.
    expect(
      await recommendations
        .locator('p.rec-title', { hasText: 'Analgesia for moderate pain' })
        .count(),
    ).toBe(0);
    // Advice read from no recorded entry carries no date line.
    const calcium = recommendations.locator('li.card', { hasText: 'Calcium and vitamin D' });
    expect(await calcium.locator('.recorded-bases').count()).toBe(0);
    await reassess.scrollIntoViewIfNeeded();
    await screenshot(page, 'stale-2-patient-reassess-pain');
  });
});
