import { describe, expect, it } from 'vitest';
import { scenario } from '../testing/scenario.js';
import {
  byRecommendationPriority,
  compareRecommendationPriority,
  RECOMMENDATION_PRIORITIES,
  recommendationPriorityRank,
} from './recommendation-order.js';

const rec = (id: string, priority: 'urgent' | 'high' | 'routine') => ({ id, priority });

describe('recommendation priority order', () => {
  it('puts urgent before high before routine', () => {
    expect(RECOMMENDATION_PRIORITIES).toEqual(['urgent', 'high', 'routine']);
    expect(compareRecommendationPriority(rec('a', 'urgent'), rec('b', 'high'))).toBeLessThan(0);
    expect(compareRecommendationPriority(rec('a', 'routine'), rec('b', 'high'))).toBeGreaterThan(0);
    expect(compareRecommendationPriority(rec('a', 'high'), rec('b', 'high'))).toBe(0);
  });

  it('keeps the given order within a priority, and leaves the input as it was', () => {
    const given = [
      rec('r1', 'routine'),
      rec('h1', 'high'),
      rec('r2', 'routine'),
      rec('u1', 'urgent'),
      rec('h2', 'high'),
      rec('u2', 'urgent'),
    ];
    const copy = [...given];
    expect(byRecommendationPriority(given).map((r) => r.id)).toEqual([
      'u1',
      'u2',
      'h1',
      'h2',
      'r1',
      'r2',
    ]);
    expect(given).toEqual(copy);
  });

  it('refuses a priority it does not know, instead of placing it anywhere', () => {
    expect(() => recommendationPriorityRank('soon' as 'urgent')).toThrow(
      /Unknown recommendation priority "soon"/,
    );
  });

  it('lists a denosumab dose more than 4 weeks late first among a plan’s recommendations', () => {
    const plan = scenario()
      .add('2025-02-03T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab', id: 'dmab' })
      .plan('2025-09-02T10:00:00Z');
    const ids = plan.recommendations.map((r) => r.id);
    expect(ids).toContain('denosumab-dose-late');
    expect(ids.length).toBeGreaterThan(1);
    const ordered = byRecommendationPriority(plan.recommendations);
    expect(ordered[0]?.id).toBe('denosumab-dose-late');
    const ranks = ordered.map((r) => recommendationPriorityRank(r.priority));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});
