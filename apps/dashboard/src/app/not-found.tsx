import type { Metadata } from 'next';
import Link from 'next/link';
import { PlainHeader } from '@/ui/nhsuk/plain-header';

export const metadata: Metadata = { title: 'Page not found · Fracture liaison' };

/**
 * Any address the service does not know, and any record that does not exist (pages call
 * notFound()). It says what may have happened and offers the way back, as the design system's
 * "page not found" pattern does; it names no record, so it tells a stranger nothing.
 */
export default function NotFound() {
  return (
    <>
      <PlainHeader />
      <div className="nhsuk-width-container">
        <main id="main" className="nhsuk-main-wrapper">
          <div className="nhsuk-grid-row">
            <div className="nhsuk-grid-column-two-thirds">
              <h1 className="nhsuk-heading-l">Page not found</h1>
              <p>If you typed the web address, check it is correct.</p>
              <p>If you pasted the web address, check you copied the entire address.</p>
              <p>
                If you followed a link to a patient or a step, the record may have been moved or the
                link may be out of date. Search the caseload instead.
              </p>
              <p>
                <Link href="/">Go to your start page</Link>
              </p>
            </div>
          </div>
        </main>
      </div>
    </>
  );
}
