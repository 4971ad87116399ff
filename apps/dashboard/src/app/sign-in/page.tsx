import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/server/session';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in · Fracture liaison' };

export default async function SignInPage() {
  if (await currentUser()) redirect('/');
  return (
    <main className="sign-in">
      <h1>Fracture liaison service</h1>
      <p className="lead">Vertebral fragility fracture pathway. Sign in with your work account.</p>
      <SignInForm />
    </main>
  );
}
