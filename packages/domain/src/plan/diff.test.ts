import { describe, expect, it } from 'vitest';
import { scenario } from '../testing/scenario.js';
import { diffPlans, timersStillToFire } from './diff.js';

const denosumab = () =>
  scenario()
    .add('2025-02-03T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab', id: 'dmab' })
    .add('2025-08-04T10:00:00Z', { type: 'bone-therapy-dose', drug: 'denosumab', id: 'dose2' });

describe('diffPlans', () => {
  it('schedules every timer of a new episode, each with its deterministic job id', () => {
    const plan = scenario().plan('2025-01-06T15:00:00Z');
    const { commands, changes } = diffPlans(undefined, plan);
    expect(commands).toHaveLength(plan.timers.length);
    expect(commands.every((c) => c.kind === 'schedule')).toBe(true);
    expect(commands.map((c) => c.id).sort()).toEqual(plan.timers.map((t) => t.id).sort());
    expect(
      commands.find((c) => c.stepKey === 'exercise-programme-referral' && c.transition === 'due')
        ?.id,
    ).toBe('ep1_exercise-programme-referral_due_20250331T080000Z');
    expect(changes.every((c) => c.kind === 'added')).toBe(true);
  });

  it('reschedules (remove, then add) when a corrected dose date moves the next dose', () => {
    const before = denosumab().plan('2025-08-05T10:00:00Z');
    const after = denosumab()
      .add('2025-08-01T10:00:00Z', {
        type: 'bone-therapy-dose',
        drug: 'denosumab',
        id: 'dose2fix',
        supersedes: 'dose2',
        recordedAt: '2025-08-05T11:00:00Z',
      })
      .plan('2025-08-05T12:00:00Z');
    const { commands, changes } = diffPlans(before, after);
    const moved = commands.filter((c) => c.stepKey === 'denosumab-next-dose~dmab~3');
    // Status changes at the start of the guidance's days, reminders on working mornings.
    expect(moved.map((c) => [c.kind, c.transition])).toEqual([
      ['reschedule', 'due-day'],
      ['reschedule', 'due'],
      ['reschedule', 'overdue-day'],
      ['reschedule', 'overdue'],
    ]);
    const due = moved[1];
    expect(due?.kind === 'reschedule' && due.replaces).toBe(
      'ep1_denosumab-next-dose~dmab~3_due_20260204T090000Z',
    );
    expect(due?.kind === 'reschedule' && due.id).toBe(
      'ep1_denosumab-next-dose~dmab~3_due_20260202T090000Z',
    );
    expect(changes.find((c) => c.stepKey === 'denosumab-next-dose~dmab~3')?.kind).toBe('window');
  });

  it('cancels the pending timers of a completed step and of everything when the episode closes', () => {
    const base = () => scenario();
    const before = base().plan('2025-01-06T15:00:00Z');
    const afterAdvice = base()
      .completeStep('2025-01-06T15:30:00Z', 'self-management-advice')
      .plan('2025-01-06T16:00:00Z');
    const advice = diffPlans(before, afterAdvice);
    expect(advice.commands.map((c) => `${c.kind} ${c.stepKey} ${c.transition}`)).toEqual([
      'cancel self-management-advice due-day',
      'cancel self-management-advice due',
      'cancel self-management-advice overdue-day',
      'cancel self-management-advice overdue',
    ]);
    expect(advice.changes).toEqual([
      expect.objectContaining({
        stepKey: 'self-management-advice',
        kind: 'status',
        before: 'due',
        after: 'completed',
      }),
    ]);

    const closed = base()
      .add('2025-01-07T10:00:00Z', { type: 'closure', reason: 'transferred' })
      .plan('2025-01-07T11:00:00Z');
    const closure = diffPlans(before, closed);
    expect(closure.commands).toHaveLength(before.timers.length);
    expect(
      closure.commands.every((c) => c.kind === 'cancel' && /closed \(transferred\)/.test(c.reason)),
    ).toBe(true);
  });

  it('orders cancels before reschedules before schedules', () => {
    const before = denosumab().plan('2025-08-05T10:00:00Z');
    const after = denosumab()
      .add('2025-08-01T10:00:00Z', {
        type: 'bone-therapy-dose',
        drug: 'denosumab',
        id: 'fix',
        supersedes: 'dose2',
        recordedAt: '2025-08-05T11:00:00Z',
      })
      .completeStep('2025-08-05T11:00:00Z', 'dxa-scan', 'not-indicated')
      .add('2025-08-05T11:00:00Z', {
        type: 'pain-assessment',
        nrsAtRest: 8,
        nrsOnActivity: 8,
        functionalLimitation: 'moderate',
      })
      .plan('2025-08-05T12:00:00Z');
    const kinds = diffPlans(before, after).commands.map((c) => c.kind);
    expect(kinds).toEqual(
      [...kinds].sort(
        (a, b) =>
          ['cancel', 'reschedule', 'schedule'].indexOf(a) -
          ['cancel', 'reschedule', 'schedule'].indexOf(b),
      ),
    );
    expect(new Set(kinds)).toEqual(new Set(['cancel', 'reschedule', 'schedule']));
  });

  it('refuses to compare plans of two different episodes', () => {
    const a = scenario({ episodeId: 'epA' }).plan('2025-01-06T15:00:00Z');
    const b = scenario({ episodeId: 'epB' }).plan('2025-01-06T15:00:00Z');
    expect(() => diffPlans(a, b)).toThrow(/different episodes/);
  });
});

describe('timersStillToFire', () => {
  it('keeps every future timer, and of past ones only each step’s latest due or overdue', () => {
    // Identified long after the fracture: many windows have passed already.
    const now = Date.parse('2025-09-01T10:00:00Z');
    const plan = scenario().plan('2025-09-01T10:00:00Z');
    const fires = timersStillToFire(plan, now);
    const past = plan.timers.filter((t) => Date.parse(t.fireAt) <= now);
    expect(past.length).toBeGreaterThan(0);
    for (const timer of plan.timers) {
      if (Date.parse(timer.fireAt) > now) expect(fires.has(timer.id)).toBe(true);
    }
    const firingPast = past.filter((t) => fires.has(t.id));
    expect(firingPast.every((t) => t.transition !== 'open')).toBe(true);
    const steps = new Set(firingPast.map((t) => t.stepKey));
    expect(firingPast).toHaveLength(steps.size);
    for (const timer of firingPast) {
      const later = past.filter(
        (t) => t.stepKey === timer.stepKey && t.transition !== 'open' && t.fireAt > timer.fireAt,
      );
      expect(later).toEqual([]);
    }
    expect(steps.size).toBe(
      new Set(past.filter((t) => t.transition !== 'open').map((t) => t.stepKey)).size,
    );
  });
});
