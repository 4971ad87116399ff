import { ACTIONS, type Action, permission } from '@vfx/domain';
import Link from 'next/link';
import { homeOf } from '@/server/navigation';
import { requireSignedIn } from '@/server/session';

export const metadata = { title: 'Not available to your role · Fracture liaison' };

type Search = Record<string, string | string[] | undefined>;

export default async function Refused({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireSignedIn();
  // The refused action, as the gate named it (the refusal itself is audited by the gate).
  const named = (await searchParams).action;
  const action = ACTIONS.find((candidate) => candidate === named) as Action | undefined;
  const decision = action ? permission(user, action) : undefined;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1 className="nhsuk-heading-l">Not available to your role</h1>
        <div className="nhsuk-inset-text" role="alert">
          <p>Your role does not give access to that page or action. Nothing was changed.</p>
        </div>
        {decision && !decision.allowed ? <p>{decision.reason}</p> : null}
        <p>
          <Link href={homeOf(user)}>Go to your start page</Link>
        </p>
      </div>
    </div>
  );
}
