import Link from 'next/link';
import { NhsLogo } from './logo';

/** The NHS header with the service name only: for pages seen before signing in, or lost. */
export function PlainHeader() {
  return (
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
      </div>
    </header>
  );
}
