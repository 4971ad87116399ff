import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { FollowUpHandlers } from './follow-ups/follow-up.handlers.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { StateGauges } from './metrics/state-gauges.js';
import { OutboxRelay } from './outbox/outbox-relay.service.js';
import { Queues } from './queue/queues.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import { ReminderHandlers } from './reminders/reminder.handlers.js';

// Without decorator metadata (tsx emits none), Nest injects `undefined` for a constructor
// parameter that has no @Inject, silently. Every provider must name each of its tokens.
const SELF_DECLARED_DEPS = 'self:paramtypes';
const providers = [
  FollowUpHandlers,
  ReminderHandlers,
  OutboxRelay,
  Reconciler,
  Queues,
  StateGauges,
  HealthController,
  MetricsController,
];

describe('dependency injection', () => {
  it.each(providers)('%o names a token for every constructor parameter', (provider) => {
    const declared: { index: number }[] = Reflect.getMetadata(SELF_DECLARED_DEPS, provider) ?? [];
    const missing = Array.from({ length: provider.length }, (_, i) => i).filter(
      (index) => !declared.some((d) => d.index === index),
    );
    expect(missing).toEqual([]);
  });
});
