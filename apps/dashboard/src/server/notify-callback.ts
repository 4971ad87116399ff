// GOV.UK Notify's delivery-receipt callback (POST /api/notify/delivery-receipts). Notify sends
// each message's final status as JSON with "Authorization: Bearer <token>", the token the service
// set in Notify. The token is compared in constant time; the body is checked and recorded by
// @vfx/database's recordNotifyReceipt (which owns Notify's documented fields). Answers:
//   200 recorded (a repeat is recorded again harmlessly) · 400 not JSON or not a receipt, with
//   what is wrong · 401 no or wrong token · 404 no such message · 413 too large ·
//   415 not JSON · 503 NOTIFY_CALLBACK_TOKEN not configured.
// Notify retries a receipt that did not get a 2xx, so a 404 for a message this service does not
// know is seen again for a while and then dropped; nothing else depends on it. A receipt of an
// earlier attempt than the message's current one is answered 200 and changes nothing (receipts.ts
// in @vfx/database records it).
//
// Every refusal (401, 400, 404, 413, 415, 503) is written to the audit log as 'access.refused' of
// the callback (entity 'callback' / 'notify.delivery-receipt'), with the status and why, as the
// API-key gate records a refused key: one INSERT each, 'anonymous' before the token is checked,
// 'system:notify-callback' after. Never the token, nor anything of the body but the field names
// that were wrong and Notify's notification id (the recipient and the reference are not kept).
import { createHash, timingSafeEqual } from 'node:crypto';
import { NOTIFY_CALLBACK_ACTOR, type Queryable, recordNotifyReceipt } from '@vfx/database';
import { ANONYMOUS_ACTOR, recordAccess } from '@vfx/database/commands';

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

/** The audit entity of a refused callback: what was refused, in place of a table action. */
export const NOTIFY_CALLBACK_ENTITY = {
  entityType: 'callback',
  entityId: 'notify.delivery-receipt',
} as const;

const OPERATION = 'POST /api/notify/delivery-receipts';

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
  /** Audits the refusal, then answers it. */
  const refuse = async (
    response: Response,
    who: 'anonymous' | 'notify',
    reason: string,
    details: Record<string, unknown> = {},
  ): Promise<Response> => {
    await recordAccess(deps.db, {
      actor: who === 'notify' ? NOTIFY_CALLBACK_ACTOR : ANONYMOUS_ACTOR,
      action: 'access.refused',
      ...NOTIFY_CALLBACK_ENTITY,
      details: { status: response.status, operation: OPERATION, reason, ...details },
      at: deps.now,
    });
    return response;
  };
  if (!deps.token) {
    return refuse(
      json(503, {
        error:
          'Delivery receipts are not configured on this service: set NOTIFY_CALLBACK_TOKEN to the bearer token given to Notify.',
      }),
      'anonymous',
      'NOTIFY_CALLBACK_TOKEN is not configured: the receipt was not read',
    );
  }
  const authorization = request.headers.get('authorization');
  if (!bearerTokenMatches(authorization, deps.token)) {
    return refuse(
      json(
        401,
        { error: 'A delivery receipt needs the bearer token configured for Notify callbacks.' },
        { 'WWW-Authenticate': 'Bearer realm="notify-callbacks"' },
      ),
      'anonymous',
      authorization === null
        ? 'no Authorization header'
        : /^Bearer[ ]+\S+\s*$/i.test(authorization)
          ? 'wrong bearer token'
          : 'the Authorization header is not "Bearer <token>"',
    );
  }
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return refuse(
      json(415, { error: 'A delivery receipt is JSON: send Content-Type: application/json.' }),
      'notify',
      'not JSON (Content-Type)',
    );
  }
  const tooLarge = () =>
    refuse(
      json(413, { error: `A delivery receipt is at most ${MAX_RECEIPT_BYTES} bytes.` }),
      'notify',
      `larger than ${MAX_RECEIPT_BYTES} bytes`,
    );
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_RECEIPT_BYTES) return tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text, 'utf8') > MAX_RECEIPT_BYTES) return tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(
      json(400, { error: 'The body is not valid JSON.' }),
      'notify',
      'the body is not valid JSON',
    );
  }
  const result = await recordNotifyReceipt(deps.db, body, deps.now);
  if (result.ok) {
    return json(200, { messageId: result.messageId, state: result.state, outcome: result.outcome });
  }
  if (result.reason === 'invalid') {
    return refuse(
      json(400, { error: 'The body is not a Notify delivery receipt.', issues: result.issues }),
      'notify',
      'the body is not a Notify delivery receipt',
      // "field: what is wrong", in our words: never a value from the body.
      { issues: result.issues },
    );
  }
  const notifyId = (body as { id?: unknown }).id;
  return refuse(
    json(404, { error: result.message }),
    'notify',
    'no patient message has this Notify id or reference',
    { notifyId },
  );
}
