'use server';

import { recordSearch } from '@vfx/database/commands';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { caseloadHref, FILTER_NAMES } from './filters';

/**
 * The caseload's "Find patients" form, POSTed: a name or NHS number never goes into an address
 * (where browser history, server logs and Referer headers would keep it). The query is audited
 * as a search and stays in that audit row; the address carries the search's opaque id and the
 * other, non-identifying filters.
 */
export async function searchCaseloadAction(form: FormData): Promise<void> {
  const field = (name: string) => String(form.get(name) ?? '').trim();
  const query = field('q');
  const filters = Object.fromEntries(
    FILTER_NAMES.map((name) => [name, field(name)]).filter(([, value]) => value !== ''),
  ) as Record<string, string>;
  if (!query) {
    await requirePermission('caseload.view', filters.nurse ? { caseloadOf: filters.nurse } : {});
    redirect(caseloadHref(filters));
  }
  const user = await requirePermission('patient.search');
  const search = await recordSearch(db(), {
    actor: user.id,
    scope: 'caseload',
    query,
    filters,
  });
  redirect(caseloadHref({ ...filters, search }));
}
