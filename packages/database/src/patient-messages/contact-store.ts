// The patient's stored contact preferences, as the domain reads them (ContactPreferences).
import type { ContactPreferences } from '@vfx/domain';
import type { Queryable } from '../client.js';

interface PreferencesRow {
  readonly channel: string;
  readonly consentAt: Date | null;
  readonly optedOutAt: Date | null;
  readonly mobile: string | null;
  readonly email: string | null;
  readonly addressLines: readonly string[];
  readonly postcode: string | null;
}

/** A stored row as the domain's ContactPreferences. */
export function contactPreferencesOf(row: PreferencesRow): ContactPreferences {
  return {
    channel: row.channel as ContactPreferences['channel'],
    consentAt: row.consentAt?.toISOString() ?? null,
    optedOutAt: row.optedOutAt?.toISOString() ?? null,
    ...(row.mobile ? { mobile: row.mobile } : {}),
    ...(row.email ? { email: row.email } : {}),
    ...(row.addressLines.length > 0 && row.postcode
      ? { address: { lines: [...row.addressLines], postcode: row.postcode } }
      : {}),
  };
}

/** The contact preferences of these patients (absent: none recorded). */
export async function loadContactPreferences(
  q: Queryable,
  patientIds: readonly string[],
): Promise<Map<string, ContactPreferences>> {
  if (patientIds.length === 0) return new Map();
  const rows = await q.patientContactPreferences.findMany({
    where: { patientId: { in: [...new Set(patientIds)] } },
  });
  return new Map(rows.map((row) => [row.patientId, contactPreferencesOf(row)]));
}
