import { DEMO_PASSWORD, DEMO_USERS } from '@vfx/database/seed';
import type { Page } from 'playwright-core';

/** A demo account by its seed key: nurse, nurse2, scheduler or admin. */
export type DemoUserKey = (typeof DEMO_USERS)[number]['key'];
export type DemoUser = (typeof DEMO_USERS)[number];

/**
 * Where each role starts after signing in, as the issue specifies it. Written out here rather
 * than imported from the app, so a wrong redirect in the app fails a test.
 */
export const START_PAGE = {
  nurse: '/worklist',
  scheduler: '/reminders',
  admin: '/admin/overdue',
} as const satisfies Record<DemoUser['role'], string>;

export function demoUser(key: DemoUserKey): DemoUser {
  const user = DEMO_USERS.find((candidate) => candidate.key === key);
  if (!user) throw new Error(`No demo account "${key}"`);
  return user;
}

/** Fills in and submits the sign-in form (whatever the outcome). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  if (new URL(page.url(), 'http://x').pathname !== '/sign-in') await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in as a demo account and waits for its role's start page. */
export async function signIn(page: Page, key: DemoUserKey): Promise<DemoUser> {
  const user = demoUser(key);
  await submitSignIn(page, user.email, DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname === START_PAGE[user.role]);
  return user;
}

/** Signs out with the button in the header and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/sign-in');
}

/** The path (without origin or query) the page is on. */
export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}
