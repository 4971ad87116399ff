import { describe, expect } from 'vitest';
import { test } from './support/fixtures';
import { screenshot } from './support/screenshots';
import { pathOf, signIn, submitSignIn } from './support/users';

// An account of its own, added here, so the demo accounts the other files sign in with keep
// their password whatever happens in this one.
const PERSON = { name: 'Petra Reset', email: 'petra.reset@demo.fls.example' };
const INITIAL = 'copper kettle orbit meadow';
const TEMPORARY = 'walnut harbour cinder plume';
const CHOSEN = 'lantern pebble saffron quay';

describe('passwords', () => {
  test('an administrator resets a password; the user can do nothing but choose their own, refused a guessable one', async ({
    openPage,
  }) => {
    const admin = await openPage();
    await signIn(admin, 'admin');
    await admin.goto('/admin/users');
    const add = admin.locator('form', { has: admin.getByLabel('Initial password') });
    await add.getByLabel('Name').fill(PERSON.name);
    await add.getByLabel('E-mail address').fill(PERSON.email);
    await add.getByLabel('Role').selectOption('nurse');
    // Long enough, and refused all the same, saying why.
    await add.getByLabel('Initial password').fill('password1234');
    await add.getByRole('button', { name: 'Add user' }).click();
    await add.locator('#new-password-error').waitFor();
    expect(await add.locator('#new-password-error').textContent()).toMatch(
      /^Initial password is too easy to guess: This is similar to a commonly used password/,
    );
    await add.getByLabel('Initial password').fill(INITIAL);
    await add.getByRole('button', { name: 'Add user' }).click();
    await add.getByRole('status').waitFor();

    const row = admin.getByRole('row').filter({ hasText: PERSON.email });
    await row.getByText('Reset password').click();
    await row.getByLabel('Temporary password').fill('aaaaaaaaaaaa');
    await row.getByRole('button', { name: /^Reset/ }).click();
    await row.locator('[role=alert]').waitFor();
    expect(await row.locator('[role=alert]').textContent()).toMatch(
      /^The temporary password is too easy to guess: Repeated characters like "aaa"/,
    );
    await screenshot(admin, 'passwords-1-reset-refused');
    if (!(await row.getByLabel('Temporary password').isVisible())) {
      await row.getByText('Reset password').click();
    }
    await row.getByLabel('Temporary password').fill(TEMPORARY);
    await row.getByRole('button', { name: /^Reset/ }).click();
    await row.locator('[role=status]').waitFor();
    expect(await row.locator('[role=status]').textContent()).toContain(
      'They must choose their own at their next sign-in.',
    );

    // The user signs in with the temporary password: every page sends them to choose their own.
    const user = await openPage();
    await submitSignIn(user, PERSON.email, TEMPORARY);
    await user.waitForURL((url) => url.pathname === '/account/password');
    for (const elsewhere of ['/worklist', '/caseload', '/patients/new']) {
      await user.goto(elsewhere);
      expect(pathOf(user)).toBe('/account/password');
    }
    expect(await user.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    await user.getByLabel('Current password').fill(TEMPORARY);
    await user.locator('#new-password').fill('password1234');
    await user.getByLabel('New password again').fill('password1234');
    await user.getByRole('button', { name: 'Change password' }).click();
    await user.locator('#new-password-error').waitFor();
    expect(await user.locator('#new-password-error').textContent()).toMatch(
      /^Error: The new password is too easy to guess: This is similar to a commonly used password/,
    );
    await screenshot(user, 'passwords-2-forced-change-refused');

    await user.getByLabel('Current password').fill(TEMPORARY);
    await user.locator('#new-password').fill(CHOSEN);
    await user.getByLabel('New password again').fill(CHOSEN);
    await user.getByRole('button', { name: 'Change password' }).click();
    await user.waitForURL((url) => url.pathname === '/worklist');
    await user.getByRole('navigation', { name: 'Sections' }).waitFor();

    // Changing it again from the header: done in place, and the old password no longer works.
    await user.getByRole('link', { name: 'Change password' }).click();
    await user.waitForURL((url) => url.pathname === '/account/password');
    await user.getByLabel('Current password').fill(CHOSEN);
    await user.locator('#new-password').fill(INITIAL);
    await user.getByLabel('New password again').fill(INITIAL);
    await user.getByRole('button', { name: 'Change password' }).click();
    await user.getByRole('status').filter({ hasText: 'Your password was changed.' }).waitFor();
    await screenshot(user, 'passwords-3-changed');

    const again = await openPage();
    await submitSignIn(again, PERSON.email, CHOSEN);
    await again.locator('.alert').waitFor();
    expect(await again.locator('.alert').textContent()).toBe(
      'The e-mail address or the password is not right.',
    );
  });
});
