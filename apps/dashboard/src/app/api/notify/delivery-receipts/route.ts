// GOV.UK Notify's delivery receipts: authenticated by the bearer token the service gave Notify
// (NOTIFY_CALLBACK_TOKEN), not by a user's session or API key. See src/server/notify-callback.ts.
import { db } from '@/server/db';
import { config } from '@/server/env';
import { handleNotifyReceipt } from '@/server/notify-callback';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return handleNotifyReceipt(request, {
    db: db(),
    token: config().NOTIFY_CALLBACK_TOKEN,
    now: new Date(),
  });
}
