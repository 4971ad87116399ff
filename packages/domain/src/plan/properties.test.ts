import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClinicalEvent,
  type ClinicalEventInput,
  EVENT_TYPES,
  REFERRAL_TYPES,
} from '../inputs/schemas.js';
import { parseEpisodeRecord } from '../inputs/validate.js';
import { BONE_THERAPY_DRUGS } from '../pathway/drugs.js';
import {
  asOfArb,
  type EpisodeRecordInput,
  episodeRecordArb,
  instantAfter,
  recordWithAsOfArb,
  scenarioFromRecord,
} from '../testing/arbitraries.js';
import { serviceCalendar } from '../time/settings.js';
import { computePlan, isActive, stepAtTimer } from './compute-plan.js';
import { diffPlans } from './diff.js';
import type { Plan, PlanStep, TimerTransition, Transition } from './types.js';

// Property-based invariants of planning and plan diffs over generated, validated episode records.
// fast-check picks a fresh seed each run; a failure prints the seed and the shrunk record. The
// generous timeouts are for slow machines and coverage runs; each property takes about a second.

const RUNS = { numRuns: 150 };

/** Validates the record as of `asOf` (so a bad generator fails loudly) and plans it. */
function planned(record: EpisodeRecordInput, asOf: string) {
  const parsed = parseEpisodeRecord(record, { now: asOf });
  return { parsed, plan: computePlan({ ...parsed, asOf }) };
}

function planWithEvents(
  parsed: ReturnType<typeof parseEpisodeRecord>,
  events: readonly ClinicalEvent[],
  asOf: string,
): Plan {
  return computePlan({ patient: parsed.patient, episode: parsed.episode, events, asOf });
}

const ms = (iso: string) => Date.parse(iso);

function statusAt(asOf: number, step: PlanStep): PlanStep['status'] {
  const t = step.window?.transitions;
  if (!t) throw new Error(`active step ${step.key} has no window`);
  if (asOf < ms(t.open)) return 'upcoming';
  if (asOf < ms(t.due)) return 'open';
  if (asOf < ms(t.overdue)) return 'due';
  return 'overdue';
}

/** Appends an entry recorded after everything else and revalidates the whole log. */
function withAppended(record: EpisodeRecordInput, event: ClinicalEventInput) {
  const appended: EpisodeRecordInput = { ...record, events: [...record.events, event] };
  return parseEpisodeRecord(appended, { now: event.recordedAt });
}

describe('generated episode records', { timeout: 60_000 }, () => {
  it('every generated record passes parseEpisodeRecord, and the scenario builder plans it identically', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const { parsed, plan } = planned(record, asOf);
        expect(parsed.events).toHaveLength(record.events.length);
        expect(scenarioFromRecord(record).plan(asOf)).toEqual(plan);
      }),
      { numRuns: 100 },
    );
  });

  it('covers every event type, referral type and drug, both identifier kinds and care settings', () => {
    const samples = fc.sample(episodeRecordArb(), 400);
    const seen = new Set<string>();
    for (const { patient, episode, events } of samples) {
      seen.add(`identifier:${patient.identifier.kind}`);
      seen.add(`care:${episode.careSetting.kind}`);
      if (episode.neurologicalDeficit) seen.add('red-flag:neurological');
      for (const event of events) {
        seen.add(event.type);
        if (event.supersedes && event.type !== 'retraction') seen.add('correction');
        if (event.type === 'referral') seen.add(`referral:${event.referralType}`);
        if (event.type === 'bone-therapy-started') seen.add(`drug:${event.drug}`);
      }
    }
    const expected = [
      'identifier:nhs-number',
      'identifier:mrn',
      'care:community',
      'care:admitted',
      'red-flag:neurological',
      'correction',
      ...EVENT_TYPES,
      ...REFERRAL_TYPES.map((type) => `referral:${type}`),
      ...BONE_THERAPY_DRUGS.map((drug) => `drug:${drug}`),
    ];
    expect(expected.filter((item) => !seen.has(item))).toEqual([]);
  });
});

describe('plan invariants', { timeout: 60_000 }, () => {
  it('a. every step window is ordered: open <= due < overdue, and opens <= due < overdueFrom', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const { plan } = planned(record, asOf);
        for (const step of plan.steps) {
          const w = step.window;
          if (!w) continue;
          const { open, due, overdue } = w.transitions;
          expect(ms(open) <= ms(due), `${step.key}: open ${open} after due ${due}`).toBe(true);
          expect(ms(due) < ms(overdue), `${step.key}: due ${due} not before ${overdue}`).toBe(true);
          if (w.granularity === 'day') {
            // Local dates YYYY-MM-DD sort as text.
            expect(w.opens <= w.due, `${step.key}: opens ${w.opens} > due ${w.due}`).toBe(true);
            expect(w.due < w.overdueFrom, `${step.key}: due ${w.due} >= ${w.overdueFrom}`).toBe(
              true,
            );
          } else {
            expect(ms(w.opens) <= ms(w.due), `${step.key}: opens after due`).toBe(true);
            expect(ms(w.due) < ms(w.overdueFrom), `${step.key}: due not before overdue`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('b. planning is deterministic and does not depend on the order of the events array', () => {
    const arb = recordWithAsOfArb().chain(({ record, asOf }) =>
      fc
        .shuffledSubarray([...record.events.keys()], {
          minLength: record.events.length,
          maxLength: record.events.length,
        })
        .map((order) => ({ record, asOf, order })),
    );
    fc.assert(
      fc.property(arb, ({ record, asOf, order }) => {
        const { parsed, plan } = planned(record, asOf);
        expect(planWithEvents(parsed, parsed.events, asOf)).toEqual(plan);
        const shuffled = order.map((i) => parsed.events[i] as ClinicalEvent);
        expect(planWithEvents(parsed, shuffled, asOf)).toEqual(plan);
        expect(planWithEvents(parsed, [...parsed.events].reverse(), asOf)).toEqual(plan);
      }),
      RUNS,
    );
  });

  it('c. a plan diffed with itself gives nothing; from no plan, one schedule command per timer', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const { plan } = planned(record, asOf);
        expect(diffPlans(plan, plan)).toEqual({ commands: [], changes: [] });

        const fresh = diffPlans(undefined, plan);
        expect(fresh.commands).toHaveLength(plan.timers.length);
        expect(fresh.commands.every((c) => c.kind === 'schedule')).toBe(true);
        const byId = new Map(fresh.commands.map((c) => [c.id, c]));
        for (const timer of plan.timers) {
          const command = byId.get(timer.id);
          expect(command, `no schedule command for ${timer.id}`).toMatchObject({
            kind: 'schedule',
            episodeId: timer.episodeId,
            stepKey: timer.stepKey,
            transition: timer.transition,
            fireAt: timer.fireAt,
            urgent: timer.urgent,
          });
        }
      }),
      RUNS,
    );
  });

  it('d. timer ids are unique within a plan, contain no ":" and are stable', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const { parsed, plan } = planned(record, asOf);
        const ids = plan.timers.map((t) => t.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.filter((id) => id.includes(':'))).toEqual([]);
        // One timer per step and transition, too (the diff keys timers that way).
        const keys = plan.timers.map((t) => `${t.stepKey}|${t.transition}`);
        expect(new Set(keys).size).toBe(keys.length);
        const again = planWithEvents(parsed, [...parsed.events].reverse(), asOf);
        expect(again.timers.map((t) => t.id)).toEqual(ids);
      }),
      RUNS,
    );
  });

  it('e. recording a completion never reschedules that step', () => {
    const arb = recordWithAsOfArb({ closure: 'never' }).chain(({ record, asOf }) =>
      fc.record({
        record: fc.constant(record),
        asOf: fc.constant(asOf),
        pick: fc.nat(),
        outcome: fc.constantFrom('done' as const, 'declined' as const, 'not-indicated' as const),
        delayMinutes: fc.integer({ min: 1, max: 60 * 24 * 30 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ record, asOf, pick, outcome, delayMinutes }) => {
        const { plan: before } = planned(record, asOf);
        const active = before.steps.filter((step) => isActive(step.status));
        if (active.length === 0) return;
        const step = active[pick % active.length] as PlanStep;
        const at = instantAfter(asOf, delayMinutes);
        const parsed = withAppended(record, {
          id: 'probe.completion',
          type: 'step-completed',
          stepKey: step.key,
          outcome,
          occurredAt: at,
          recordedAt: at,
          recordedBy: 'nurse-probe',
        });
        const after = computePlan({ ...parsed, asOf: at });
        const { commands } = diffPlans(before, after);

        const moved = commands.filter((c) => c.kind !== 'cancel' && c.stepKey === step.key);
        expect(moved).toEqual([]);
        const cancelled = new Set(
          commands.filter((c) => c.kind === 'cancel' && c.stepKey === step.key).map((c) => c.id),
        );
        const stepTimers = before.timers.filter((t) => t.stepKey === step.key);
        expect(stepTimers.length).toBeGreaterThan(0);
        expect(stepTimers.filter((t) => !cancelled.has(t.id))).toEqual([]);
        expect(after.timers.filter((t) => t.stepKey === step.key)).toEqual([]);
        const completed = after.steps.find((s) => s.key === step.key);
        expect(completed?.status).toBe('completed');
        expect(completed?.completion).toMatchObject({ eventId: 'probe.completion', outcome });
      }),
      RUNS,
    );
  });

  it('f. asOf only moves statuses, not timers', () => {
    const arb = episodeRecordArb().chain((record) =>
      fc.tuple(fc.constant(record), asOfArb(record), asOfArb(record)),
    );
    fc.assert(
      fc.property(arb, ([record, asOf1, asOf2]) => {
        const latest = ms(asOf1) > ms(asOf2) ? asOf1 : asOf2;
        const parsed = parseEpisodeRecord(record, { now: latest });
        const plan1 = planWithEvents(parsed, parsed.events, asOf1);
        const plan2 = planWithEvents(parsed, parsed.events, asOf2);
        expect(plan2.timers).toEqual(plan1.timers);
        expect(diffPlans(plan1, plan2).commands).toEqual([]);
        expect(diffPlans(plan2, plan1).commands).toEqual([]);
      }),
      RUNS,
    );
  });

  it('g. statuses agree with timers: each active step is upcoming/open/due/overdue by asOf', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const { plan } = planned(record, asOf);
        const now = ms(plan.asOf);
        expect(now).toBe(ms(asOf));
        for (const step of plan.steps) {
          const timers = plan.timers.filter((t) => t.stepKey === step.key);
          if (!isActive(step.status)) {
            expect(timers, `${step.key} is ${step.status} but has timers`).toEqual([]);
            continue;
          }
          expect(step.status, `${step.key} at ${asOf}`).toBe(statusAt(now, step));
          // A timer for each status change and each reminder; a reminder at the instant of its
          // status change (hour windows) is one timer that does both.
          const t = step.window?.transitions as Readonly<Record<Transition, string>>;
          const r = step.window?.reminders as NonNullable<PlanStep['window']>['reminders'];
          const expected: [TimerTransition, string][] = [];
          if (ms(t.open) < ms(t.due)) expected.push(['open', t.open]);
          if (r.due !== t.due) expected.push(['due-day', t.due]);
          if (r.due !== undefined) expected.push(['due', r.due]);
          if (r.overdue !== t.overdue) expected.push(['overdue-day', t.overdue]);
          expected.push(['overdue', r.overdue]);
          expect(timers.map((timer) => [timer.transition, timer.fireAt]).sort(), step.key).toEqual(
            expected.sort(),
          );
        }
      }),
      RUNS,
    );
  });

  it('g3. a reschedule moves only the due reminder, to the clinic time of a working day in the window, never a status change', () => {
    const calendar = serviceCalendar();
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const { parsed, plan } = planned(record, asOf);
        const rescheduleIds = new Set(
          parsed.events.filter((e) => e.type === 'step-rescheduled').map((e) => e.id),
        );
        if (rescheduleIds.size === 0) return;
        // The same log without any reschedule (or the withdrawal of one).
        const unmoved = planWithEvents(
          parsed,
          parsed.events.filter(
            (e) =>
              !rescheduleIds.has(e.id) &&
              !(e.type === 'retraction' && rescheduleIds.has(e.supersedes)),
          ),
          asOf,
        );
        expect(plan.steps.map((s) => s.key)).toEqual(unmoved.steps.map((s) => s.key));
        plan.steps.forEach((step, index) => {
          const moved = step.window;
          const planned = unmoved.steps[index]?.window;
          if (!moved || !planned) {
            expect(moved).toEqual(planned);
            return;
          }
          // Status changes follow the guidance's dates, which a reschedule never moves.
          expect(moved.transitions, step.key).toEqual(planned.transitions);
          expect(moved.reminders.overdue, step.key).toBe(planned.reminders.overdue);
          expect([moved.opens, moved.due, moved.overdueFrom]).toEqual([
            planned.opens,
            planned.due,
            planned.overdueFrom,
          ]);
          const day = moved.rescheduledTo;
          if (day === undefined) {
            expect(moved.reminders.due).toBe(planned.reminders.due);
            return;
          }
          expect(moved.granularity).toBe('day');
          expect(day >= moved.opens && day < moved.overdueFrom, `${step.key} on ${day}`).toBe(true);
          expect(calendar.isWorkingDay(day), `${day} is a working day`).toBe(true);
          expect(ms(moved.reminders.due ?? '')).toBe(calendar.atClinicTime(day));
        });
      }),
      RUNS,
    );
  });

  it('g2. applying a timer without re-planning gives what computePlan gives when it is applied', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const { parsed, plan } = planned(record, asOf);
        // A timer is applied at its time, or at once if it was planned after its time (the
        // events that made it were recorded later).
        const known = Math.max(0, ...parsed.events.map((event) => ms(event.recordedAt)));
        for (const timer of plan.timers) {
          const appliedAt = Math.max(ms(timer.fireAt), known);
          // When a later transition of the step is also due by then, the worker applies that one
          // and supersedes this one.
          const later = plan.timers
            .slice(plan.timers.indexOf(timer) + 1)
            .some((t) => t.stepKey === timer.stepKey && ms(t.fireAt) <= appliedAt);
          if (later) continue;
          const then = planWithEvents(parsed, parsed.events, new Date(appliedAt).toISOString());
          const step = then.steps.find((s) => s.key === timer.stepKey) as PlanStep;
          const window = step.window as NonNullable<PlanStep['window']>;
          expect(stepAtTimer(window, timer), `${timer.id}`).toEqual({
            status: step.status,
            reason: step.reason,
            urgent: step.urgent,
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('h. closure cancels everything', () => {
    const arb = recordWithAsOfArb({ closure: 'never' }).chain(({ record, asOf }) =>
      fc.record({
        record: fc.constant(record),
        asOf: fc.constant(asOf),
        reason: fc.constantFrom('discharged' as const, 'transferred' as const, 'died' as const),
        delayMinutes: fc.integer({ min: 1, max: 60 * 24 * 30 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ record, asOf, reason, delayMinutes }) => {
        const { plan: before } = planned(record, asOf);
        const at = instantAfter(asOf, delayMinutes);
        const parsed = withAppended(record, {
          id: 'probe.closure',
          type: 'closure',
          reason,
          occurredAt: at,
          recordedAt: at,
          recordedBy: 'nurse-probe',
        });
        const after = computePlan({ ...parsed, asOf: at });
        expect(after.closure).toEqual({ reason, at: new Date(ms(at)).toISOString() });
        expect(after.timers).toEqual([]);
        expect(after.recommendations).toEqual([]);
        const afterByKey = new Map(after.steps.map((s) => [s.key, s]));
        for (const step of before.steps.filter((s) => isActive(s.status))) {
          expect(afterByKey.get(step.key)?.status, step.key).toBe('cancelled');
        }
        expect(after.steps.filter((s) => isActive(s.status))).toEqual([]);
        const { commands } = diffPlans(before, after);
        expect(commands.every((c) => c.kind === 'cancel')).toBe(true);
        expect(commands.map((c) => c.id).sort()).toEqual(before.timers.map((t) => t.id).sort());
      }),
      RUNS,
    );
  });
});
