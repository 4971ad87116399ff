'use client';

import { useActionState, useEffect } from 'react';
import { type ProduceState, produceWrittenPlanAction } from './actions';

/** "Produce and download PDF": stores the plan, then downloads the stored PDF. */
export function ProduceForm(props: { episodeId: string; largePrint: boolean }) {
  const [state, action, pending] = useActionState(
    produceWrittenPlanAction.bind(null, { episodeId: props.episodeId }),
    {} as ProduceState,
  );
  useEffect(() => {
    if (state.href) window.location.assign(state.href);
  }, [state.href]);
  return (
    <form action={action} className="no-print">
      <input type="hidden" name="largePrint" value={props.largePrint ? 'yes' : 'no'} />
      <button type="submit" className="nhsuk-button" disabled={pending}>
        Produce and download PDF{props.largePrint ? ' (large print)' : ''}
      </button>
      <div aria-live="polite">
        {state.ok ? (
          <p className="nhsuk-body">
            {state.ok} {state.href ? <a href={state.href}>Download it again</a> : null}
          </p>
        ) : null}
        {state.error ? (
          <div className="nhsuk-error-summary" role="alert">
            <h2 className="nhsuk-error-summary__title">The written plan was not produced</h2>
            <p>{state.error}</p>
          </div>
        ) : null}
      </div>
    </form>
  );
}

/** "Print this page": the browser's print dialog (print CSS hides everything but the plan). */
export function PrintButton() {
  return (
    <button
      type="button"
      className="nhsuk-button nhsuk-button--secondary no-print"
      onClick={() => window.print()}
    >
      Print this page
    </button>
  );
}
