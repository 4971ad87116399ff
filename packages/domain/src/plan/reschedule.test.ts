import { describe, expect, it } from 'vitest';
import { PathwayInputError } from '../inputs/errors.js';
import { parseEvent } from '../inputs/validate.js';
import { scenario } from '../testing/scenario.js';
import { serviceCalendar } from '../time/settings.js';
import { diffPlans } from './diff.js';
import type { Plan, PlanStep } from './types.js';
import { rescheduleRange } from './window.js';

// A community patient with a fracture on Monday 6 January 2025 (see testing/scenario.ts). Worked
// by hand from the pathway definition:
// - dxa-scan: opens 2025-01-06, due day 90 = Sunday 2025-04-06 (reminder moved back to Friday
//   2025-04-04, 09:00 BST = 08:00Z), overdue from 2025-04-07. FLS 90-day audit standard.
// - fls-follow-up-16-weeks: opens 2025-03-31 (12 weeks), due 2025-04-28 (16 weeks), overdue from
//   2025-04-29. FLS 16-week audit standard.

function step(plan: Plan, key: string): PlanStep {
  const found = plan.steps.find((s) => s.key === key);
  if (!found) throw new Error(`no step ${key}`);
  return found;
}

const reschedule = (stepKey: string, remindOn: string, extra: Record<string, unknown> = {}) => ({
  type: 'step-rescheduled' as const,
  stepKey,
  remindOn,
  reason: 'DXA clinic list that day',
  recordedBy: 'scheduler-1',
  ...extra,
});

/** The issues a scenario's record is refused with, as path: message. */
function refusal(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof PathwayInputError)
      return error.issues.map((i) => `${i.path} ${i.message}`);
    throw error;
  }
  throw new Error('expected the record to be refused');
}

describe('step-rescheduled: moving a due reminder within its window', () => {
  const decidedAt = '2025-02-03T10:00:00Z';

  it('moves only the due reminder, says so in words, and keeps the guidance dates', () => {
    const before = scenario().plan('2025-02-03T12:00:00Z');
    const plan = scenario()
      .add(decidedAt, reschedule('dxa-scan', '2025-03-14'))
      .plan('2025-02-03T12:00:00Z');
    const was = step(before, 'dxa-scan').window;
    const window = step(plan, 'dxa-scan').window;
    expect(was?.reminders.due).toBe('2025-04-04T08:00:00.000Z');
    expect(window).toMatchObject({
      opens: '2025-01-06',
      due: '2025-04-06',
      overdueFrom: '2025-04-07',
      rescheduledTo: '2025-03-14',
      transitions: was?.transitions,
      reminders: { due: '2025-03-14T09:00:00.000Z', overdue: was?.reminders.overdue },
    });
    expect(window?.adjustments).toContain(
      'Reminder rescheduled from Fri 4 Apr 2025 to Fri 14 Mar 2025 on Mon 3 Feb 2025: DXA clinic list that day',
    );
    expect(step(plan, 'dxa-scan').notes).toContain(window?.adjustments.at(-1));
    expect(step(plan, 'dxa-scan').reason).toBe(
      'Open since Mon 6 Jan 2025; due Sun 6 Apr 2025. Reminder rescheduled to Fri 14 Mar 2025.',
    );
  });

  it('gives the due timer a new id, so the queue moves the job; the others stay', () => {
    const base = scenario();
    const before = base.plan(decidedAt);
    const after = scenario().add(decidedAt, reschedule('dxa-scan', '2025-03-14')).plan(decidedAt);
    const { commands, changes } = diffPlans(before, after);
    expect(commands).toEqual([
      expect.objectContaining({
        kind: 'reschedule',
        stepKey: 'dxa-scan',
        transition: 'due',
        fireAt: '2025-03-14T09:00:00.000Z',
        previousFireAt: '2025-04-04T08:00:00.000Z',
      }),
    ]);
    expect(changes).toEqual([expect.objectContaining({ stepKey: 'dxa-scan', kind: 'window' })]);
  });

  it('moves the reminder, not the status: due and overdue from the guidance dates as before', () => {
    const log = () => scenario().add(decidedAt, reschedule('dxa-scan', '2025-03-14'));
    expect(step(log().plan('2025-03-14T09:00:00Z'), 'dxa-scan').status).toBe('open');
    // Due from the start of Sunday 6 April (BST), overdue from the start of Monday 7 April.
    expect(step(log().plan('2025-04-05T22:59:00Z'), 'dxa-scan').status).toBe('open');
    expect(step(log().plan('2025-04-05T23:00:00Z'), 'dxa-scan').status).toBe('due');
    expect(step(log().plan('2025-04-06T22:59:00Z'), 'dxa-scan').status).toBe('due');
    expect(step(log().plan('2025-04-06T23:00:00Z'), 'dxa-scan').status).toBe('overdue');
  });

  it('may move the reminder close to the end of the window, in summer time', () => {
    // 2025-04-03 is a Thursday after the clocks went forward: 09:00 BST is 08:00Z.
    const ok = scenario()
      .add('2025-04-01T10:00:00Z', reschedule('dxa-scan', '2025-04-03'))
      .plan('2025-04-01T12:00:00Z');
    expect(step(ok, 'dxa-scan')).toMatchObject({ status: 'open' });
    expect(step(ok, 'dxa-scan').window?.reminders.due).toBe('2025-04-03T08:00:00.000Z');
  });

  it('uses the latest decision; a correction replaces it and a withdrawal restores the plan', () => {
    const twice = scenario()
      .add(decidedAt, reschedule('dxa-scan', '2025-03-14', { id: 'r1' }))
      .add('2025-02-04T10:00:00Z', reschedule('dxa-scan', '2025-03-21', { id: 'r2' }));
    expect(step(twice.plan('2025-02-05T00:00:00Z'), 'dxa-scan').window?.rescheduledTo).toBe(
      '2025-03-21',
    );
    const corrected = scenario()
      .add(decidedAt, reschedule('dxa-scan', '2025-03-14', { id: 'r1' }))
      .add('2025-02-04T10:00:00Z', reschedule('dxa-scan', '2025-03-07', { supersedes: 'r1' }));
    expect(step(corrected.plan('2025-02-05T00:00:00Z'), 'dxa-scan').window?.rescheduledTo).toBe(
      '2025-03-07',
    );
    const withdrawn = scenario()
      .add(decidedAt, reschedule('dxa-scan', '2025-03-14', { id: 'r1' }))
      .add('2025-02-04T10:00:00Z', {
        type: 'retraction',
        supersedes: 'r1',
        note: 'wrong patient',
        recordedBy: 'scheduler-1',
      });
    const window = step(withdrawn.plan('2025-02-05T00:00:00Z'), 'dxa-scan').window;
    expect(window?.rescheduledTo).toBeUndefined();
    expect(window?.reminders.due).toBe('2025-04-04T08:00:00.000Z');
  });

  it('sets a reschedule aside, in words, when a correction moves the window away from it', () => {
    // Severe pain on Thursday 2025-01-09: review opens that day, due Saturday 11th (reminder
    // Friday 10th), overdue from Sunday 12th. The reminder is moved to Friday... then the pain
    // score is corrected to Tuesday 7th, so the review is overdue from Friday 10th.
    const log = scenario()
      .pain('2025-01-09T10:00:00Z', 8, 9, 'severe', { id: 'p1' })
      .add('2025-01-09T10:30:00Z', reschedule('severe-pain-review~p1', '2025-01-09'))
      .pain('2025-01-07T10:00:00Z', 8, 9, 'severe', {
        supersedes: 'p1',
        recordedAt: '2025-01-09T11:00:00Z',
      });
    const review = step(log.plan('2025-01-09T12:00:00Z'), 'severe-pain-review~p1');
    // 2025-01-09 is still inside the corrected window (opens 7th, overdue from 10th): it applies.
    expect(review.window?.rescheduledTo).toBe('2025-01-09');

    const moved = scenario()
      .pain('2025-01-09T10:00:00Z', 8, 9, 'severe', { id: 'p1' })
      .add('2025-01-09T10:30:00Z', reschedule('severe-pain-review~p1', '2025-01-10'))
      .pain('2025-01-07T10:00:00Z', 8, 9, 'severe', {
        supersedes: 'p1',
        recordedAt: '2025-01-09T11:00:00Z',
      });
    const setAside = step(moved.plan('2025-01-09T12:00:00Z'), 'severe-pain-review~p1').window;
    expect(setAside?.rescheduledTo).toBeUndefined();
    expect(setAside?.reminders.due).toBe('2025-01-09T09:00:00.000Z');
    expect(setAside?.adjustments.at(-1)).toMatch(
      /^Reminder rescheduled on Thu 9 Jan 2025 to Fri 10 Jan 2025 set aside: that day is on or after the day the step becomes overdue \(Fri 10 Jan 2025\)/,
    );
  });
});

describe('step-rescheduled: refused input', () => {
  const at = '2025-02-03T10:00:00Z';
  const refuse = (body: ReturnType<typeof reschedule>, build = scenario, when = at) =>
    refusal(() => build().add(when, body).plan(when));

  it('refuses a day before the window opens, citing where the window comes from', () => {
    const [issue, ...rest] = refuse(reschedule('fls-follow-up-16-weeks', '2025-03-28'));
    expect(rest).toEqual([]);
    expect(issue).toMatch(
      /^events\[0\]\.remindOn is before the step opens \(Mon 31 Mar 2025\): the step opens Mon 31 Mar 2025, is due Mon 28 Apr 2025 and is overdue from Tue 29 Apr 2025 \(service standard: FLS audit standard \(FLS-DB\): a monitoring contact 12 to 16 weeks after the fracture\..*; ROS 2022 \(004_530e6981250197c6\.txt\), /,
    );
  });

  it('refuses the overdue day and later: the overdue limit is clinical', () => {
    expect(refuse(reschedule('fls-follow-up-16-weeks', '2025-04-29'))).toEqual([
      expect.stringMatching(
        /^events\[0\]\.remindOn is on or after the day the step becomes overdue \(Tue 29 Apr 2025\); the overdue limit is clinical and stays/,
      ),
    ]);
    expect(refuse(reschedule('fls-follow-up-16-weeks', '2025-06-02'))).toHaveLength(1);
  });

  it('refuses weekends and bank holidays, naming the day', () => {
    expect(refuse(reschedule('dxa-scan', '2025-03-15'))).toEqual([
      'events[0].remindOn is not a working day (Saturday); reminders go out at the clinic time on working days, so choose another day before Mon 7 Apr 2025',
    ]);
    expect(refuse(reschedule('fls-follow-up-16-weeks', '2025-04-18'))[0]).toMatch(
      /is not a working day \(Good Friday\)/,
    );
  });

  it('refuses a day already past', () => {
    expect(refuse(reschedule('dxa-scan', '2025-01-31'))).toEqual([
      'events[0].remindOn is in the past (today is 2025-02-03); choose today or a later working day before 2025-04-07',
    ]);
  });

  it('refuses unknown steps, steps not started and steps that need no reminder', () => {
    expect(refuse(reschedule('no-such-step', '2025-03-14'))).toEqual([
      'events[0].stepKey names "no-such-step", which is not a step of pathway ros-2022.3',
    ]);
    expect(refuse(reschedule('denosumab-next-dose~ev9~2', '2025-03-14'))).toEqual([
      `events[0].stepKey names "denosumab-next-dose~ev9~2", which is not in this episode's plan (nothing has started it yet)`,
    ]);
    expect(refuse(reschedule('pain-review-48h', '2025-03-14'))).toEqual([
      'events[0].stepKey names "48-hour pain review (admitted patients)", which is not applicable to this patient; only a step still to be done has a reminder to move',
    ]);
    const completed = () => scenario().completeStep('2025-02-01T10:00:00Z', 'dxa-scan');
    expect(refuse(reschedule('dxa-scan', '2025-03-14'), completed)).toEqual([
      'events[1].stepKey names "DXA scan with vertebral fracture assessment", which is already completed; only a step still to be done has a reminder to move',
    ]);
  });

  it('refuses an overdue step', () => {
    // Holistic assessment: due on enrolment day, overdue after 1 day, so from 2025-01-08.
    expect(refuse(reschedule('holistic-assessment', '2025-02-04'))).toEqual([
      'events[0].stepKey names "Holistic assessment of pain, function and quality of life", which has been overdue since 2025-01-08; the overdue limit is clinical, so an overdue step cannot be rescheduled',
    ]);
  });

  it('refuses windows measured in hours (exact ward timings)', () => {
    const admitted = () =>
      scenario({ admittedAt: '2025-01-06T12:00:00Z', enrolledAt: '2025-01-06T14:00:00Z' });
    expect(
      refuse(reschedule('pain-review-48h', '2025-01-08'), admitted, '2025-01-07T10:00:00Z'),
    ).toEqual([
      'events[0].stepKey has a window measured in hours (due Wed 8 Jan 2025, 12:00, overdue from Thu 9 Jan 2025, 12:00); an exact clinical time cannot be rescheduled',
    ]);
  });

  it('requires a reason and a calendar date', () => {
    const { reason: _reason, ...noReason } = reschedule('dxa-scan', '2025-03-14');
    expect(refuse(noReason as ReturnType<typeof reschedule>)).toEqual([
      'events[0].reason is required',
    ]);
    expect(refuse(reschedule('dxa-scan', '2025-03-14', { reason: '   ' }))).toEqual([
      'events[0].reason must say why the reminder is moved',
    ]);
    expect(refuse(reschedule('dxa-scan', '14/03/2025'))).toEqual([
      'events[0].remindOn must be a calendar date written YYYY-MM-DD, e.g. 2025-03-14',
    ]);
  });

  it('needs the patient to check a reschedule (a caller mistake, not bad input)', () => {
    const { patient, episode } = scenario().record(at);
    const event = {
      ...reschedule('dxa-scan', '2025-03-14'),
      id: 'r1',
      occurredAt: at,
      recordedAt: at,
    };
    expect(() => parseEvent(event, { now: at, episode, history: [] })).toThrow(
      'parseEvent needs context.patient',
    );
    expect(parseEvent(event, { now: at, episode, history: [], patient })).toMatchObject({
      remindOn: '2025-03-14',
    });
  });
});

describe('rescheduleRange', () => {
  const calendar = serviceCalendar();
  const window = step(scenario().plan('2025-02-03T12:00:00Z'), 'fls-follow-up-16-weeks')
    .window as NonNullable<PlanStep['window']>;

  it('runs from the later of today and the opening to the last working day before overdue', () => {
    expect(rescheduleRange(window, '2025-02-03', calendar)).toEqual({
      earliest: '2025-03-31',
      latest: '2025-04-28',
    });
    // Saturday 2025-04-05: the earliest is the next working day.
    expect(rescheduleRange(window, '2025-04-05', calendar)).toEqual({
      earliest: '2025-04-07',
      latest: '2025-04-28',
    });
    expect(rescheduleRange(window, '2025-04-29', calendar)).toBeUndefined();
  });
});

describe('the days a page may offer for a reschedule', () => {
  it('are none for a settled, overdue or hour-timed step, and the window ahead otherwise', async () => {
    const { stepRescheduleRange } = await import('./reschedule-range.js');
    const { serviceCalendar, DEFAULT_SERVICE_SETTINGS } = await import('../index.js');
    const calendar = serviceCalendar(DEFAULT_SERVICE_SETTINGS);
    const window = {
      granularity: 'day',
      anchor: 'fracture date 2026-11-02',
      opens: '2026-11-02',
      due: '2026-11-23',
      overdueFrom: '2026-12-07',
      transitions: { open: '', due: '', overdue: '' },
      adjustments: [],
      timing: 'guidance',
    } as never;
    expect(stepRescheduleRange({ status: 'open', window }, '2026-11-20', calendar)).toEqual({
      earliest: '2026-11-20',
      latest: '2026-12-04',
    });
    for (const status of ['overdue', 'completed', 'not-applicable'] as const) {
      expect(stepRescheduleRange({ status, window }, '2026-11-20', calendar)).toBeUndefined();
    }
    expect(
      stepRescheduleRange({ status: 'due', window: null }, '2026-11-20', calendar),
    ).toBeUndefined();
    expect(
      stepRescheduleRange(
        { status: 'due', window: { ...(window as object), granularity: 'exact' } as never },
        '2026-11-20',
        calendar,
      ),
    ).toBeUndefined();
  });
});
