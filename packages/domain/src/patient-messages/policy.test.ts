import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPathway } from '../pathway/registry.js';
import { PATIENT_REMINDERS } from '../pathway/versions/ros-2022.3-patient-reminders.js';
import { buildWrittenPlan } from '../patient-documents/written-plan.js';
import { scenario } from '../testing/scenario.js';
import { serviceCalendar } from '../time/settings.js';
import {
  type MessageReachability,
  nextSendingInstant,
  PATIENT_MESSAGE_HOURS,
  patientMessageAtSend,
  patientMessageId,
  plannedPatientMessages,
  renderPatientMessageText,
  withinSendingHours,
} from './policy.js';

const sms: MessageReachability = { reachable: true, channel: 'sms' };
const calendar = serviceCalendar();

/** A patient on denosumab since 25 June 2026: the next dose falls due on Christmas Day 2026. */
function onDenosumab() {
  return scenario({ fractureDate: '2026-06-15' }).add('2026-06-25T10:00:00Z', {
    type: 'bone-therapy-started',
    drug: 'denosumab',
  });
}

function planned(s: ReturnType<typeof scenario>, asOf: string, reachability = sms) {
  return plannedPatientMessages({ plan: s.plan(asOf), reachability, givenName: 'Ada' });
}

const byKind = (result: ReturnType<typeof planned>) =>
  Object.fromEntries(result.messages.map((m) => [`${m.kind} ${m.stepKey}`, m.sendAt]));

describe('plannedPatientMessages: every reminder kind of version 3', () => {
  it('plans each kind at 09:00 service time on its day, moved off weekends and bank holidays', () => {
    const result = planned(onDenosumab(), '2026-07-01T10:00:00Z');
    expect(byKind(result)).toEqual({
      // Exercise programme opens 4 weeks after the fracture: Mon 13 Jul 2026, 09:00 BST.
      'exercise-programme-start exercise-programme-referral': '2026-07-13T08:00:00.000Z',
      // 16 weeks after the fracture is Mon 5 Oct 2026; a week before, 09:00 BST.
      'fls-follow-up-16-weeks fls-follow-up-16-weeks': '2026-09-28T08:00:00.000Z',
      // 52 weeks: Mon 14 Jun 2027; a week before.
      'fls-follow-up-52-weeks fls-adherence-52-weeks': '2027-06-07T08:00:00.000Z',
      // Due Fri 25 Dec 2026 (Christmas Day): 2 weeks before is Fri 11 Dec, 09:00 GMT.
      'denosumab-dose-before denosumab-next-dose~ev1~2': '2026-12-11T09:00:00.000Z',
      // On the due date, a bank holiday: the next working day, after Boxing Day (Mon 28 Dec),
      // is Tue 29 Dec.
      'denosumab-dose-due denosumab-next-dose~ev1~2': '2026-12-29T09:00:00.000Z',
    });
    const due = result.messages.find((m) => m.kind === 'denosumab-dose-due');
    expect(due).toMatchObject({
      id: patientMessageId('ep1', 'denosumab-dose-due', 'denosumab-next-dose~ev1~2'),
      channel: 'sms',
      sendOn: '2026-12-29',
      templateKey: 'denosumab-dose-due',
      personalisation: { first_name: 'Ada', date: 'Friday 25 December 2026' },
    });
  });

  it('tells the patient the deadline the written plan gives: a Saturday follow-up is by the Friday before it', () => {
    // Fracture on Saturday 13 June 2026: the 16-week follow-up is due on Saturday 3 October.
    const s = scenario({ fractureDate: '2026-06-13' });
    const asOf = '2026-07-01T10:00:00Z';
    const plan = s.plan(asOf);
    const message = plannedPatientMessages({
      plan,
      reachability: sms,
      givenName: 'Ada',
    }).messages.find((m) => m.kind === 'fls-follow-up-16-weeks');
    expect(plan.steps.find((st) => st.stepId === 'fls-follow-up-16-weeks')?.window?.due).toBe(
      '2026-10-03',
    );
    expect(message?.personalisation.date).toBe('Friday 2 October 2026');
    const definition = findPathway(plan.pathwayVersion);
    if (!definition) throw new Error('no pathway');
    const written = buildWrittenPlan({
      plan,
      definition,
      patientName: 'Ada Lovelace',
      now: asOf,
      contact: { name: 'Northtown Fracture Liaison Service', telephone: '0161 496 0000' },
    });
    if (!written.ok) throw new Error(written.message);
    const followUp = written.plan.sections
      .flatMap((section) => section.items)
      .find(
        (item) => item.from && 'stepKey' in item.from && item.from.stepKey === message?.stepKey,
      );
    expect(followUp?.dates.find((d) => d.role === 'due')?.date.words).toBe('Friday 2 October 2026');
  });

  it('is idempotent: planning again, later, gives the same ids and times', () => {
    const first = planned(onDenosumab(), '2026-07-01T10:00:00Z');
    const again = planned(onDenosumab(), '2026-07-02T03:00:00Z');
    expect(again.messages).toEqual(first.messages);
  });

  it('renders the mailbox text with every field filled in', () => {
    const message = planned(onDenosumab(), '2026-07-01T10:00:00Z').messages.find(
      (m) => m.kind === 'denosumab-dose-before',
    );
    expect(
      renderPatientMessageText(
        'denosumab-dose-before',
        message?.personalisation ?? {},
        PATIENT_REMINDERS,
      ),
    ).toBe(
      'Hello Ada. Your next denosumab injection is due on Friday 25 December 2026. Please contact your GP surgery now to book it. It is important not to miss or delay it.',
    );
  });
});

describe('the spring and autumn clock changes (Europe/London)', () => {
  it('spring 2027: a dose due on Sun 28 Mar (clocks go forward) is reminded at 09:00 local either side', () => {
    const s = scenario({ fractureDate: '2026-09-01' }).add('2026-09-28T10:00:00Z', {
      type: 'bone-therapy-started',
      drug: 'denosumab',
    });
    const times = byKind(planned(s, '2026-10-01T10:00:00Z'));
    // 14 days before is Sun 14 Mar: the working day before, Fri 12 Mar, 09:00 GMT.
    expect(times['denosumab-dose-before denosumab-next-dose~ev1~2']).toBe(
      '2027-03-12T09:00:00.000Z',
    );
    // Due Sun 28 Mar; Mon 29 Mar is Easter Monday: Tue 30 Mar, 09:00 BST = 08:00 UTC.
    expect(times['denosumab-dose-due denosumab-next-dose~ev1~2']).toBe('2027-03-30T08:00:00.000Z');
  });

  it('autumn 2027: a dose due Mon 1 Nov is reminded at 09:00 BST on 18 Oct and 09:00 GMT on 1 Nov', () => {
    const s = scenario({ fractureDate: '2027-04-20' }).add('2027-05-01T10:00:00Z', {
      type: 'bone-therapy-started',
      drug: 'denosumab',
    });
    const times = byKind(planned(s, '2027-05-02T10:00:00Z'));
    expect(times['denosumab-dose-before denosumab-next-dose~ev1~2']).toBe(
      '2027-10-18T08:00:00.000Z',
    );
    expect(times['denosumab-dose-due denosumab-next-dose~ev1~2']).toBe('2027-11-01T09:00:00.000Z');
  });

  it('the sending hours are local: 09:00 to 19:00 on the clock-change days themselves', () => {
    const anyDay = { workingDaysOnly: false };
    // 28 Mar 2027: 00:30 UTC is 00:30 GMT; the day's 09:00 is BST (08:00 UTC).
    expect(nextSendingInstant(Date.parse('2027-03-28T00:30:00Z'), calendar, anyDay)).toBe(
      Date.parse('2027-03-28T08:00:00Z'),
    );
    // 18:30 UTC that day is 19:30 BST: closed until 09:00 BST the next day.
    expect(nextSendingInstant(Date.parse('2027-03-28T18:30:00Z'), calendar, anyDay)).toBe(
      Date.parse('2027-03-29T08:00:00Z'),
    );
    // 31 Oct 2027: the clocks go back at 02:00 BST; 09:00 is GMT (09:00 UTC), 19:00 is 19:00 UTC.
    expect(nextSendingInstant(Date.parse('2027-10-31T00:30:00Z'), calendar, anyDay)).toBe(
      Date.parse('2027-10-31T09:00:00Z'),
    );
    expect(withinSendingHours(Date.parse('2027-10-31T18:59:00Z'), calendar, anyDay)).toBe(true);
    expect(withinSendingHours(Date.parse('2027-10-31T19:00:00Z'), calendar, anyDay)).toBe(false);
    // A Sunday is no working day.
    expect(
      nextSendingInstant(Date.parse('2027-10-31T10:00:00Z'), calendar, { workingDaysOnly: true }),
    ).toBe(Date.parse('2027-11-01T09:00:00Z'));
  });

  it('property: every planned instant is inside 09:00-19:00 local on a working day', () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse('2026-01-01T00:00:00Z'),
          max: Date.parse('2028-12-31T00:00:00Z'),
        }),
        (instant) => {
          const at = nextSendingInstant(instant, calendar, { workingDaysOnly: true });
          const local = calendar.describeTime(at);
          expect(at).toBeGreaterThanOrEqual(instant);
          expect(local >= PATIENT_MESSAGE_HOURS.from && local < PATIENT_MESSAGE_HOURS.until).toBe(
            true,
          );
          expect(calendar.isWorkingDay(calendar.localDate(at))).toBe(true);
          // Nothing earlier qualifies: at is the first sending instant (or the instant itself).
          if (at > instant)
            expect(withinSendingHours(instant, calendar, { workingDaysOnly: true })).toBe(false);
        },
      ),
    );
  });
});

describe('quiet hours', () => {
  it('a message planned after 19:00 on its day goes at 09:00 the next working day, while it may', () => {
    // The before-reminder's day is Fri 11 Dec 2026; planned at 19:30 GMT that day it goes on
    // Mon 14 Dec at 09:00 (still before the due date).
    const result = planned(onDenosumab(), '2026-12-11T19:30:00Z');
    const before = result.messages.find((m) => m.kind === 'denosumab-dose-before');
    expect(before?.sendAt).toBe('2026-12-14T09:00:00.000Z');
  });

  it('the at-send check waits outside the sending hours', () => {
    const s = onDenosumab();
    const plan = s.plan('2026-12-11T20:00:00Z');
    const message = {
      id: patientMessageId('ep1', 'denosumab-dose-before', 'denosumab-next-dose~ev1~2'),
      kind: 'denosumab-dose-before',
      stepKey: 'denosumab-next-dose~ev1~2',
      channel: 'sms',
    };
    const decision = patientMessageAtSend({
      message,
      plan,
      reachability: sms,
      givenName: 'Ada',
      now: Date.parse('2026-12-11T20:00:00Z'),
    });
    expect(decision).toMatchObject({ action: 'wait', until: '2026-12-14T09:00:00.000Z' });
    const atNine = patientMessageAtSend({
      message,
      plan: s.plan('2026-12-14T09:00:00Z'),
      reachability: sms,
      givenName: 'Ada',
      now: Date.parse('2026-12-14T09:00:00Z'),
    });
    expect(atNine).toMatchObject({ action: 'send', channel: 'sms' });
  });

  it('a reminder whose last day has passed is not planned', () => {
    // The exercise reminder may go only on its day (Mon 13 Jul 2026), until 19:00 BST (18:00 UTC).
    const result = planned(onDenosumab(), '2026-07-13T17:59:00Z');
    expect(result.messages.some((m) => m.kind === 'exercise-programme-start')).toBe(true);
    const late = planned(onDenosumab(), '2026-07-13T18:00:00Z');
    expect(late.messages.some((m) => m.kind === 'exercise-programme-start')).toBe(false);
    expect(late.skipped.find((s) => s.kind === 'exercise-programme-start')?.why).toMatch(
      /last day to be sent \(Mon 13 Jul 2026\) has passed/,
    );
  });
});

describe('who is sent nothing', () => {
  it('a patient who opted out or cannot be reached: nothing, with the reason', () => {
    const result = planned(onDenosumab(), '2026-07-01T10:00:00Z', {
      reachable: false,
      why: 'The patient opted out of reminders on 2026-06-30.',
    });
    expect(result.messages).toEqual([]);
    expect(result.none).toBe('The patient opted out of reminders on 2026-06-30.');
  });

  it('the at-send check cancels a message after an opt-out, with the reason', () => {
    const s = onDenosumab();
    const now = '2026-12-11T09:00:00Z';
    const decision = patientMessageAtSend({
      message: {
        id: patientMessageId('ep1', 'denosumab-dose-before', 'denosumab-next-dose~ev1~2'),
        kind: 'denosumab-dose-before',
        stepKey: 'denosumab-next-dose~ev1~2',
        channel: 'sms',
      },
      plan: s.plan(now),
      reachability: { reachable: false, why: 'The patient opted out of reminders.' },
      givenName: 'Ada',
      now: Date.parse(now),
    });
    expect(decision).toEqual({ action: 'cancel', why: 'The patient opted out of reminders.' });
  });

  it('a version without patient reminders (ros-2022.2) plans none, and says so', () => {
    const s = scenario({ fractureDate: '2026-06-15', pathwayVersion: 'ros-2022.2' });
    const result = planned(s, '2026-07-01T10:00:00Z');
    expect(result.messages).toEqual([]);
    expect(result.none).toMatch(/ros-2022.2 sends no reminders to patients/);
  });

  it('a closed episode: none planned, and the at-send check cancels', () => {
    const s = onDenosumab().add('2026-07-02T10:00:00Z', { type: 'closure', reason: 'discharged' });
    const result = planned(s, '2026-07-03T10:00:00Z');
    expect(result.messages).toEqual([]);
    expect(result.none).toMatch(/closed \(discharged\)/);
  });

  it('a completed step: a referral to the exercise programme cancels its reminder', () => {
    const s = onDenosumab().referral('2026-07-01T09:00:00Z', 'individualised-exercise-programme');
    const result = planned(s, '2026-07-01T10:00:00Z');
    expect(result.messages.some((m) => m.kind === 'exercise-programme-start')).toBe(false);
    expect(result.skipped.find((m) => m.kind === 'exercise-programme-start')?.why).toMatch(
      /is completed: it needs no reminder/,
    );
  });
});

describe('a dose recorded before the reminder', () => {
  it('cancels both denosumab reminders of that dose, and plans those of the next one', () => {
    const s = onDenosumab().add('2026-12-01T10:00:00Z', {
      type: 'bone-therapy-dose',
      drug: 'denosumab',
    });
    const times = byKind(planned(s, '2026-12-01T11:00:00Z'));
    expect(times['denosumab-dose-before denosumab-next-dose~ev1~2']).toBeUndefined();
    expect(times['denosumab-dose-due denosumab-next-dose~ev1~2']).toBeUndefined();
    // The next dose is due 6 months after 1 Dec 2026: Tue 1 Jun 2027; 2 weeks before is Tue 18 May.
    expect(times['denosumab-dose-before denosumab-next-dose~ev1~3']).toBe(
      '2027-05-18T08:00:00.000Z',
    );
    expect(times['denosumab-dose-due denosumab-next-dose~ev1~3']).toBe('2027-06-01T08:00:00.000Z');
    // The message already scheduled for the earlier dose is cancelled when the worker checks it.
    const decision = patientMessageAtSend({
      message: {
        id: patientMessageId('ep1', 'denosumab-dose-due', 'denosumab-next-dose~ev1~2'),
        kind: 'denosumab-dose-due',
        stepKey: 'denosumab-next-dose~ev1~2',
        channel: 'sms',
      },
      plan: s.plan('2026-12-29T09:00:00Z'),
      reachability: sms,
      givenName: 'Ada',
      now: Date.parse('2026-12-29T09:00:00Z'),
    });
    expect(decision.action).toBe('cancel');
    expect(decision.action === 'cancel' && decision.why).toMatch(
      /was completed \(bone-therapy-dose/,
    );
  });
});

describe('a rescheduled step', () => {
  it('moves the reminders measured from its due date', () => {
    const s = onDenosumab().add('2026-08-03T10:00:00Z', {
      type: 'step-rescheduled',
      stepKey: 'fls-follow-up-16-weeks',
      remindOn: '2026-09-21',
      reason: 'Nurse on leave the week it falls due',
    });
    const times = byKind(planned(s, '2026-08-03T11:00:00Z'));
    // Moved to Mon 21 Sep: a week before is Mon 14 Sep, 09:00 BST.
    expect(times['fls-follow-up-16-weeks fls-follow-up-16-weeks']).toBe('2026-09-14T08:00:00.000Z');
    const message = planned(s, '2026-08-03T11:00:00Z').messages.find(
      (m) => m.kind === 'fls-follow-up-16-weeks',
    );
    expect(message?.personalisation.date).toBe('Monday 21 September 2026');
  });
});
