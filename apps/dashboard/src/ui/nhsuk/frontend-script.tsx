'use client';

import { useEffect } from 'react';

/**
 * Starts NHS.UK frontend's behaviour (the header's "More" menu, skip link, conditional radios)
 * once the page has hydrated. It marks <body> as supported first, which is how the design system
 * knows to show the parts that need script. Components drawn later by React (an error summary
 * after a refused form) start their own behaviour where they are drawn.
 */
export function NhsukFrontendScript() {
  useEffect(() => {
    document.body.classList.add('nhsuk-frontend-supported');
    let cancelled = false;
    void import('nhsuk-frontend').then(({ initAll }) => {
      if (!cancelled) initAll({ errorSummary: { disableAutoFocus: true } });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return null;
}
