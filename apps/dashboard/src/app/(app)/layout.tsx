import Link from 'next/link';
import type { ReactNode } from 'react';
import { navigationFor, ROLE_NAMES } from '@/server/navigation';
import { CHANGE_PASSWORD_PATH, requireSignedIn } from '@/server/session';
import { Nav } from '@/ui/nav';
import { signOutAction } from '../sign-in/actions';

/** The signed-in shell. Each page and action still checks its own role on the server. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  // Not requirePermission: the shell also frames the change-password page, which a user whose password
  // was reset must reach (every other page sends them there).
  const user = await requireSignedIn();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <span className="brand">Fracture liaison</span>
          {user.mustChangePassword ? null : <Nav items={navigationFor(user)} label="Sections" />}
          <div className="who">
            <span>
              {user.name} <span className="muted">· {ROLE_NAMES[user.role]}</span>
            </span>
            <Link href={CHANGE_PASSWORD_PATH}>Change password</Link>
            <form action={signOutAction}>
              <button type="submit" className="button small">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="page">
        {children}
      </main>
    </>
  );
}
