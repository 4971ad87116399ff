'use server';

import { findAuditPatients } from '@vfx/database/views';
import { textProblem } from '@vfx/domain';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';

/** The filters the audit page keeps in its address (never a patient's name or identifier). */
const KEPT = ['actor', 'kind', 'action', 'from', 'to'] as const;

/**
 * The patient picker. What was typed (a name, an NHS number or an MRN) is posted, not put in
 * the address; the page is then addressed by the patient's internal id, or by the ids of the
 * patients it could mean, to choose from.
 */
export async function findPatientAction(form: FormData): Promise<void> {
  await requirePermission('audit.view');
  const query = new URLSearchParams();
  for (const name of KEPT) {
    const value = String(form.get(name) ?? '').trim();
    if (value) query.set(name, value);
  }
  const typed = String(form.get('find') ?? '').trim();
  if (typed === '') {
    query.set('find', 'empty');
  } else if (textProblem(typed)) {
    // What was typed stays out of the address; the page says what was wrong with it.
    query.set('find', 'unreadable');
  } else {
    const patients = await findAuditPatients(db(), typed);
    if (patients.length === 1 && patients[0]) query.set('patient', patients[0].id);
    else if (patients.length > 1) for (const match of patients) query.append('choose', match.id);
    else query.set('find', 'none');
  }
  redirect(`/admin/audit?${query.toString()}`);
}
