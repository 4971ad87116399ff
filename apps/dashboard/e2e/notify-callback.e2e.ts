// GOV.UK Notify's delivery-receipt callback as someone forging a receipt meets it, and what the
// administrator then sees: a receipt with a wrong token is refused (401) and the refusal is on
// Admin › Audit log with why, never the token. A receipt with the right token for a message the
// service never sent is refused too (404), under Notify's name. Pages checked at 1440 and 820 px.
import { describe, expect, inject } from 'vitest';
import { test } from './support/fixtures';
import { checkPage } from './support/page-checks';
import { E2E_NOTIFY_CALLBACK_TOKEN } from './support/processes';
import { screenshot } from './support/screenshots';
import { signIn } from './support/users';

const FORGED_TOKEN = 'a-forged-token-that-must-never-be-shown-0123456789';

/** A receipt as Notify documents it, for a message this service never sent. */
const receipt = {
  id: '5a3c0f1e-7b2d-4c8e-9f10-2b3c4d5e6f70',
  reference: 'no-such-message',
  to: '+447700900123',
  status: 'delivered',
  created_at: '2026-12-07T09:00:01.000Z',
  completed_at: '2026-12-07T09:00:30.000Z',
  sent_at: '2026-12-07T09:00:05.000Z',
  notification_type: 'sms',
};

function post(token: string): Promise<Response> {
  return fetch(`${inject('baseURL')}/api/notify/delivery-receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(receipt),
  });
}

describe('Notify delivery receipts', () => {
  test('a forged receipt is refused, and the administrator sees each refusal and why in the audit log, never the token', async ({
    openPage,
  }) => {
    const forged = await post(FORGED_TOKEN);
    expect(forged.status).toBe(401);
    const unknown = await post(E2E_NOTIFY_CALLBACK_TOKEN);
    expect(unknown.status).toBe(404);

    const page = await openPage({ width: 1440 });
    await signIn(page, 'admin');
    await page.goto('/admin/audit?kind=refusal');
    const rows = page.locator('tbody tr', {
      hasText: 'Tried to post a GOV.UK Notify delivery receipt',
    });
    await rows.first().waitFor();
    const texts = await rows.allTextContents();
    expect(texts.some((text) => text.includes('wrong bearer token'))).toBe(true);
    expect(
      texts.some(
        (text) =>
          text.includes('GOV.UK Notify (delivery receipts)') &&
          text.includes('no patient message has this Notify id or reference'),
      ),
    ).toBe(true);
    const html = await page.content();
    for (const kept of [FORGED_TOKEN, E2E_NOTIFY_CALLBACK_TOKEN, '+447700900123']) {
      expect(html).not.toContain(kept);
    }
    await checkPage(page, 'audit log of refusals (1440)');
    await screenshot(page, 'notify-callback-refused-1440');
    await page.setViewportSize({ width: 820, height: 900 });
    await checkPage(page, 'audit log of refusals (820)');
    await screenshot(page, 'notify-callback-refused-820');
  });
});
