import Link from 'next/link';
import type { ReactNode } from 'react';
import { navigationFor, ROLE_NAMES } from '@/server/navigation';
import { CHANGE_PASSWORD_PATH, requireSignedIn } from '@/server/session';
import { Nav } from '@/ui/nav';
import { NhsLogo } from '@/ui/nhsuk/logo';
import { signOutAction } from '../sign-in/actions';

/**
 * The signed-in shell: the NHS header (service name, who is signed in, the sections) and the main
 * wrapper. Each page and action still checks its own permission on the server.
 */
export default async function AppLayout({ children }: { children: ReactNode }) {
  // Not requirePermission: the shell also frames the change-password page, which a user whose password
  // was reset must reach (every other page sends them there).
  const user = await requireSignedIn();
  return (
    <>
      <a className="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#main">
        Skip to main content
      </a>
      <header className="nhsuk-header" data-module="nhsuk-header">
        <div className="nhsuk-header__container nhsuk-width-container">
          <div className="nhsuk-header__service">
            <Link
              className="nhsuk-header__service-logo"
              href="/"
              aria-label="NHS Fracture liaison home"
            >
              <NhsLogo />
              <span className="nhsuk-header__service-name">Fracture liaison</span>
            </Link>
          </div>
          <nav className="nhsuk-header__account" aria-label="Account">
            <ul className="nhsuk-header__account-list">
              <li className="nhsuk-header__account-item">
                {user.name} <span className="header-role">({ROLE_NAMES[user.role]})</span>
              </li>
              <li className="nhsuk-header__account-item">
                <Link className="nhsuk-header__account-link" href={CHANGE_PASSWORD_PATH}>
                  Change password
                </Link>
              </li>
              <li className="nhsuk-header__account-item">
                <form className="nhsuk-header__account-form" action={signOutAction}>
                  <button type="submit" className="nhsuk-header__account-button">
                    Sign out
                  </button>
                </form>
              </li>
            </ul>
          </nav>
        </div>
        {user.mustChangePassword ? null : <Nav items={navigationFor(user)} label="Sections" />}
      </header>
      <div className="nhsuk-width-container">
        <main id="main" className="nhsuk-main-wrapper nhsuk-main-wrapper--s">
          {children}
        </main>
      </div>
    </>
  );
}
