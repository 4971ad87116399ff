'use server';

import { clientAddress, signIn, signOut } from '@vfx/database/auth';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { config } from '@/server/env';
import { SESSION_COOKIE } from '@/server/session';

export interface SignInState {
  readonly email: string;
  readonly fieldErrors?: { readonly email?: string; readonly password?: string };
  readonly error?: string;
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  const fieldErrors = {
    ...(email ? {} : { email: 'Enter your e-mail address.' }),
    ...(password ? {} : { password: 'Enter your password.' }),
  };
  if (Object.keys(fieldErrors).length > 0) return { email, fieldErrors };

  const request = await headers();
  const result = await signIn(db(), {
    email,
    password,
    // The rightmost X-Forwarded-For entry no trusted proxy vouches for (see clientAddress).
    clientIp: clientAddress(request.get('x-forwarded-for'), config().TRUSTED_PROXY_COUNT),
    userAgent: request.get('user-agent'),
  });
  if (!result.ok) {
    if (result.reason === 'too-many-attempts') {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      return {
        email,
        error: `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      };
    }
    return { email, error: 'The e-mail address or the password is not right.' };
  }
  (await cookies()).set(SESSION_COOKIE, result.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config().SECURE_COOKIES,
    path: '/',
    expires: result.expiresAt,
  });
  redirect('/');
}

export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  await signOut(db(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  redirect('/sign-in');
}
