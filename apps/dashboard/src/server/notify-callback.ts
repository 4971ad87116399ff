// GOV.UK Notify's delivery-receipt callback (POST /api/notify/delivery-receipts). Notify sends
// each message's final status as JSON with "Authorization: Bearer <token>", the token the service
// set in Notify. The token is compared in constant time; the body is checked and recorded by
// @vfx/database's recordNotifyReceipt (which owns Notify's documented fields). Answers:
//   200 recorded (a repeat is recorded again harmlessly) · 400 not JSON or not a receipt, with
//   what is wrong · 401 no or wrong token · 404 no such message · 413 too large ·
//   415 not JSON · 503 NOTIFY_CALLBACK_TOKEN not configured.
// Notify retries a receipt that did not get a 2xx, so a 404 for a message this service does not
// know is seen again for a while and then dropped; nothing else depends on it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Queryable, recordNotifyReceipt } from '@vfx/database';

/** A receipt is a few hundred bytes; anything much larger is not one. */
export const MAX_RECEIPT_BYTES = 16 * 1024;

/**
 * Whether the Authorization header carries the expected bearer token. Both sides are hashed to
 * the same length first, so the comparison takes the same time whatever is sent.
 */
export function bearerTokenMatches(header: string | null, expected: string): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const given = match?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  // Always compare, even with nothing given, so a missing header costs what a wrong one does.
  const same = timingSafeEqual(digest(given), digest(expected));
  return same && given.length > 0;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });

export interface NotifyCallbackDeps {
  readonly db: Queryable;
  /** NOTIFY_CALLBACK_TOKEN; undefined: the callback is not configured. */
  readonly token: string | undefined;
  readonly now: Date;
}

export async function handleNotifyReceipt(
  request: Request,
  deps: NotifyCallbackDeps,
): Promise<Response> {
  if (!deps.token) {
    return json(503, {
      error:
        'Delivery receipts are not configured on this service: set NOTIFY_CALLBACK_TOKEN to the bearer token given to Notify.',
    });
  }
  if (!bearerTokenMatches(request.headers.get('authorization'), deps.token)) {
    return json(
      401,
      { error: 'A delivery receipt needs the bearer token configured for Notify callbacks.' },
      { 'WWW-Authenticate': 'Bearer realm="notify-callbacks"' },
    );
  }
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return json(415, { error: 'A delivery receipt is JSON: send Content-Type: application/json.' });
  }
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_RECEIPT_BYTES) {
    return json(413, { error: `A delivery receipt is at most ${MAX_RECEIPT_BYTES} bytes.` });
  }
  const text = await request.text();
  if (Buffer.byteLength(text, 'utf8') > MAX_RECEIPT_BYTES) {
    return json(413, { error: `A delivery receipt is at most ${MAX_RECEIPT_BYTES} bytes.` });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return json(400, { error: 'The body is not valid JSON.' });
  }
  const result = await recordNotifyReceipt(deps.db, body, deps.now);
  if (result.ok) return json(200, { messageId: result.messageId, state: result.state });
  if (result.reason === 'invalid') {
    return json(400, {
      error: 'The body is not a Notify delivery receipt.',
      issues: result.issues,
    });
  }
  return json(404, { error: result.message });
}
