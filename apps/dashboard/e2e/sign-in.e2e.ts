import { DEMO_PASSWORD } from '@vfx/database/seed';
import { describe, expect } from 'vitest';
import { test } from './support/fixtures';
import { screenshot } from './support/screenshots';
import {
  type DemoUserKey,
  demoUser,
  pathOf,
  START_PAGE,
  signIn,
  signOut,
  submitSignIn,
} from './support/users';

describe('signing in', () => {
  test('a wrong password is refused with a message, keeping the e-mail address', async ({
    page,
  }) => {
    const nurse = demoUser('nurse2');
    await submitSignIn(page, nurse.email, 'not-the-password-at-all');

    // The app's own alert: Next's route announcer is also role="alert", but empty.
    const alert = page.locator('.alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The e-mail address or the password is not right.');
    expect(pathOf(page)).toBe('/sign-in');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(nurse.email);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await screenshot(page, 'sign-in-wrong-password');

    // The same form then signs in with the right password.
    await submitSignIn(page, nurse.email, DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === START_PAGE.nurse);
  });

  test('empty fields are named, each tied to its field for screen readers', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const email = page.getByLabel('E-mail address');
    await page.locator('#email-error').waitFor();
    expect(await page.locator('#email-error').textContent()).toBe(
      'Error: Enter your e-mail address.',
    );
    expect(await page.locator('#password-error').textContent()).toBe('Error: Enter your password.');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toBe('email-error');
    expect(pathOf(page)).toBe('/sign-in');
  });

  test.for<[DemoUserKey, string]>([
    ['nurse', 'Nurse'],
    ['scheduler', 'Scheduler'],
    ['admin', 'Administrator'],
  ])('the %s lands on their start page, named in the header', async ([key, roleName], { page }) => {
    const user = await signIn(page, key);

    expect(pathOf(page)).toBe(START_PAGE[user.role]);
    const header = page.getByRole('banner');
    await header.getByText(user.name).waitFor();
    expect(await header.textContent()).toContain(roleName);
    // The start page is the current section in the navigation.
    const current = page
      .getByRole('navigation', { name: 'Sections' })
      .locator('[aria-current="page"]');
    expect(await current.getAttribute('href')).toBe(START_PAGE[user.role]);
    await screenshot(page, `start-page-${key}`);
  });

  test('a signed-in user who opens the sign-in page goes to their start page', async ({ page }) => {
    await signIn(page, 'scheduler');
    await page.goto('/sign-in');
    await page.waitForURL((url) => url.pathname === START_PAGE.scheduler);
  });

  test('without a session every page goes to sign-in', async ({ page }) => {
    for (const path of ['/', START_PAGE.nurse, START_PAGE.admin, '/refused']) {
      await page.goto(path);
      expect(pathOf(page), `opening ${path}`).toBe('/sign-in');
    }
  });
});

describe('signing out', () => {
  test('ends the session: pages go to sign-in, and the old cookie no longer works', async ({
    page,
  }) => {
    await signIn(page, 'nurse');
    const context = page.context();
    const session = (await context.cookies()).find((cookie) => cookie.name === 'vfx_session');
    expect(session, 'a session cookie after signing in').toBeDefined();
    expect(session?.httpOnly).toBe(true);

    await signOut(page);
    await screenshot(page, 'signed-out');
    expect((await context.cookies()).some((cookie) => cookie.name === 'vfx_session')).toBe(false);
    await page.goto(START_PAGE.nurse);
    expect(pathOf(page)).toBe('/sign-in');

    // A copy of the cookie taken before signing out (as a stolen one would be) is dead too:
    // the session was ended on the server, not only forgotten by the browser.
    if (session) await context.addCookies([session]);
    await page.goto(START_PAGE.nurse);
    expect(pathOf(page)).toBe('/sign-in');
  });
});
