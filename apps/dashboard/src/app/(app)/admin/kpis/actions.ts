'use server';

import { RecordError } from '@vfx/database';
import { setEstimatedYearlyCaseload } from '@vfx/database/commands';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { parseCaseloadEstimate } from './caseload-estimate';

/** Saves the service's estimated yearly caseload, then shows the same period again. */
export async function saveCaseloadEstimateAction(form: FormData): Promise<void> {
  const user = await requirePermission('settings.change');
  const back = new URLSearchParams();
  for (const name of ['from', 'to']) {
    const value = String(form.get(name) ?? '');
    if (value) back.set(name, value);
  }
  const parsed = parseCaseloadEstimate(String(form.get('estimate') ?? ''));
  if (!parsed.ok) back.set('estimateError', parsed.problem);
  else {
    try {
      await setEstimatedYearlyCaseload(db(), parsed.value, { actorId: user.id });
      back.set('estimate', 'saved');
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      back.set('estimateError', error.message);
    }
  }
  redirect(`/admin/kpis?${back}#identification`);
}
