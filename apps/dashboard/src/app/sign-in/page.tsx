import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/server/session';
import { PlainHeader } from '@/ui/nhsuk/plain-header';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in · Fracture liaison' };

export default async function SignInPage() {
  if (await currentUser()) redirect('/');
  return (
    <>
      <PlainHeader />
      <main id="main" className="sign-in">
        <h1>Sign in</h1>
        <p className="lead">
          Fracture liaison service: the vertebral fragility fracture pathway. Sign in with your work
          account.
        </p>
        <SignInForm />
      </main>
    </>
  );
}
