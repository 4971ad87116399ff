import type { Citation } from '@vfx/domain';

/** Where a rule comes from: the document and section, with its words on request. */
export function Citations({ sources }: { sources: readonly Citation[] }) {
  if (sources.length === 0) return null;
  return (
    <details className="sources">
      <summary>
        Source{sources.length === 1 ? '' : 's'}:{' '}
        {sources.map((s) => `${s.title}, ${s.section}`).join('; ')}
      </summary>
      {sources.map((source) => (
        <blockquote key={`${source.document}/${source.section}/${source.quote.slice(0, 20)}`}>
          <p>“{source.quote}”</p>
          <footer className="muted small">
            {source.title}, {source.section} ({source.file})
          </footer>
        </blockquote>
      ))}
    </details>
  );
}
