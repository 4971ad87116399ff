// A patient's contact preferences as stored (patient_contact_preferences, one row per patient)
// and as the domain reads them (ContactPreferences): the one mapping between the two.
import type { ContactPreferences, PatientChannel } from '@vfx/domain';
import type { Queryable } from '../client.js';
import type { PatientContactPreferences } from '../generated/prisma/client.js';

/** The row as packages/domain's ContactPreferences (validated before it was stored). */
export function contactPreferencesFromRow(row: PatientContactPreferences): ContactPreferences {
  return {
    channel: row.channel as PatientChannel | 'none',
    consentAt: row.consentAt?.toISOString() ?? null,
    optedOutAt: row.optedOutAt?.toISOString() ?? null,
    ...(row.mobile ? { mobile: row.mobile } : {}),
    ...(row.email ? { email: row.email } : {}),
    ...(row.postcode ? { address: { lines: row.addressLines, postcode: row.postcode } } : {}),
  };
}

/** The patient's stored preferences, or null when none are recorded. */
export async function readContactPreferences(
  db: Queryable,
  patientId: string,
): Promise<ContactPreferences | null> {
  const row = await db.patientContactPreferences.findUnique({ where: { patientId } });
  return row ? contactPreferencesFromRow(row) : null;
}
