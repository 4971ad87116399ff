import type { StepDefinition } from '../pathway/definition.js';
import { type PathwayRegistry, PUBLISHED_PATHWAYS } from '../pathway/registry.js';
import type { SourceRef } from '../pathway/sources.js';

/**
 * In which order overdue steps across every caseload need attention. The order is clinical, so it
 * lives here with its sources; the database only carries it out (a rank per step id).
 *
 *   1. A late denosumab dose: delaying or stopping denosumab is followed by rebound bone loss and
 *      new (often multiple) vertebral fractures, so it is the most harmful lateness.
 *   2. Steps the pathway marks urgent (the red flags, which need action within hours).
 *   3. Every other overdue step.
 *
 * Within a tier, the step that has been overdue longest comes first.
 */
export type OverdueRiskTierId = 'late-denosumab' | 'urgent' | 'routine';

export interface OverdueRiskTier {
  readonly id: OverdueRiskTierId;
  /** 0 is the highest risk. */
  readonly rank: number;
  readonly label: string;
  readonly why: string;
  readonly sources: readonly SourceRef[];
}

const DENOSUMAB_STOPPING: SourceRef = {
  document: 'qaAcuteManagement',
  section: 'Long-term Management and Prevention of Additional Fractures',
  quote:
    'Discontinuation of denosumab is associated with significantly increased risk of subsequent fractures and mortality',
};
const DENOSUMAB_PERSISTENCE: SourceRef = {
  document: 'qaAcuteManagement',
  section: 'Long-term Management and Prevention of Additional Fractures',
  quote:
    'Persistent denosumab users show significantly lower risk of developing subsequent osteoporotic fractures compared to bisphosphonate users or non-persistent denosumab users',
};
const IMMEDIATE_SURGICAL_REFERRAL: SourceRef = {
  document: 'qaRedFlags',
  section: 'Surgical Consultation (Urgent/Emergent Indications)',
  quote: 'Immediate surgical referral is mandatory for:',
};

export const OVERDUE_RISK_TIERS: readonly OverdueRiskTier[] = [
  {
    id: 'late-denosumab',
    rank: 0,
    label: 'Late denosumab dose',
    why: 'A denosumab dose more than 4 weeks late: delaying or stopping denosumab is followed by rebound bone loss and new, often multiple, vertebral fractures.',
    sources: [DENOSUMAB_STOPPING, DENOSUMAB_PERSISTENCE],
  },
  {
    id: 'urgent',
    rank: 1,
    label: 'Urgent',
    why: 'A step the pathway marks urgent (the red flags: spinal surgical referral, suspected malignancy, unstable fracture) needs action within hours.',
    sources: [IMMEDIATE_SURGICAL_REFERRAL],
  },
  {
    id: 'routine',
    rank: 2,
    label: 'Routine',
    why: 'Every other overdue step; the longest overdue first.',
    sources: [],
  },
];

const TIER: Readonly<Record<OverdueRiskTierId, OverdueRiskTier>> = Object.fromEntries(
  OVERDUE_RISK_TIERS.map((tier) => [tier.id, tier]),
) as Record<OverdueRiskTierId, OverdueRiskTier>;

/**
 * The tier of a step once it is overdue. Read from the step's definition, not its id, so a new
 * pathway version's denosumab or red-flag step is ranked without a change here. An overdue step's
 * urgency is fixed by its definition ("urgent", or "urgent-when-overdue"), so the tier of an
 * overdue step is a function of its step id alone, which is what lets a database index carry it.
 */
export function overdueRiskTierOf(step: StepDefinition): OverdueRiskTier {
  const { trigger } = step;
  if (trigger.kind === 'next-dose' && trigger.drugs.includes('denosumab')) {
    return TIER['late-denosumab'];
  }
  if (step.urgency === 'urgent' || step.urgency === 'urgent-when-overdue') return TIER.urgent;
  return TIER.routine;
}

/** The rank for step ids no published pathway defines (none should exist): last, not lost. */
export const UNKNOWN_STEP_RANK = TIER.routine.rank;

/**
 * Rank (0 = highest risk) of every step id of every published pathway version. Where versions
 * disagree about a step id, the higher risk wins: an overdue step is never ranked lower than
 * some version says it should be.
 */
export function overdueRiskRanks(
  pathways: PathwayRegistry = PUBLISHED_PATHWAYS,
): ReadonlyMap<string, number> {
  const ranks = new Map<string, number>();
  for (const version of pathways.versions()) {
    for (const step of pathways.find(version)?.steps ?? []) {
      const rank = overdueRiskTierOf(step).rank;
      ranks.set(step.id, Math.min(rank, ranks.get(step.id) ?? rank));
    }
  }
  return ranks;
}

export function overdueRiskRankOf(stepId: string, ranks: ReadonlyMap<string, number>): number {
  return ranks.get(stepId) ?? UNKNOWN_STEP_RANK;
}

export function overdueRiskTierOfRank(rank: number): OverdueRiskTier {
  return OVERDUE_RISK_TIERS.find((tier) => tier.rank === rank) ?? TIER.routine;
}

/** What the ordering needs to know about an overdue step. */
export interface OverdueStepRef {
  readonly stepId: string;
  /** The instant the step became overdue (epoch milliseconds or ISO text). */
  readonly overdueAt: number | string;
  readonly episodeId: string;
  readonly key: string;
}

const instant = (value: number | string) => (typeof value === 'number' ? value : Date.parse(value));
const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Highest risk first: by tier, then longest overdue first, then by episode and step key so the
 * order is total and stable (pages never repeat or skip a row).
 */
export function compareOverdueRisk(
  a: OverdueStepRef,
  b: OverdueStepRef,
  ranks: ReadonlyMap<string, number> = overdueRiskRanks(),
): number {
  return (
    overdueRiskRankOf(a.stepId, ranks) - overdueRiskRankOf(b.stepId, ranks) ||
    instant(a.overdueAt) - instant(b.overdueAt) ||
    text(a.episodeId, b.episodeId) ||
    text(a.key, b.key)
  );
}
