'use server';

import { RecordError } from '@vfx/database';
import { changeOwnPassword } from '@vfx/database/commands';
import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { requirePermission, SESSION_COOKIE } from '@/server/session';

type Field = 'currentPassword' | 'newPassword' | 'confirmPassword';

export interface ChangePasswordState {
  readonly fieldErrors?: Partial<Record<Field, string>>;
  readonly error?: string;
  readonly done?: string;
}

const LABELS: Record<Field, string> = {
  currentPassword: 'Your current password',
  newPassword: 'The new password',
  confirmPassword: 'The confirmation',
};

/**
 * Changes the signed-in user's own password. This browser stays signed in; every other session
 * of theirs ends. A user sent here by an administrator's reset goes on to their home page.
 */
export async function changePasswordAction(
  _previous: ChangePasswordState,
  form: FormData,
): Promise<ChangePasswordState> {
  const user = await requirePermission('password.changeOwn');
  const currentPassword = String(form.get('currentPassword') ?? '');
  const newPassword = String(form.get('newPassword') ?? '');
  const confirmPassword = String(form.get('confirmPassword') ?? '');
  const fieldErrors: Partial<Record<Field, string>> = {
    ...(currentPassword ? {} : { currentPassword: 'Enter your current password.' }),
    ...(newPassword ? {} : { newPassword: 'Enter a new password.' }),
    ...(newPassword && confirmPassword !== newPassword
      ? { confirmPassword: 'Type the new password again, exactly as above.' }
      : {}),
  };
  if (Object.keys(fieldErrors).length > 0) return { fieldErrors };

  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  let sessionsEnded: number;
  try {
    ({ sessionsEnded } = await changeOwnPassword(db(), user.id, {
      currentPassword,
      newPassword,
      ...(token ? { keepSessionToken: token } : {}),
    }));
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    if (error.code === 'invalid-input') {
      const errors: Partial<Record<Field, string>> = {};
      for (const issue of error.issues) {
        const field = issue.path as Field;
        if (field in LABELS) errors[field] ??= `${LABELS[field]} ${issue.message}.`;
      }
      return { fieldErrors: errors };
    }
    return { error: `${error.message}.` };
  }
  if (user.mustChangePassword) {
    // The shell hid the navigation while the change was forced: render it again, not from the
    // router's cache, on the way to the home page.
    revalidatePath('/', 'layout');
    redirect('/');
  }
  const others =
    sessionsEnded === 0
      ? ''
      : ` You were signed out everywhere else (${sessionsEnded} other session${sessionsEnded === 1 ? '' : 's'}).`;
  return { done: `Your password was changed.${others}` };
}
