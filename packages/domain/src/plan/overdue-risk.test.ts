import { describe, expect, it } from 'vitest';
import type { PathwayDefinition, StepDefinition } from '../pathway/definition.js';
import { createPathwayRegistry, findPathway, pathwayVersions } from '../pathway/registry.js';
import { ROS_2022_V1 } from '../pathway/versions/ros-2022.1.js';
import {
  quotesNotInTheirSources,
  SEED_DOCUMENTS_PRESENT,
} from '../testing/seed-documents.test-support.js';
import {
  compareOverdueRisk,
  OVERDUE_RISK_TIERS,
  type OverdueStepRef,
  overdueRiskRankOf,
  overdueRiskRanks,
  overdueRiskTierOf,
  UNKNOWN_STEP_RANK,
} from './overdue-risk.js';

const definition = findPathway('ros-2022.1') as PathwayDefinition;
const step = (id: string) => definition.steps.find((s) => s.id === id) as StepDefinition;

describe('overdue risk tiers', () => {
  it('puts a late denosumab dose first, then the red flags, then everything else', () => {
    expect(overdueRiskTierOf(step('denosumab-next-dose')).id).toBe('late-denosumab');
    for (const id of [
      'red-flag-neurological-deficit',
      'red-flag-suspected-malignancy',
      'red-flag-multiple-column',
    ]) {
      expect(overdueRiskTierOf(step(id)).id, id).toBe('urgent');
    }
    for (const id of ['falls-risk-assessment', 'dxa-scan', 'zoledronic-acid-next-dose']) {
      expect(overdueRiskTierOf(step(id)).id, id).toBe('routine');
    }
    expect(OVERDUE_RISK_TIERS.map((t) => t.rank)).toEqual([0, 1, 2]);
  });

  it('ranks every step of the published pathway, and an unknown step id last', () => {
    const ranks = overdueRiskRanks();
    const ids = new Set(
      pathwayVersions().flatMap((v) => (findPathway(v)?.steps ?? []).map((s) => s.id)),
    );
    expect([...ranks.keys()].sort()).toEqual([...ids].sort());
    expect(overdueRiskRankOf('no-such-step', ranks)).toBe(UNKNOWN_STEP_RANK);
    expect(UNKNOWN_STEP_RANK).toBe(2);
  });

  it('reads the tier from the definition, and the higher risk wins where versions disagree', () => {
    // A later version whose falls assessment became urgent and whose denosumab step was renamed.
    const changed: PathwayDefinition = {
      ...ROS_2022_V1,
      version: 'test-2.0',
      steps: ROS_2022_V1.steps.map((s) =>
        s.id === 'falls-risk-assessment'
          ? { ...s, urgency: 'urgent' }
          : s.id === 'denosumab-next-dose'
            ? { ...s, id: 'denosumab-dose-v2' }
            : s,
      ),
    };
    const ranks = overdueRiskRanks(createPathwayRegistry([ROS_2022_V1, changed], 'test-2.0'));
    expect(ranks.get('falls-risk-assessment')).toBe(1);
    expect(ranks.get('denosumab-dose-v2')).toBe(0);
    expect(ranks.get('denosumab-next-dose')).toBe(0);
    expect(ranks.get('dxa-scan')).toBe(2);
  });

  it.skipIf(!SEED_DOCUMENTS_PRESENT)('quotes its sources word for word', () => {
    expect(quotesNotInTheirSources(OVERDUE_RISK_TIERS.flatMap((tier) => tier.sources))).toEqual([]);
    expect(OVERDUE_RISK_TIERS[0]?.sources.length).toBeGreaterThan(0);
  });
});

describe('compareOverdueRisk', () => {
  const ref = (stepId: string, overdueAt: string, episodeId = 'ep-1', key = stepId) =>
    ({ stepId, overdueAt, episodeId, key }) satisfies OverdueStepRef;

  it('orders by tier, then longest overdue first, then episode and key', () => {
    const lateDenosumab = ref('denosumab-next-dose', '2026-11-20T09:00:00Z', 'ep-9', 'd~a~2');
    const redFlag = ref('red-flag-neurological-deficit', '2026-11-19T14:00:00Z', 'ep-3');
    const oldFalls = ref('falls-risk-assessment', '2026-01-05T09:00:00Z', 'ep-5');
    const newDxa = ref('dxa-scan', '2026-11-01T09:00:00Z', 'ep-1');
    const sameTimeA = ref('laboratory-screen', '2026-11-01T09:00:00Z', 'ep-2');
    const sameTimeB = ref('dxa-scan', '2026-11-01T09:00:00Z', 'ep-2');
    const sorted = [newDxa, sameTimeA, oldFalls, redFlag, sameTimeB, lateDenosumab].sort((a, b) =>
      compareOverdueRisk(a, b),
    );
    expect(sorted).toEqual([lateDenosumab, redFlag, oldFalls, newDxa, sameTimeB, sameTimeA]);
  });

  it('is a total order: the same rows in any order sort the same way', () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      ref(
        ['dxa-scan', 'denosumab-next-dose', 'red-flag-multiple-column', 'other'][i % 4] as string,
        new Date(Date.UTC(2026, 10, 1 + (i % 5))).toISOString(),
        `ep-${i % 7}`,
        `k${i}`,
      ),
    );
    const once = [...rows].sort((a, b) => compareOverdueRisk(a, b));
    const reversed = [...rows].reverse().sort((a, b) => compareOverdueRisk(a, b));
    expect(reversed).toEqual(once);
    expect(once[0]?.stepId).toBe('denosumab-next-dose');
    expect(once.at(-1)?.stepId).not.toBe('denosumab-next-dose');
  });
});
