import type { PainSummary } from '@vfx/domain';

const TREND = {
  better: { arrow: '↓', words: 'better than the assessment before' },
  worse: { arrow: '↑', words: 'worse than the assessment before' },
  same: { arrow: '→', words: 'same as the assessment before' },
  first: { arrow: '', words: 'first assessment' },
} as const;

/** "NRS 6 moderate ↓" with the trend also in words for screen readers and the tooltip. */
export function PainScore({ pain }: { pain: PainSummary | undefined }) {
  if (!pain) return <span className="muted">Not assessed</span>;
  const trend = TREND[pain.trend];
  const detail = `Worst of rest ${pain.latest.atRest} and activity ${pain.latest.onActivity}; ${trend.words}${pain.previousWorst === undefined ? '' : ` (${pain.previousWorst})`}`;
  return (
    <span title={detail}>
      <span className={`badge pain-${pain.latest.band}`}>
        NRS {pain.latest.worst} {pain.latest.band}
      </span>{' '}
      <span aria-hidden="true">{trend.arrow}</span>
      <span className="visually-hidden">{trend.words}</span>
    </span>
  );
}
