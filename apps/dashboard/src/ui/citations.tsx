import type { Citation } from '@vfx/domain';
import './citations.css';

/**
 * Where a rule comes from, folded away: "Sources (2)" opens on the documents, their sections and
 * their words. Closed, it takes one line, so the advice stays what a page shows first.
 */
export function Citations({ sources }: { sources: readonly Citation[] }) {
  if (sources.length === 0) return null;
  return (
    <details className="nhsuk-details sources">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          {sources.length === 1 ? 'Source' : `Sources (${sources.length})`}
        </span>
      </summary>
      <div className="nhsuk-details__text">
        {sources.map((source) => (
          <blockquote key={`${source.document}/${source.section}/${source.quote.slice(0, 20)}`}>
            <p>
              <strong>
                {source.title}, {source.section}
              </strong>
            </p>
            <p>“{source.quote}”</p>
            <footer className="muted small">{source.file}</footer>
          </blockquote>
        ))}
      </div>
    </details>
  );
}
