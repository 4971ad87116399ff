'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  readonly href: string;
  readonly label: string;
}

/**
 * The section links as the NHS header's navigation. The current section is marked with
 * aria-current, which the design system underlines; on a narrow screen its script moves the
 * links that do not fit under "More".
 */
export function Nav({ items, label }: { items: readonly NavItem[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav className="nhsuk-header__navigation" aria-label={label}>
      <div className="nhsuk-header__navigation-container nhsuk-width-container">
        <ul className="nhsuk-header__navigation-list">
          {items.map((item) => {
            const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <li key={item.href} className="nhsuk-header__navigation-item">
                <Link
                  className="nhsuk-header__navigation-link"
                  href={item.href}
                  aria-current={current ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
          <li className="nhsuk-header__menu" hidden>
            <button
              type="button"
              className="nhsuk-header__menu-toggle nhsuk-header__navigation-link"
              id="toggle-menu"
              aria-expanded="false"
            >
              <span className="nhsuk-u-visually-hidden">Browse </span>More
            </button>
          </li>
        </ul>
      </div>
    </nav>
  );
}
