import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEpisodeRecord } from '../inputs/validate.js';
import { CURRENT_PATHWAY_VERSION, findPathway } from '../pathway/registry.js';
import { recordWithAsOfArb } from '../testing/arbitraries.js';
import { scenario } from '../testing/scenario.js';
import { toIso } from '../time/calendar.js';
import { serviceCalendar } from '../time/settings.js';
import { computePlan, isActive, stepAtTimer } from './compute-plan.js';
import { timersStillToFire } from './diff.js';
import type { PlanStep, PlanWindow } from './types.js';
import { resolveWindow, statusAt } from './window.js';

// Hazard: "status, reason and reminder disagree on a non-working day". One rule (resolveWindow in
// window.ts): status comes from the guidance's dates, reminders go out on working mornings, and
// the reason names the reminder's day whenever it is not the due day.

const calendar = serviceCalendar();
const ms = (iso: string) => Date.parse(iso);
const step = (steps: readonly PlanStep[], key: string) => {
  const found = steps.find((s) => s.key === key);
  if (!found) throw new Error(`no step ${key}`);
  return found;
};

describe('a step due on a bank holiday', () => {
  it('Easter Monday: a pain clinic referral due at once is due that day, and its reminder goes out on Tuesday at 09:00, as its reason says', () => {
    // Day 91 after the fracture is Easter Monday 2026-04-06 (England and Wales bank holiday).
    const recorded = scenario({ fractureDate: '2026-01-05' }).pain(
      '2026-04-06T09:00:00Z', // 10:00 BST
      5,
      6,
      'moderate',
    );
    const plan = recorded.plan('2026-04-06T09:30:00Z');
    const referral = step(plan.steps, 'pain-clinic-referral');
    expect(referral.status).toBe('due');
    expect(referral.reason).toBe(
      'Due Mon 6 Apr 2026; overdue from Tue 21 Apr 2026. Mon 6 Apr 2026 is Easter Monday, a bank holiday: the reminder goes out on Tue 7 Apr 2026 at 09:00.',
    );
    expect(referral.window).toMatchObject({
      opens: '2026-04-06',
      due: '2026-04-06',
      overdueFrom: '2026-04-21',
      transitions: {
        open: '2026-04-05T23:00:00.000Z',
        due: '2026-04-05T23:00:00.000Z',
        overdue: '2026-04-20T23:00:00.000Z',
      },
      reminders: { due: '2026-04-07T08:00:00.000Z', overdue: '2026-04-21T08:00:00.000Z' },
      adjustments: [
        'Reminder on Tue 7 Apr 2026: due Mon 6 Apr 2026 (Easter Monday, a bank holiday)',
      ],
    });
    const timers = plan.timers.filter((t) => t.stepKey === 'pain-clinic-referral');
    expect(timers.map((t) => [t.transition, t.fireAt])).toEqual([
      ['due-day', '2026-04-05T23:00:00.000Z'],
      ['due', '2026-04-07T08:00:00.000Z'],
      ['overdue-day', '2026-04-20T23:00:00.000Z'],
      ['overdue', '2026-04-21T08:00:00.000Z'],
    ]);
    // The due reminder is never after the step becomes overdue, the overdue one never before.
    const [dueDay, dueReminder, overdueDay, overdueReminder] = timers;
    expect(ms(dueReminder?.fireAt ?? '')).toBeLessThan(ms(overdueDay?.fireAt ?? ''));
    expect(ms(overdueReminder?.fireAt ?? '')).toBeGreaterThanOrEqual(ms(overdueDay?.fireAt ?? ''));
    // Planned on the holiday: the status change is in effect already; only the reminder waits.
    const toFire = timersStillToFire(plan, ms('2026-04-06T09:30:00Z'));
    expect(toFire.has(dueDay?.id ?? '')).toBe(false);
    expect(toFire.has(dueReminder?.id ?? '')).toBe(true);
    // When the reminder fires on Tuesday the worker gives the step what the plan gives then.
    const window = referral.window as PlanWindow;
    const atReminder = recorded.plan('2026-04-07T08:00:00Z');
    const then = step(atReminder.steps, 'pain-clinic-referral');
    expect(stepAtTimer(window, dueReminder as NonNullable<typeof dueReminder>)).toEqual({
      status: then.status,
      reason: then.reason,
      urgent: then.urgent,
    });
    expect(then.status).toBe('due');
  });

  it('Easter Monday: the same referral recorded before the clinic hour is due at once, not upcoming until 09:00', () => {
    const plan = scenario({ fractureDate: '2026-01-05' })
      .pain('2026-04-06T06:00:00Z', 5, 6, 'moderate') // 07:00 BST
      .plan('2026-04-06T06:30:00Z');
    expect(step(plan.steps, 'pain-clinic-referral').status).toBe('due');
  });

  it('the 12-week review when week 12 ends on Easter Monday: due on the holiday, reminded on Tuesday, overdue after 14 weeks', () => {
    // 2026-01-12 + 12 weeks = Easter Monday 2026-04-06.
    const s = scenario({ fractureDate: '2026-01-12' });
    const onHoliday = step(s.plan('2026-04-06T09:00:00Z').steps, 'twelve-week-review');
    expect(onHoliday.status).toBe('due');
    expect(onHoliday.reason).toBe(
      'Due Mon 6 Apr 2026; overdue from Tue 21 Apr 2026. Mon 6 Apr 2026 is Easter Monday, a bank holiday: the reminder goes out on Tue 7 Apr 2026 at 09:00.',
    );
    expect(onHoliday.window?.reminders).toEqual({
      due: '2026-04-07T08:00:00.000Z',
      overdue: '2026-04-21T08:00:00.000Z',
    });
    // The Sunday before it is still upcoming, and says when the reminder goes out.
    const before = step(s.plan('2026-04-05T12:00:00Z').steps, 'twelve-week-review');
    expect(before.status).toBe('upcoming');
    expect(before.reason).toContain('the reminder goes out on Tue 7 Apr 2026 at 09:00');
    // Overdue from the start of its overdue day, 2026-04-21 (BST), not from the reminder.
    expect(step(s.plan('2026-04-20T22:59:00Z').steps, 'twelve-week-review').status).toBe('due');
    expect(step(s.plan('2026-04-20T23:00:00Z').steps, 'twelve-week-review').status).toBe('overdue');
  });

  it('a deadline the day before an overdue weekend is reminded on the last working day before, and says why', () => {
    // 2025-01-06 + 90 days = Sunday 2025-04-06, overdue from Monday 2025-04-07.
    const dxa = step(scenario().plan('2025-04-04T12:00:00Z').steps, 'dxa-scan');
    expect(dxa.status).toBe('open');
    expect(dxa.window?.reminders.due).toBe('2025-04-04T08:00:00.000Z');
    expect(dxa.reason).toBe(
      'Open since Mon 6 Jan 2025; due Sun 6 Apr 2025. Sun 6 Apr 2025 is a Sunday and the next working day is not before the step is overdue: the reminder goes out on Fri 4 Apr 2025 at 09:00, the last working day before.',
    );
  });
});

/** Every England and Wales bank holiday the calendar knows from 2023 to 2027, with weekends. */
const NON_WORKING_DAYS: readonly string[] = (() => {
  const days: string[] = [];
  for (let day = '2023-01-01'; day <= '2027-12-31'; day = calendar.addToDate(day, { days: 1 })) {
    if (!calendar.isWorkingDay(day)) days.push(day);
  }
  return days;
})();

const DAY_STEPS = (() => {
  const pathway = findPathway(CURRENT_PATHWAY_VERSION);
  if (!pathway) throw new Error('no current pathway');
  return pathway.steps.filter((s) => s.window.granularity === 'day');
})();

/** Checks one active day-window step at `asOf`: the control, in one place. */
function checkAgreement(
  status: PlanStep['status'],
  reason: string,
  window: PlanWindow,
  asOf: number,
): void {
  const label = `${window.anchor} due ${window.due} at ${toIso(asOf)}`;
  const { transitions, reminders } = window;
  // Status from the guidance's dates: once the due day has begun the step is never upcoming
  // (nor merely open), and once the overdue day has begun it is overdue.
  if (asOf >= calendar.startOfDay(window.due)) {
    expect(['due', 'overdue'], label).toContain(status);
  }
  if (asOf >= calendar.startOfDay(window.overdueFrom)) expect(status, label).toBe('overdue');
  expect(status, label).toBe(statusAt(transitions, asOf));
  // Written for people: dates as "Mon 6 Apr 2026", never as YYYY-MM-DD or an ISO instant.
  expect(reason, label).not.toMatch(/\d{4}-\d\d-\d\d/);
  // Reminders on working mornings; the due one before the overdue day, the overdue one not before.
  const overdueStart = ms(transitions.overdue);
  if (reminders.due !== undefined) {
    const day = calendar.localDate(ms(reminders.due));
    expect(ms(reminders.due), label).toBeLessThan(overdueStart);
    expect(calendar.isWorkingDay(day), `${label}: due reminder on ${day}`).toBe(true);
    expect(ms(reminders.due), label).toBe(calendar.atClinicTime(day));
    if (day !== window.due && status !== 'overdue' && !window.rescheduledTo) {
      expect(reason, `${label}: reason names the reminder day`).toContain(
        calendar.describeDate(day),
      );
    }
  } else if (status !== 'overdue') {
    expect(reason, `${label}: reason names the first reminder`).toContain(
      'no reminder; the escalation goes out on',
    );
  }
  const overdueDay = calendar.localDate(ms(reminders.overdue));
  expect(ms(reminders.overdue), label).toBeGreaterThanOrEqual(overdueStart);
  expect(calendar.isWorkingDay(overdueDay), label).toBe(true);
  if (overdueDay !== window.overdueFrom && (status === 'due' || status === 'overdue')) {
    expect(reason, `${label}: reason names the overdue reminder day`).toContain(
      calendar.describeDate(overdueDay),
    );
  }
}

describe('status, reason and reminder agree on every day (property)', { timeout: 60_000 }, () => {
  it('for every day-window step anchored on a weekend or bank holiday, at any instant around it', () => {
    const arb = fc.record({
      anchor: fc.oneof(
        fc.constantFrom(...NON_WORKING_DAYS),
        fc
          .integer({ min: 0, max: 5 * 365 })
          .map((n) => calendar.addToDate('2023-01-01', { days: n })),
      ),
      definition: fc.constantFrom(...DAY_STEPS),
      // From two days before the window opens to three weeks after it is overdue.
      offsetMinutes: fc.integer({ min: -2 * 24 * 60, max: 60 * 24 * 60 }),
      edge: fc.constantFrom('opens', 'due', 'overdueFrom' as const),
    });
    fc.assert(
      fc.property(arb, ({ anchor, definition, offsetMinutes, edge }) => {
        const resolved = resolveWindow(
          definition.window,
          { kind: 'date', date: anchor, label: `anchor ${anchor}` },
          calendar,
        );
        const window = resolved.view;
        const asOf = calendar.startOfDay(window[edge]) + offsetMinutes * 60_000;
        const status = statusAt(window.transitions, asOf);
        // The reason the worker gives at that instant is the one computePlan gives (both use
        // stepAtTimer's wording for a status).
        const { reason } = stepAtTimer(window, { fireAt: toIso(asOf), urgent: false });
        checkAgreement(status, reason, window, asOf);
      }),
      { numRuns: 2000 },
    );
  });

  it('for generated episode records at any instant, including weekends and bank holidays', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const parsed = parseEpisodeRecord(record, { now: asOf });
        const plan = computePlan({ ...parsed, asOf });
        for (const s of plan.steps) {
          if (!isActive(s.status) || s.window?.granularity !== 'day') continue;
          checkAgreement(s.status, s.reason, s.window, ms(plan.asOf));
          // Every timer of the step: a due reminder never after the overdue day begins.
          for (const timer of plan.timers.filter((t) => t.stepKey === s.key)) {
            if (timer.transition === 'due') {
              expect(ms(timer.fireAt)).toBeLessThan(ms(s.window.transitions.overdue));
            }
            if (timer.transition === 'overdue') {
              expect(ms(timer.fireAt)).toBeGreaterThanOrEqual(ms(s.window.transitions.overdue));
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
