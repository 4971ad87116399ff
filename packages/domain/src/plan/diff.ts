import type { Plan, PlanStep, Timer, TimerTransition } from './types.js';

/** What the queue must do so that its delayed jobs match the new plan. */
export type SchedulingCommand =
  | {
      readonly kind: 'schedule';
      /** The job id to add (deterministic, see Timer.id). */
      readonly id: string;
      readonly episodeId: string;
      readonly stepKey: string;
      readonly transition: TimerTransition;
      readonly fireAt: string;
      readonly urgent: boolean;
      readonly reason: string;
    }
  | {
      readonly kind: 'reschedule';
      readonly id: string;
      /** The job to remove before adding `id`. */
      readonly replaces: string;
      readonly episodeId: string;
      readonly stepKey: string;
      readonly transition: TimerTransition;
      readonly fireAt: string;
      readonly previousFireAt: string;
      readonly urgent: boolean;
      readonly reason: string;
    }
  | {
      readonly kind: 'cancel';
      /** The job to remove. */
      readonly id: string;
      readonly episodeId: string;
      readonly stepKey: string;
      readonly transition: TimerTransition;
      readonly reason: string;
    };

/** One change between two plans, with its reason, for the timeline and the audit log. */
export interface PlanChange {
  readonly stepKey: string;
  readonly title: string;
  readonly kind: 'added' | 'removed' | 'status' | 'window' | 'pathway-version';
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly reason: string;
}

export interface PlanDiff {
  readonly commands: readonly SchedulingCommand[];
  readonly changes: readonly PlanChange[];
}

const timerKey = (timer: Timer) => `${timer.stepKey}|${timer.transition}`;

/**
 * Compares two plans of one episode: the scheduling commands that turn the queue for `before`
 * into the queue for `after`, and what changed for a person to read. `before` is undefined for a
 * new episode. A plan compared with itself gives nothing.
 */
export function diffPlans(before: Plan | undefined, after: Plan): PlanDiff {
  if (before && before.episodeId !== after.episodeId) {
    throw new Error(
      `Cannot diff plans of different episodes (${before.episodeId}, ${after.episodeId})`,
    );
  }
  const afterSteps = new Map(after.steps.map((step) => [step.key, step]));
  const beforeSteps = new Map((before?.steps ?? []).map((step) => [step.key, step]));
  const oldTimers = new Map((before?.timers ?? []).map((t) => [timerKey(t), t]));
  const newTimers = new Map(after.timers.map((t) => [timerKey(t), t]));

  const commands: SchedulingCommand[] = [];
  for (const [key, timer] of newTimers) {
    const step = afterSteps.get(timer.stepKey);
    const reason = step ? `${step.title}: ${step.reason}` : timer.stepKey;
    const old = oldTimers.get(key);
    if (!old) {
      commands.push({
        kind: 'schedule',
        ...timerFields(timer),
        fireAt: timer.fireAt,
        urgent: timer.urgent,
        reason,
      });
    } else if (old.id !== timer.id) {
      commands.push({
        kind: 'reschedule',
        ...timerFields(timer),
        replaces: old.id,
        fireAt: timer.fireAt,
        previousFireAt: old.fireAt,
        urgent: timer.urgent,
        reason,
      });
    }
  }
  for (const [key, timer] of oldTimers) {
    if (newTimers.has(key)) continue;
    const step = afterSteps.get(timer.stepKey);
    const reason = step
      ? `${step.title}: ${step.reason}`
      : `${timer.stepKey} is no longer part of the plan (the entry that created it was corrected or withdrawn).`;
    commands.push({ kind: 'cancel', ...timerFields(timer), reason });
  }
  commands.sort(byCommandOrder);

  const changes: PlanChange[] = [];
  if (before && before.pathwayVersion !== after.pathwayVersion) {
    changes.push({
      stepKey: '',
      title: 'Pathway version',
      kind: 'pathway-version',
      before: before.pathwayVersion,
      after: after.pathwayVersion,
      reason: `Episode moved from pathway ${before.pathwayVersion} to ${after.pathwayVersion}.`,
    });
  }
  for (const step of after.steps) {
    const old = beforeSteps.get(step.key);
    if (!old) {
      changes.push({
        stepKey: step.key,
        title: step.title,
        kind: 'added',
        before: undefined,
        after: step.status,
        reason: step.reason,
      });
      continue;
    }
    if (old.status !== step.status) {
      changes.push({
        stepKey: step.key,
        title: step.title,
        kind: 'status',
        before: old.status,
        after: step.status,
        reason: step.reason,
      });
    }
    const oldWindow = windowText(old);
    const newWindow = windowText(step);
    if (oldWindow !== newWindow && old.status === step.status) {
      changes.push({
        stepKey: step.key,
        title: step.title,
        kind: 'window',
        before: oldWindow,
        after: newWindow,
        reason: step.reason,
      });
    }
  }
  for (const step of before?.steps ?? []) {
    if (!afterSteps.has(step.key)) {
      changes.push({
        stepKey: step.key,
        title: step.title,
        kind: 'removed',
        before: step.status,
        after: undefined,
        reason: 'The entry that created this step was corrected or withdrawn.',
      });
    }
  }
  return { commands, changes };
}

function timerFields(timer: Timer) {
  return {
    id: timer.id,
    episodeId: timer.episodeId,
    stepKey: timer.stepKey,
    transition: timer.transition,
  };
}

function windowText(step: PlanStep): string | undefined {
  const w = step.window;
  // The reminders too: a rescheduled due reminder is a change people need to see.
  const r = w?.reminders;
  return (
    w &&
    `${w.transitions.open} / ${w.transitions.due} / ${w.transitions.overdue}; reminders ${r?.due ?? 'none'} / ${r?.overdue}`
  );
}

const KIND_ORDER = { cancel: 0, reschedule: 1, schedule: 2 } as const;

// Cancels first, so a queue applying commands in order never holds two jobs for one transition.
function byCommandOrder(a: SchedulingCommand, b: SchedulingCommand): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Which of a new plan's timers must still fire when it is planned at `now`. A transition already
 * in the past is in effect already (the plan's status shows it). Of each step's past timers only
 * the latest may still fire, at once, and only when it is a reminder ('due' or 'overdue'), so
 * its nurse gets the reminder: a status change in the past needs no job, and an earlier reminder
 * is overtaken by whatever came after it (the next reminder comes on its own working morning).
 */
export function timersStillToFire(plan: Plan, now: number): Set<string> {
  const latestPast = new Map<string, Timer>();
  const pending = new Set<string>();
  for (const timer of plan.timers) {
    if (Date.parse(timer.fireAt) > now) pending.add(timer.id);
    else {
      const seen = latestPast.get(timer.stepKey);
      if (!seen || seen.fireAt < timer.fireAt) latestPast.set(timer.stepKey, timer);
    }
  }
  for (const timer of latestPast.values()) {
    if (timer.transition === 'due' || timer.transition === 'overdue') pending.add(timer.id);
  }
  return pending;
}
