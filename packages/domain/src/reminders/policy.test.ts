import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StepStatus } from '../pathway/facts.js';
import type { TimerTransition } from '../plan/types.js';
import {
  MANUAL_REMINDER_COOLDOWN,
  type OpenReminder,
  type ResponsibleNurse,
  reminderAtTimer,
  reminderSentNow,
  remindersClosedBySettling,
} from './policy.js';

const ann: ResponsibleNurse = { id: 'nurse-1', name: 'Ann', email: 'ann@fls.test', active: true };
const left: ResponsibleNurse = { ...ann, active: false };
const MINUTE = 60_000;
const NOW = Date.parse('2026-11-17T10:00:00Z');

/** Every status, and whether a step in it still needs action (a table the type keeps complete). */
const NEEDS_ACTION: Record<StepStatus, boolean> = {
  upcoming: true,
  open: true,
  due: true,
  overdue: true,
  completed: false,
  'not-applicable': false,
  cancelled: false,
};
const STATUSES = Object.keys(NEEDS_ACTION) as StepStatus[];
const TRANSITIONS: readonly TimerTransition[] = [
  'open',
  'due-day',
  'due',
  'overdue-day',
  'overdue',
];

describe('reminderAtTimer', () => {
  const timer = (over: Partial<Parameters<typeof reminderAtTimer>[0]> = {}) =>
    reminderAtTimer({
      transition: 'due',
      urgent: false,
      open: [],
      nurse: ann,
      emailReminders: true,
      ...over,
    });

  it.each([
    // transition, open kinds, creates, supersedes
    ['open', [], false, []],
    ['due-day', [], false, []],
    ['overdue-day', ['due'], false, []],
    ['due', [], true, []],
    ['due', ['manual'], true, []],
    ['due', ['due'], false, []],
    ['overdue', [], true, []],
    ['overdue', ['due'], true, ['r-due']],
    ['overdue', ['due', 'manual'], true, ['r-due', 'r-manual']],
    ['overdue', ['overdue'], false, []],
  ] as const)(
    '%s with open %j: creates %s, supersedes %j',
    (transition, kinds, creates, supersedes) => {
      const open = kinds.map((kind) => ({ id: `r-${kind}`, kind }));
      const decision = timer({ transition, open });
      expect(decision.create).toBe(creates);
      if (decision.create) {
        expect(decision.reminder.kind).toBe(transition);
        expect(decision.reminder.supersedes).toEqual(supersedes);
      } else expect(decision.why).toMatch(/status|already has an open/);
    },
  );

  it.each([
    // nurse, e-mail setting, deliveries
    [
      ann,
      true,
      [
        ['in_app', 'nurse-1'],
        ['email', 'ann@fls.test'],
      ],
    ],
    [ann, false, [['in_app', 'nurse-1']]],
    [left, true, [['in_app', 'nurse-1']]],
    [null, true, [['in_app', null]]],
  ] as const)('to %j with e-mail %s: delivers %j', (nurse, emailReminders, deliveries) => {
    const decision = timer({ nurse, emailReminders });
    if (!decision.create) throw new Error(decision.why);
    expect(decision.reminder.deliveries.map((d) => [d.channel, d.recipient])).toEqual(deliveries);
    expect(decision.reminder.nurseId).toBe(nurse?.id ?? null);
    expect(decision.reminder.requestedBy).toBeNull();
  });

  it('keeps the urgency the step has at the timer', () => {
    const decision = timer({ transition: 'overdue', urgent: true });
    expect(decision.create && decision.reminder.urgent).toBe(true);
  });

  it('never makes two open reminders of one kind, and only an escalation supersedes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRANSITIONS),
        fc.array(fc.constantFrom('due', 'overdue', 'manual'), { maxLength: 4 }),
        fc.boolean(),
        (transition, kinds, emailReminders) => {
          const open: OpenReminder[] = kinds.map((kind, i) => ({ id: `r${i}`, kind }));
          const decision = reminderAtTimer({
            transition,
            urgent: false,
            open,
            nurse: ann,
            emailReminders,
          });
          if (!decision.create) return;
          expect(kinds).not.toContain(transition);
          expect(['due', 'overdue']).toContain(transition);
          // Whatever it supersedes is open on this step, and the new one is open afterwards.
          expect(decision.reminder.supersedes.every((id) => open.some((r) => r.id === id))).toBe(
            true,
          );
          if (transition === 'due') expect(decision.reminder.supersedes).toEqual([]);
          expect(decision.reminder.deliveries[0]?.channel).toBe('in_app');
          expect(decision.reminder.deliveries.some((d) => d.channel === 'email')).toBe(
            emailReminders,
          );
        },
      ),
    );
  });
});

describe('reminderSentNow', () => {
  const step = { title: 'DXA scan', status: 'open' as StepStatus, urgent: false };
  const sendNow = (over: Partial<Parameters<typeof reminderSentNow>[0]> = {}) =>
    reminderSentNow({
      step,
      nurse: ann,
      lastSentByHandAt: undefined,
      requestedBy: 'scheduler-1',
      now: NOW,
      ...over,
    });

  it("sends to the patient's nurse on the worklist and by e-mail, superseding nothing", () => {
    expect(sendNow({ step: { ...step, urgent: true } })).toEqual({
      allowed: true,
      reminder: {
        kind: 'manual',
        urgent: true,
        nurseId: 'nurse-1',
        requestedBy: 'scheduler-1',
        deliveries: [
          { channel: 'in_app', recipient: 'nurse-1' },
          { channel: 'email', recipient: 'ann@fls.test' },
        ],
        supersedes: [],
      },
    });
  });

  it.each(STATUSES.map((status) => [status, NEEDS_ACTION[status]]))(
    'a step that is %s: allowed %s',
    (status, allowed) => {
      const decision = sendNow({ step: { ...step, status: status as StepStatus } });
      expect(decision.allowed).toBe(allowed);
      if (!decision.allowed) {
        expect(decision).toMatchObject({ refusal: 'step-settled' });
        expect(decision.reason).toBe(
          `"DXA scan" is ${status}: it needs no reminder. Refresh the list to see the plan as it is now.`,
        );
      }
    },
  );

  it.each([
    [null, 'no-nurse'],
    [left, 'no-nurse'],
  ] as const)('refuses with no active nurse (%j)', (nurse, refusal) => {
    expect(sendNow({ nurse })).toMatchObject({
      allowed: false,
      refusal,
      reason: expect.stringMatching(/no active responsible nurse.*assign the patient/),
    });
  });

  it.each([
    // minutes since the last one sent by hand, allowed
    [0, false],
    [1, false],
    [14.99, false],
    [15, true],
    [60, true],
  ])('%s minutes after the last one sent by hand: allowed %s', (minutes, allowed) => {
    const decision = sendNow({ lastSentByHandAt: NOW - minutes * MINUTE });
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) {
      expect(decision.refusal).toBe('cool-down');
      expect(decision.reason).toBe(
        `A reminder about "DXA scan" was already sent to Ann at ${new Date(NOW - minutes * MINUTE).toISOString()}; wait 15 minutes before sending another (from ${new Date(NOW - minutes * MINUTE + 15 * MINUTE).toISOString()}).`,
      );
    }
  });

  it('refuses exactly within the cool-down, at any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 0, max: 2 * 3_600_000 }),
        (now, since) => {
          const decision = sendNow({ now, lastSentByHandAt: now - since });
          expect(decision.allowed).toBe(since >= MANUAL_REMINDER_COOLDOWN.ms);
        },
      ),
    );
  });

  it('says where the cool-down comes from: a service standard, not the guidance', () => {
    expect(MANUAL_REMINDER_COOLDOWN.ms).toBe(15 * MINUTE);
    expect(MANUAL_REMINDER_COOLDOWN.basis.kind).toBe('service-standard');
    expect(MANUAL_REMINDER_COOLDOWN.basis.explanation).toMatch(
      /guidance sets no interval.*15 minutes/,
    );
  });
});

describe('remindersClosedBySettling', () => {
  it('closes the reminders of every step that no longer needs action, as resolved', () => {
    const steps = STATUSES.map((status) => ({ key: `step-${status}`, status }));
    expect(remindersClosedBySettling(steps)).toEqual({
      stepKeys: ['step-completed', 'step-not-applicable', 'step-cancelled'],
      as: 'resolved',
    });
    expect(remindersClosedBySettling([]).stepKeys).toEqual([]);
  });

  it('and a step the policy closes is one a scheduler may no longer remind about', () => {
    for (const status of STATUSES) {
      const closes = remindersClosedBySettling([{ key: 'k', status }]).stepKeys.length === 1;
      const sendable = reminderSentNow({
        step: { title: 't', status, urgent: false },
        nurse: ann,
        lastSentByHandAt: undefined,
        requestedBy: 's',
        now: NOW,
      }).allowed;
      expect(closes).toBe(!sendable);
    }
  });
});
