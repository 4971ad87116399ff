// Replaying a server action as another user. A page-level role check does not protect the
// actions the page uses: anyone with a session can POST to an action by its id. To prove an action
// checks the role itself, a test lets an authorised user submit the real form, catches the
// request before it reaches the server, and sends the same bytes with another user's cookie.
import type { APIResponse, Page, Request, Route } from 'playwright-core';

export interface CapturedServerAction {
  readonly url: string;
  /** The headers that route the POST to the action (Next-Action and friends). */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Headers Next.js reads to find and run the action; cookies are the replaying user's own. */
const ACTION_HEADERS = ['next-action', 'content-type', 'next-router-state-tree', 'accept'];

const isServerAction = (request: Request) =>
  request.method() === 'POST' && request.headers()['next-action'] !== undefined;

/**
 * Runs `submit` (which should submit a form on `page`) and returns the server action request it
 * made. The request is aborted, so the action does not run for the submitting user.
 */
export async function captureServerAction(
  page: Page,
  submit: () => Promise<void>,
  timeoutMs = 15_000,
): Promise<CapturedServerAction> {
  let capture: (action: CapturedServerAction) => void = () => {};
  const captured = new Promise<CapturedServerAction>((resolve) => {
    capture = resolve;
  });
  const handler = async (route: Route) => {
    const request = route.request();
    if (!isServerAction(request)) return route.fallback();
    const headers = await request.allHeaders();
    capture({
      url: request.url(),
      headers: Object.fromEntries(
        ACTION_HEADERS.filter((name) => headers[name] !== undefined).map((name) => [
          name,
          headers[name] as string,
        ]),
      ),
      body: request.postDataBuffer() ?? Buffer.alloc(0),
    });
    await route.abort();
  };
  await page.route('**/*', handler);
  try {
    await submit();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`No server action was submitted within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    return await Promise.race([captured, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await page.unroute('**/*', handler);
  }
}

/** Sends a captured action from `page`'s browser context, i.e. with that user's session. */
export function replayServerAction(page: Page, action: CapturedServerAction): Promise<APIResponse> {
  return page.request.post(action.url, {
    headers: action.headers,
    data: action.body,
    maxRedirects: 0,
  });
}
