import { DEMO_PASSWORD } from '@vfx/database/seed';
import { describe, expect } from 'vitest';
import { test } from './support/fixtures';
import { screenshot } from './support/screenshots';
import { captureServerAction, replayServerAction } from './support/server-actions';
import { type DemoUserKey, pathOf, signIn } from './support/users';

/** Every administrator page the navigation offers. */
const ADMIN_PAGES = [
  '/admin/overdue',
  '/admin/kpis',
  '/admin/users',
  '/admin/audit',
  '/admin/queues',
  '/admin/api-keys',
];

describe('what a role may not reach', () => {
  test.for<DemoUserKey>(['nurse', 'scheduler'])(
    'the %s is refused every administrator page, and is offered none',
    async (key, { page }) => {
      await signIn(page, key);
      const sections = page.getByRole('navigation', { name: 'Sections' });
      for (const href of ADMIN_PAGES) {
        expect(await sections.locator(`a[href="${href}"]`).count(), `a link to ${href}`).toBe(0);
      }

      for (const path of ADMIN_PAGES) {
        await page.goto(path);
        expect(pathOf(page), `opening ${path}`).toBe('/refused');
        const refusal = page.getByRole('main').getByRole('alert');
        await refusal.waitFor();
        expect(await refusal.textContent()).toContain(
          'Your role does not give access to that page or action. Nothing was changed.',
        );
      }
      await screenshot(page, `refused-${key}`);
    },
  );

  test("a nurse's request to an administrator's action is refused, and changes nothing", async ({
    openPage,
  }) => {
    const admin = await openPage();
    const nurse = await openPage();
    await signIn(admin, 'admin');
    await signIn(nurse, 'nurse');

    // The administrator fills in "Add a user" for a new administrator account; the request is
    // caught on its way, so it is not sent as the administrator.
    const email = `intruder.${Date.now()}@demo.fls.example`;
    await admin.goto('/admin/users');
    const addUser = admin.getByRole('region', { name: 'Add a user' });
    await addUser.getByLabel('Name').fill('Ivy Intruder');
    await addUser.getByLabel('E-mail address').fill(email);
    await addUser.getByLabel('Role').selectOption('admin');
    await addUser.getByLabel('Initial password').fill(DEMO_PASSWORD);
    const action = await captureServerAction(admin, () =>
      addUser.getByRole('button', { name: 'Add user' }).click(),
    );

    const refused = await replayServerAction(nurse, action);
    // The action's own role check sends the nurse to the refusal page instead of running it
    // (for a script-driven action Next says so in a header, with the refusal page as payload).
    expect(refused.headers()['x-action-redirect']).toMatch(/^\/refused\b/);
    expect(await refused.text()).not.toContain(email);

    await admin.goto('/admin/users');
    await admin.getByRole('heading', { name: 'Users' }).waitFor();
    expect(await admin.getByText(email).count(), 'the account the nurse tried to add').toBe(0);

    // Control: the very same request from the administrator is carried out, so the refusal
    // above came from the role check, not from a malformed replay.
    const allowed = await replayServerAction(admin, action);
    expect(allowed.status()).toBe(200);
    expect(allowed.headers()['x-action-redirect']).toBeUndefined();
    await admin.goto('/admin/users');
    await admin.getByText(email).waitFor();
  });

  test.for(['/admin/overdue/export.csv', '/admin/kpis/export.csv'])(
    "a nurse's session cannot download the administrator's export %s",
    async (path, { page }) => {
      await signIn(page, 'nurse');
      const response = await page.request.get(path, { maxRedirects: 0 });
      // The route's own role check redirects to the refusal page; no CSV comes back.
      expect([303, 307, 308]).toContain(response.status());
      expect(new URL(response.headers().location ?? '', 'http://x').pathname).toBe('/refused');
      expect(response.headers()['content-type'] ?? '').not.toContain('text/csv');
      expect(await response.text()).not.toContain('Family name');
    },
  );
});
