'use server';

import { RecordError } from '@vfx/database';
import { issueQueueBoardTicket } from '@vfx/database/commands';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { config, workerLinks } from '@/server/env';
import { requirePermission } from '@/server/session';

/**
 * "Open the queue board": a single-use ticket, valid for a minute, issued to the signed-in
 * administrator (the database asks the permission table for 'queues.manage', and audits the
 * issue or the refusal), and the browser sent to the worker, which exchanges it for a board
 * session of its own. No password is asked: the dashboard's session is the way in.
 */
export async function openQueueBoardAction(): Promise<void> {
  const user = await requirePermission('queues.manage');
  const links = workerLinks(config());
  if (!links) redirect('/admin/queues');
  let ticket: string;
  try {
    ({ ticket } = await issueQueueBoardTicket(db(), user.id));
  } catch (error) {
    // Refused by the permission table (and audited there): the same page as any refusal.
    if (error instanceof RecordError && error.code === 'forbidden') redirect('/refused');
    throw error;
  }
  redirect(`${links.public}/admin/queues/open?ticket=${encodeURIComponent(ticket)}`);
}
