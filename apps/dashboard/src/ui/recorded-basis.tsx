import { ageInWords, type PlanRecommendation, RECORDED_VALUE_NAMES } from '@vfx/domain';
import { formatCalendarDate } from './dates';
import { Tag } from './status';

/**
 * What a recommendation was read from: each recorded entry with its date and age, and "Stale —
 * reassess" in words when it is older than its limit, with the advice held back until then
 * (hazard: advice from stale data).
 */
export function RecordedBases({
  bases,
  withholds,
}: {
  bases: PlanRecommendation['basedOn'];
  withholds: PlanRecommendation['withholds'];
}) {
  if (bases.length === 0) return null;
  return (
    <div className="recorded-bases small">
      <ul className="plain">
        {bases.map((basis) => (
          <li key={`${basis.what}-${basis.eventId}`} data-stale={basis.stale ? 'true' : undefined}>
            From the {RECORDED_VALUE_NAMES[basis.what]} of{' '}
            <time dateTime={basis.on}>{formatCalendarDate(basis.on)}</time> (
            {ageInWords(basis.ageDays)}){' '}
            {basis.stale ? <Tag tone="warn">Stale — reassess</Tag> : null}
            {basis.limitDays !== undefined ? (
              <span className="muted">
                {' '}
                Limit {basis.limitDays} days
                {basis.limitBasis?.kind === 'service-standard'
                  ? ' (service standard)'
                  : ' (guideline)'}
                .
              </span>
            ) : null}
            {basis.limitBasis?.kind === 'service-standard' ? (
              <details>
                <summary>
                  {basis.limitDays === undefined ? 'Why no limit' : 'Why this limit'}
                </summary>
                <p>{basis.limitBasis.explanation}</p>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
      {withholds.length > 0 ? (
        <p>Held back until assessed again: {withholds.map((w) => w.title).join('; ')}.</p>
      ) : null}
    </div>
  );
}
