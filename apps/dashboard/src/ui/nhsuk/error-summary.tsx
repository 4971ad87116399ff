'use client';

import { useEffect, useRef } from 'react';

export interface SummaryItem {
  /** The id of the field's first control; undefined for a problem of the whole form. */
  readonly target: string | undefined;
  readonly message: string;
}

const ERROR_PREFIX = 'Error: ';

/**
 * The design system's error summary: "There is a problem" and a link to each field. After each
 * refused submission (a new `response`, the form's state) it takes the focus, and the page title
 * starts with "Error: " while it is shown. nhsuk-frontend's ErrorSummary gives its links their
 * behaviour (a followed link focuses the field and shows its label or legend).
 */
export function ErrorSummary(props: { items: readonly SummaryItem[]; response: unknown }) {
  const root = useRef<HTMLDivElement>(null);
  const started = useRef<Element | null>(null);
  const shown = props.items.length > 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each response (a new state object) is what takes the focus again.
  useEffect(() => {
    if (!shown) {
      if (document.title.startsWith(ERROR_PREFIX))
        document.title = document.title.slice(ERROR_PREFIX.length);
      return;
    }
    if (!document.title.startsWith(ERROR_PREFIX)) document.title = ERROR_PREFIX + document.title;
    const element = root.current;
    if (!element) return;
    element.focus();
    if (started.current === element) return;
    started.current = element;
    void import('nhsuk-frontend').then(({ ErrorSummary: Behaviour }) => {
      if (!element.isConnected) return;
      try {
        new Behaviour(element, { disableAutoFocus: true });
      } catch {
        // Already started (the page-load script found it): its behaviour is there.
      }
    });
    // Each response is a new state object: a second refusal takes the focus again.
  }, [shown, props.response]);
  useEffect(
    () => () => {
      if (document.title.startsWith(ERROR_PREFIX))
        document.title = document.title.slice(ERROR_PREFIX.length);
    },
    [],
  );
  if (!shown) return null;
  return (
    <div ref={root} className="nhsuk-error-summary" tabIndex={-1}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading" id="error-summary-title">
          There is a problem
        </h2>
        <div className="nhsuk-error-summary__body">
          <p>Nothing was saved.</p>
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {props.items.map((item) =>
              item.target ? (
                <li key={`${item.target}|${item.message}`}>
                  <a href={`#${item.target}`}>{item.message}</a>
                </li>
              ) : (
                <li key={item.message}>{item.message}</li>
              ),
            )}
          </ul>
        </div>
      </div>
    </div>
  );
}
