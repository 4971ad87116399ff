// The DXA appointment: the entry that records it (validation), the plan that shows it (the latest
// entry in effect wins; a withdrawal removes it) and the patient reminder a week before it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathwayInputError } from '../inputs/errors.js';
import { parseEpisodeRecord, parseEvent } from '../inputs/validate.js';
import { PATIENT_REMINDERS } from '../pathway/versions/ros-2022.3-patient-reminders.js';
import { describeAppointment } from '../plan/appointments.js';
import { computePlan } from '../plan/compute-plan.js';
import { recordWithAsOfArb } from '../testing/arbitraries.js';
import { scenario } from '../testing/scenario.js';
import { serviceCalendar } from '../time/settings.js';
import {
  type MessageReachability,
  PATIENT_MESSAGE_HOURS,
  patientMessageAtSend,
  patientMessageId,
  plannedPatientMessages,
  renderPatientMessageText,
  whyNoLongerPlanned,
} from './policy.js';

const sms: MessageReachability = { reachable: true, channel: 'sms' };
type Scenario = ReturnType<typeof scenario>;

/** A patient whose fracture was on Mon 2 Nov 2026 (the DXA step is open until 31 Jan 2027). */
function patient(fractureDate = '2026-11-02') {
  return scenario({ fractureDate });
}

function book(
  s: Scenario,
  recordedAt: string,
  appointmentOn: string,
  extra: { appointmentTime?: string; place?: string; id?: string } = {},
) {
  return s.add(recordedAt, { type: 'dxa-appointment', action: 'booked', appointmentOn, ...extra });
}

function planned(s: Scenario, asOf: string, reachability = sms) {
  return plannedPatientMessages({ plan: s.plan(asOf), reachability, givenName: 'Ada' });
}

function appointmentMessages(s: Scenario, asOf: string, reachability = sms) {
  return planned(s, asOf, reachability).messages.filter((m) => m.kind === 'dxa-appointment');
}

const idFor = (on: string) => patientMessageId('ep1', 'dxa-appointment', 'dxa-scan', on);

/** The problems parseEvent finds in a new entry, as "field: message". */
function problems(s: Scenario, now: string, body: Record<string, unknown>): string[] {
  const record = s.record(now);
  try {
    parseEvent(
      { id: 'new', occurredAt: now, recordedAt: now, recordedBy: 'nurse-1', ...body },
      { now, ...record, history: record.events },
    );
    return [];
  } catch (error) {
    if (!(error instanceof PathwayInputError)) throw error;
    return error.issues.map((issue) => `${issue.path.replace(/^event\./, '')}: ${issue.message}`);
  }
}

describe('recording a DXA appointment', () => {
  const now = '2026-11-10T11:00:00Z';

  it('refuses an appointment before the fracture date, with what to check', () => {
    expect(
      problems(patient(), now, {
        type: 'dxa-appointment',
        action: 'booked',
        appointmentOn: '2026-11-01',
      }),
    ).toEqual(['appointmentOn: is before the date of fracture (2026-11-02): check the date']);
  });

  it('refuses an appointment more than a year after the day it is recorded', () => {
    expect(
      problems(patient(), now, {
        type: 'dxa-appointment',
        action: 'booked',
        appointmentOn: '2027-11-11',
      }),
    ).toEqual([
      'appointmentOn: is more than a year ahead: check the date (the latest accepted is 2027-11-10)',
    ]);
    expect(
      problems(patient(), now, {
        type: 'dxa-appointment',
        action: 'booked',
        appointmentOn: '2027-11-10',
      }),
    ).toEqual([]);
  });

  it('refuses a cancellation when no appointment is booked, or it is already cancelled', () => {
    const body = { type: 'dxa-appointment', action: 'cancelled' };
    expect(problems(patient(), now, body)).toEqual([
      'action: cancels an appointment, but no DXA appointment is booked for this episode',
    ]);
    const cancelled = book(patient(), '2026-11-09T10:00:00Z', '2027-01-12').add(
      '2026-11-09T12:00:00Z',
      { type: 'dxa-appointment', action: 'cancelled' },
    );
    expect(problems(cancelled, now, body)).toEqual([
      'action: cancels an appointment, but the DXA appointment was already cancelled and none is booked',
    ]);
  });

  it('needs the day of a booking, a 24-hour time, and nothing but the action on a cancellation', () => {
    expect(problems(patient(), now, { type: 'dxa-appointment', action: 'booked' })).toEqual([
      'appointmentOn: must give the day of the appointment booked (YYYY-MM-DD)',
    ]);
    expect(
      problems(patient(), now, {
        type: 'dxa-appointment',
        action: 'booked',
        appointmentOn: '2027-01-12',
        appointmentTime: '25:00',
      }),
    ).toEqual(['appointmentTime: must be a time written HH:MM (24-hour), e.g. 10:30']);
    expect(
      problems(book(patient(), '2026-11-09T10:00:00Z', '2027-01-12'), now, {
        type: 'dxa-appointment',
        action: 'cancelled',
        appointmentOn: '2027-01-19',
      }),
    ).toEqual([
      'appointmentOn: must be left out of a cancellation (it cancels the appointment booked); to move an appointment, record the new booking',
    ]);
  });

  it('is refused under pathway versions 1 and 2, which record no appointments', () => {
    const old = scenario({ fractureDate: '2026-11-02', pathwayVersion: 'ros-2022.2' });
    expect(
      problems(old, now, {
        type: 'dxa-appointment',
        action: 'booked',
        appointmentOn: '2027-01-12',
      }),
    ).toEqual([
      'type: cannot be recorded under pathway ros-2022.2, which records no DXA appointments; pathway ros-2022.3 does',
    ]);
  });
});

describe('the appointment on the plan', () => {
  it('shows the booked appointment on the DXA step, which stays open (the result completes it)', () => {
    const s = book(patient(), '2026-11-10T11:00:00Z', '2027-01-12', {
      appointmentTime: '10:30',
      place: 'Radiology, St Elsewhere Hospital',
    });
    const step = s.plan('2026-11-10T12:00:00Z').steps.find((x) => x.stepId === 'dxa-scan');
    expect(step?.status).toBe('open');
    expect(step?.appointment).toMatchObject({ state: 'booked', on: '2027-01-12', time: '10:30' });
    expect(
      describeAppointment(step?.appointment ?? { state: 'cancelled', eventId: '', recordedAt: '' }),
    ).toBe(
      'DXA appointment booked: Tuesday 12 January 2027, 10:30, Radiology, St Elsewhere Hospital',
    );
  });

  it('the latest entry recorded decides it, whatever day each says it happened', () => {
    const s = book(patient(), '2026-11-10T11:00:00Z', '2027-01-12');
    // Entered later, though it says it happened earlier: it is the nurse's latest word.
    s.add('2026-11-09T09:00:00Z', {
      type: 'dxa-appointment',
      action: 'booked',
      appointmentOn: '2027-01-19',
      recordedAt: '2026-11-11T09:00:00Z',
    });
    const step = s.plan('2026-11-12T12:00:00Z').steps.find((x) => x.stepId === 'dxa-scan');
    expect(step?.appointment).toMatchObject({ state: 'booked', on: '2027-01-19', eventId: 'ev2' });
  });

  it('a withdrawn booking leaves the one before it; withdrawing the only one leaves none', () => {
    const s = book(patient(), '2026-11-10T11:00:00Z', '2027-01-12');
    book(s, '2026-11-11T11:00:00Z', '2027-01-19');
    s.add('2026-11-12T11:00:00Z', {
      type: 'retraction',
      supersedes: 'ev2',
      note: 'Booked for the wrong patient',
    });
    const step = (asOf: string, x: Scenario) =>
      x.plan(asOf).steps.find((y) => y.stepId === 'dxa-scan');
    expect(step('2026-11-12T12:00:00Z', s)?.appointment).toMatchObject({ on: '2027-01-12' });
    const only = book(patient(), '2026-11-10T11:00:00Z', '2027-01-12').add('2026-11-12T11:00:00Z', {
      type: 'retraction',
      supersedes: 'ev1',
      note: 'Entered in error',
    });
    expect(step('2026-11-12T12:00:00Z', only)?.appointment).toBeUndefined();
    expect(appointmentMessages(only, '2026-11-12T12:00:00Z')).toEqual([]);
  });
});

describe('the DXA appointment reminder', () => {
  it('goes a week before, at 09:00, with the first name and the day only (no time or place)', () => {
    const s = book(patient(), '2026-11-10T11:00:00Z', '2027-01-12', {
      appointmentTime: '10:30',
      place: 'Radiology, St Elsewhere Hospital',
    });
    const [message, ...others] = appointmentMessages(s, '2026-11-10T11:00:00Z');
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      id: idFor('2027-01-12'),
      stepKey: 'dxa-scan',
      templateKey: 'dxa-appointment',
      sendAt: '2027-01-05T09:00:00.000Z',
      sendBy: '2027-01-11',
      personalisation: { first_name: 'Ada', date: 'Tuesday 12 January 2027' },
    });
    expect(
      renderPatientMessageText(
        'dxa-appointment',
        message?.personalisation ?? {},
        PATIENT_REMINDERS,
      ),
    ).toBe(
      'Hello Ada. You have a bone density (DXA) scan appointment on Tuesday 12 January 2027. Your appointment letter gives the time and place. If you cannot go, please contact the hospital to change it.',
    );
  });

  it('a week before falls on a weekend: the working day before', () => {
    // Sat 16 Jan 2027: a week before is Sat 9 Jan; Fri 8 Jan.
    const s = book(patient(), '2026-11-10T11:00:00Z', '2027-01-16');
    expect(appointmentMessages(s, '2026-11-10T11:00:00Z')[0]?.sendAt).toBe(
      '2027-01-08T09:00:00.000Z',
    );
  });

  it('a week before is a bank holiday: the working day before', () => {
    // Fri 8 Jan 2027: a week before is New Year's Day; Thu 31 Dec 2026.
    const s = book(patient(), '2026-11-10T11:00:00Z', '2027-01-08');
    expect(appointmentMessages(s, '2026-11-10T11:00:00Z')[0]?.sendAt).toBe(
      '2026-12-31T09:00:00.000Z',
    );
  });

  it('booked less than a week ahead: at the next sending hour, while that is before the day', () => {
    // Wed 6 Jan 2027, 14:00 GMT, for Mon 11 Jan: at once.
    const inHours = book(patient(), '2027-01-06T14:00:00Z', '2027-01-11');
    expect(appointmentMessages(inHours, '2027-01-06T14:00:00Z')[0]).toMatchObject({
      sendAt: '2027-01-06T14:00:00.000Z',
      sendBy: '2027-01-10',
    });
    // At 20:00: the next sending hour, Thu 7 Jan at 09:00.
    const evening = book(patient(), '2027-01-06T20:00:00Z', '2027-01-11');
    expect(appointmentMessages(evening, '2027-01-06T20:00:00Z')[0]?.sendAt).toBe(
      '2027-01-07T09:00:00.000Z',
    );
  });

  it('booked for tomorrow: no reminder, with the reason', () => {
    const s = book(patient(), '2027-01-07T10:00:00Z', '2027-01-08');
    const result = planned(s, '2027-01-07T10:00:00Z');
    expect(result.messages.filter((m) => m.kind === 'dxa-appointment')).toEqual([]);
    expect(result.skipped.find((x) => x.kind === 'dxa-appointment')).toEqual({
      kind: 'dxa-appointment',
      stepKey: 'dxa-scan',
      id: idFor('2027-01-08'),
      about: '2027-01-08',
      why: 'The appointment on Fri 8 Jan 2027 was booked on Thu 7 Jan 2027, less than a day ahead: the patient heard of it when it was booked, so no reminder is sent.',
    });
  });

  it('booked on a Friday evening for Monday: the next sending hour is Monday, too late, so none', () => {
    const s = book(patient(), '2027-01-08T19:30:00Z', '2027-01-11');
    const result = planned(s, '2027-01-08T19:30:00Z');
    expect(result.messages.filter((m) => m.kind === 'dxa-appointment')).toEqual([]);
    expect(result.skipped.find((x) => x.kind === 'dxa-appointment')?.why).toBe(
      'Its last day to be sent (Sun 10 Jan 2027) has passed.',
    );
  });

  it('spring 2027 clock change: 09:00 GMT before 28 Mar, 09:00 BST after', () => {
    // Sun 4 Apr: a week before is Sun 28 Mar (clocks go forward, Easter Day); the working day
    // before it is Thu 25 Mar (Fri 26 Mar is Good Friday), 09:00 GMT.
    const before = book(patient('2027-02-01'), '2027-02-10T11:00:00Z', '2027-04-04');
    expect(appointmentMessages(before, '2027-02-10T11:00:00Z')[0]?.sendAt).toBe(
      '2027-03-25T09:00:00.000Z',
    );
    // Tue 6 Apr: Tue 30 Mar (after Easter Monday), 09:00 BST = 08:00 UTC.
    const after = book(patient('2027-02-01'), '2027-02-10T11:00:00Z', '2027-04-06');
    expect(appointmentMessages(after, '2027-02-10T11:00:00Z')[0]?.sendAt).toBe(
      '2027-03-30T08:00:00.000Z',
    );
  });

  it('autumn 2027 clock change: 09:00 BST before 31 Oct, 09:00 GMT after', () => {
    // Sun 7 Nov: a week before is Sun 31 Oct (clocks go back): Fri 29 Oct, 09:00 BST.
    const before = book(patient('2027-08-02'), '2027-08-10T11:00:00Z', '2027-11-07');
    expect(appointmentMessages(before, '2027-08-10T11:00:00Z')[0]?.sendAt).toBe(
      '2027-10-29T08:00:00.000Z',
    );
    // Mon 8 Nov: Mon 1 Nov, 09:00 GMT.
    const after = book(patient('2027-08-02'), '2027-08-10T11:00:00Z', '2027-11-08');
    expect(appointmentMessages(after, '2027-08-10T11:00:00Z')[0]?.sendAt).toBe(
      '2027-11-01T09:00:00.000Z',
    );
  });
});

describe('what cancels the DXA appointment reminder', () => {
  const booked = () => book(patient(), '2026-11-10T11:00:00Z', '2027-01-12');
  const old = { id: idFor('2027-01-12'), kind: 'dxa-appointment', stepKey: 'dxa-scan' };
  const asOf = '2026-11-20T11:00:00Z';

  it('the appointment cancelled', () => {
    const s = booked().add('2026-11-20T10:00:00Z', {
      type: 'dxa-appointment',
      action: 'cancelled',
    });
    const result = planned(s, asOf);
    expect(result.messages.filter((m) => m.kind === 'dxa-appointment')).toEqual([]);
    expect(whyNoLongerPlanned(result, old)).toBe(
      'DXA appointment cancelled (it was on Tuesday 12 January 2027); none is booked. The reminder is not sent.',
    );
  });

  it('the appointment moved: a new message (a new id) for the new day replaces the old one', () => {
    const s = book(booked(), '2026-11-20T10:00:00Z', '2027-01-19');
    const result = planned(s, asOf);
    expect(
      result.messages.filter((m) => m.kind === 'dxa-appointment').map((m) => [m.id, m.sendAt]),
    ).toEqual([[idFor('2027-01-19'), '2027-01-12T09:00:00.000Z']]);
    expect(whyNoLongerPlanned(result, old)).toBe(
      'The appointment moved to Tuesday 19 January 2027: the message for the new day replaces this one.',
    );
    // The check just before sending says the same.
    expect(
      patientMessageAtSend({
        message: { ...old, channel: 'sms' },
        plan: s.plan('2027-01-05T09:00:00Z'),
        reachability: sms,
        givenName: 'Ada',
        now: Date.parse('2027-01-05T09:00:00Z'),
      }),
    ).toEqual({
      action: 'cancel',
      why: 'The appointment moved to Tuesday 19 January 2027: the message for the new day replaces this one.',
    });
  });

  it('the scan result recorded (the DXA step completed)', () => {
    const s = booked().add('2026-11-20T10:00:00Z', { type: 'dxa-result', lumbarSpineTScore: -2.6 });
    const result = planned(s, asOf);
    expect(result.messages.filter((m) => m.kind === 'dxa-appointment')).toEqual([]);
    expect(whyNoLongerPlanned(result, old)).toMatch(
      /^"DXA scan .*" is completed: it needs no reminder\.$/,
    );
    const decision = patientMessageAtSend({
      message: { ...old, channel: 'sms' },
      plan: s.plan('2027-01-05T09:00:00Z'),
      reachability: sms,
      givenName: 'Ada',
      now: Date.parse('2027-01-05T09:00:00Z'),
    });
    expect(decision.action).toBe('cancel');
  });

  it('the episode closed', () => {
    const s = booked().add('2026-11-20T10:00:00Z', { type: 'closure', reason: 'discharged' });
    const result = planned(s, asOf);
    expect(result.messages).toEqual([]);
    expect(whyNoLongerPlanned(result, old)).toBe(
      'The episode was closed (discharged): the patient is sent no more reminders.',
    );
  });

  it('the patient opted out', () => {
    const result = planned(booked(), asOf, {
      reachable: false,
      why: 'The patient opted out of reminders on 2026-11-19.',
    });
    expect(result.messages).toEqual([]);
    expect(whyNoLongerPlanned(result, old)).toBe(
      'The patient opted out of reminders on 2026-11-19.',
    );
  });

  it('is sent when its time comes and nothing changed', () => {
    const decision = patientMessageAtSend({
      message: { ...old, channel: 'sms' },
      plan: booked().plan('2027-01-05T09:00:00Z'),
      reachability: sms,
      givenName: 'Ada',
      now: Date.parse('2027-01-05T09:00:00Z'),
    });
    expect(decision).toEqual({
      action: 'send',
      channel: 'sms',
      templateKey: 'dxa-appointment',
      personalisation: { first_name: 'Ada', date: 'Tuesday 12 January 2027' },
    });
  });
});

describe('property: generated records, DXA appointments among them', () => {
  it('every planned message goes in the sending hours of a working day, not before the plan’s instant and by its last day; a DXA appointment message only for the appointment booked, before its day', () => {
    const calendar = serviceCalendar();
    let appointmentMessages = 0;
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const parsed = parseEpisodeRecord(record, { now: asOf });
        const plan = computePlan({ ...parsed, asOf });
        const result = plannedPatientMessages({ plan, reachability: sms, givenName: 'Ada' });
        for (const message of result.messages) {
          const at = Date.parse(message.sendAt);
          const local = calendar.describeTime(at);
          expect(at).toBeGreaterThanOrEqual(Date.parse(plan.asOf));
          expect(local >= PATIENT_MESSAGE_HOURS.from && local < PATIENT_MESSAGE_HOURS.until).toBe(
            true,
          );
          expect(calendar.isWorkingDay(message.sendOn)).toBe(true);
          expect(message.sendOn <= message.sendBy).toBe(true);
          if (message.kind !== 'dxa-appointment') continue;
          appointmentMessages += 1;
          const step = plan.steps.find((x) => x.key === message.stepKey);
          expect(step?.appointment).toMatchObject({ state: 'booked', on: message.about });
          expect(message.id).toBe(idFor(message.about).replace('ep1', plan.episodeId));
          expect(message.sendOn < message.about).toBe(true);
          expect(Object.keys(message.personalisation).sort()).toEqual(['date', 'first_name']);
        }
      }),
      { numRuns: 300 },
    );
    // The generated records do reach the reminder.
    expect(appointmentMessages).toBeGreaterThan(0);
  }, 120_000);
});
