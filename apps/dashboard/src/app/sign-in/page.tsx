import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/server/session';
import { PlainHeader } from '@/ui/nhsuk/plain-header';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in · Fracture liaison' };

/** The design system's page: the plain header, then the heading and form in two thirds. */
export default async function SignInPage() {
  if (await currentUser()) redirect('/');
  return (
    <>
      <PlainHeader />
      <div className="nhsuk-width-container">
        <main id="main" className="nhsuk-main-wrapper">
          <div className="nhsuk-grid-row">
            <div className="nhsuk-grid-column-two-thirds">
              <h1 className="nhsuk-heading-l">Sign in</h1>
              <p className="nhsuk-body-l">
                Fracture liaison service: the vertebral fragility fracture pathway. Sign in with
                your work account.
              </p>
              <SignInForm />
            </div>
          </div>
        </main>
      </div>
    </>
  );
}
