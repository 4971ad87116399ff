import { describe, expect, it } from 'vitest';
import {
  DATE_LABELS,
  daysOverdue,
  guidelinePhrase,
  phraseText,
  reminderPhrase,
  type StepWindowDates,
  stepWhen,
  stepWhenText,
  windowFromInstants,
} from './dates';

const LONDON = 'Europe/London';
/** A day window as the domain gives it: due 26 Sep, overdue from 25 Oct 2026. */
const day: StepWindowDates = {
  granularity: 'day',
  opens: '2026-09-12',
  due: '2026-09-26',
  overdueFrom: '2026-10-25',
  reminders: { due: '2026-09-28T08:00:00.000Z', overdue: '2026-10-26T09:00:00.000Z' },
};
const HOUR = 3_600_000;
/** Every hour of a local day in London, from its first instant (23 or 25 of them on clock changes). */
function hoursOf(start: string, count: number): Date[] {
  return Array.from(
    { length: count },
    (_, i) => new Date(Date.parse(start) + i * HOUR + 59 * 60_000),
  );
}

describe('the date language of a step', () => {
  it('labels the guideline dates and counts relative days from the date it shows', () => {
    const now = new Date('2026-12-05T10:00:00Z');
    const when = stepWhen('overdue', day, now, LONDON);
    expect(when.map(phraseText)).toEqual([
      'Overdue from Sun 25 Oct 2026 (41 days overdue)',
      'Due Sat 26 Sep 2026',
    ]);
    expect(daysOverdue(day, now, LONDON)).toBe(41);
    // The contradiction of issue 15 cannot be written: no working-day date is in the phrase.
    expect(stepWhenText('overdue', day, now, LONDON)).not.toMatch(/28 Sep|26 Oct/);
  });

  it('says what matters in each status', () => {
    const at = (iso: string) => stepWhenText(status, day, new Date(iso), LONDON);
    let status = 'upcoming';
    expect(at('2026-09-07T12:00:00Z')).toBe(
      'Opens Sat 12 Sep 2026 (in 5 days); Due Sat 26 Sep 2026',
    );
    status = 'open';
    expect(at('2026-09-24T12:00:00Z')).toBe(
      'Due Sat 26 Sep 2026 (in 2 days); Overdue from Sun 25 Oct 2026',
    );
    status = 'due';
    expect(at('2026-09-26T12:00:00Z')).toBe(
      'Due Sat 26 Sep 2026 (today); Overdue from Sun 25 Oct 2026 (in 29 days)',
    );
    expect(at('2026-10-12T12:00:00Z')).toBe(
      'Due Sat 26 Sep 2026 (16 days ago); Overdue from Sun 25 Oct 2026 (in 13 days)',
    );
    status = 'overdue';
    expect(at('2026-10-25T12:00:00Z')).toBe(
      'Overdue from Sun 25 Oct 2026 (today); Due Sat 26 Sep 2026',
    );
    expect(at('2026-10-26T12:00:00Z')).toBe(
      'Overdue from Sun 25 Oct 2026 (1 day overdue); Due Sat 26 Sep 2026',
    );
    expect(stepWhen('completed', day, new Date(), LONDON)).toEqual([]);
    expect(stepWhen('overdue', undefined, new Date(), LONDON)).toEqual([]);
  });

  it('gives the same words at every hour of a local day, on the days the clocks change', () => {
    // 25 Oct 2026 in London runs 23:00 UTC on the 24th to 00:00 UTC on the 26th: 25 hours.
    const autumn = hoursOf('2026-10-24T23:00:00Z', 25).map((now) =>
      stepWhenText('overdue', day, now, LONDON),
    );
    expect(new Set(autumn)).toEqual(
      new Set(['Overdue from Sun 25 Oct 2026 (today); Due Sat 26 Sep 2026']),
    );
    // 29 Mar 2026 runs 00:00 UTC to 23:00 UTC: 23 hours. Due the next day throughout.
    const spring: StepWindowDates = { ...day, opens: '2026-03-20', due: '2026-03-30' };
    const march = hoursOf('2026-03-29T00:00:00Z', 23).map(
      (now) => guidelinePhrase(spring, 'due', now, LONDON).relative,
    );
    expect(new Set(march)).toEqual(new Set(['tomorrow']));
    // The hour either side belongs to the neighbouring days.
    expect(guidelinePhrase(spring, 'due', new Date('2026-03-28T23:59:00Z'), LONDON).relative).toBe(
      'in 2 days',
    );
    expect(guidelinePhrase(spring, 'due', new Date('2026-03-29T23:00:00Z'), LONDON).relative).toBe(
      'today',
    );
  });

  it('counts from today in the user’s zone but never moves a calendar date', () => {
    // 03:00 UTC on 26 Sep is still 25 Sep in New York: due tomorrow there, today in London.
    const now = new Date('2026-09-26T03:00:00Z');
    expect(phraseText(guidelinePhrase(day, 'due', now, 'America/New_York'))).toBe(
      'Due Sat 26 Sep 2026 (tomorrow)',
    );
    expect(phraseText(guidelinePhrase(day, 'due', now, LONDON))).toBe(
      'Due Sat 26 Sep 2026 (today)',
    );
  });

  it('shows exact-time windows at the local time, in summer and winter', () => {
    const exact: StepWindowDates = {
      granularity: 'exact',
      opens: '2026-12-07T14:00:00.000Z',
      due: '2026-12-07T14:00:00.000Z',
      overdueFrom: '2026-12-08T14:00:00.000Z',
    };
    const now = new Date('2026-12-06T20:00:00Z');
    expect(stepWhenText('upcoming', exact, now, LONDON)).toBe(
      'Opens Mon 7 Dec 2026, 14:00 (tomorrow); Due Mon 7 Dec 2026, 14:00',
    );
    const summer: StepWindowDates = { ...exact, due: '2026-06-07T13:00:00.000Z' };
    expect(guidelinePhrase(summer, 'due', now, LONDON, { relative: false })).toEqual({
      label: 'Due',
      text: 'Sun 7 Jun 2026, 14:00',
      dateTime: '2026-06-07T13:00:00.000Z',
    });
    expect(guidelinePhrase(summer, 'due', now, 'Asia/Kolkata').text).toBe('Sun 7 Jun 2026, 18:30');
  });

  it('labels reminders apart from guideline dates, always with their time', () => {
    expect(phraseText(reminderPhrase('due', '2026-09-28T08:00:00.000Z', LONDON))).toBe(
      'Reminder Mon 28 Sep 2026, 09:00',
    );
    expect(
      phraseText(reminderPhrase('overdue', '2026-10-26T09:00:00.000Z', LONDON, { sent: true })),
    ).toBe('Escalation sent Mon 26 Oct 2026, 09:00');
    // No label of one kind begins like a label of the other.
    const guideline = [DATE_LABELS.opens, DATE_LABELS.due, DATE_LABELS.overdue];
    for (const reminder of [DATE_LABELS.dueReminder, DATE_LABELS.overdueReminder]) {
      for (const label of guideline) expect(reminder.startsWith(label)).toBe(false);
    }
  });

  it('reads a list row’s instants as the service’s guideline dates', () => {
    // Day transitions are the starts of London days: 23:00 UTC the evening before in summer
    // (25 Oct 2026 still starts in BST: the clocks go back at 01:00 UTC that morning).
    const row = {
      granularity: 'day' as const,
      opensAt: new Date('2026-09-11T23:00:00Z'),
      dueAt: new Date('2026-09-25T23:00:00Z'),
      overdueAt: new Date('2026-10-24T23:00:00Z'),
    };
    expect(windowFromInstants(row, LONDON)).toEqual({
      granularity: 'day',
      opens: '2026-09-12',
      due: '2026-09-26',
      overdueFrom: '2026-10-25',
    });
    expect(windowFromInstants({ ...row, granularity: 'exact' }, LONDON).opens).toBe(
      '2026-09-11T23:00:00.000Z',
    );
    // Without the granularity, midnights in the service's zone are a day window's.
    const { granularity: _, ...unknown } = row;
    expect(windowFromInstants(unknown, LONDON)).toEqual(windowFromInstants(row, LONDON));
    const ward = { dueAt: '2026-12-07T14:00:00.000Z', overdueAt: '2026-12-08T14:00:00.000Z' };
    expect(windowFromInstants(ward, LONDON)).toEqual({
      granularity: 'exact',
      due: '2026-12-07T14:00:00.000Z',
      overdueFrom: '2026-12-08T14:00:00.000Z',
    });
    // A row without its opening: an upcoming step says when it is due.
    const upcoming = windowFromInstants(ward, LONDON);
    expect(stepWhenText('upcoming', upcoming, new Date('2026-12-06T12:00:00Z'), LONDON)).toBe(
      'Due Mon 7 Dec 2026, 14:00 (tomorrow); Overdue from Tue 8 Dec 2026, 14:00',
    );
  });
});
