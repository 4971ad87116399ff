import { ageInWords, type PainSummary } from '@vfx/domain';
import { formatCalendarDate } from './dates';

const TREND = {
  better: { arrow: '↓', words: 'better than the assessment before' },
  worse: { arrow: '↑', words: 'worse than the assessment before' },
  same: { arrow: '→', words: 'same as the assessment before' },
  first: { arrow: '', words: 'first assessment' },
} as const;

/**
 * "NRS 6 moderate ↓" with the trend also in words for screen readers and the tooltip, the date
 * of the score and its age, and "Stale — reassess" in words when it is older than the pathway's
 * limit (hazard: advice from stale data), so the badge is never read as today's pain.
 */
export function PainScore({ pain }: { pain: PainSummary | undefined }) {
  if (!pain) return <span className="muted">Not assessed</span>;
  const trend = TREND[pain.trend];
  const { age } = pain.latest;
  const detail = `Worst of rest ${pain.latest.atRest} and activity ${pain.latest.onActivity}; ${trend.words}${pain.previousWorst === undefined ? '' : ` (${pain.previousWorst})`}`;
  return (
    <span className="pain-score" data-stale={age.stale ? 'true' : undefined}>
      <span title={detail}>
        <span className={`badge pain-${pain.latest.band}`}>
          NRS {pain.latest.worst} {pain.latest.band}
        </span>{' '}
        <span aria-hidden="true">{trend.arrow}</span>
        <span className="visually-hidden">{trend.words}</span>
      </span>
      <span className="muted small pain-when">
        Scored <time dateTime={age.on}>{formatCalendarDate(age.on)}</time> (
        {ageInWords(age.ageDays)})
      </span>
      {age.stale ? (
        <span className="badge tone-warn stale-flag">
          Stale — reassess
          <span className="visually-hidden">
            : older than the {age.limitDays}-day limit for a pain score
          </span>
        </span>
      ) : null}
    </span>
  );
}
