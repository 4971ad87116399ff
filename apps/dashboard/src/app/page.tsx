import { requireUser } from '@/server/session';
import { signOutAction } from './sign-in/actions';

const ROLE_NAMES = { nurse: 'Nurse', scheduler: 'Scheduler', admin: 'Administrator' } as const;

export default async function Home({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { refused } = await searchParams;
  return (
    <main className="page">
      <header className="topbar">
        <span className="brand">Fracture liaison</span>
        <span>
          {user.name} · {ROLE_NAMES[user.role]}
        </span>
        <form action={signOutAction}>
          <button type="submit" className="button">
            Sign out
          </button>
        </form>
      </header>
      {refused ? (
        <p className="alert" role="alert">
          Your role does not give access to that page.
        </p>
      ) : null}
      <h1>Signed in</h1>
      <p>Your caseload, worklists and overdue follow-ups will appear here.</p>
    </main>
  );
}
