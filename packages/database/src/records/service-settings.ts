// The service's stored settings: one row (id 1) of service_settings. So far only the estimated
// yearly caseload, the service's own estimate FLS-DB KPI 2 compares identification with; the
// calendar settings (time zone, clinic time, bank holidays) are still the defaults in code.
// The command that changes them is commands/set-estimated-yearly-caseload.ts.
import type { Queryable } from '../client.js';

export interface StoredServiceSettings {
  readonly estimatedYearlyCaseload?: number;
}

export async function readServiceSettings(db: Queryable): Promise<StoredServiceSettings> {
  const row = await db.serviceSetting.findUnique({ where: { id: 1 } });
  return row?.estimatedYearlyCaseload == null
    ? {}
    : { estimatedYearlyCaseload: row.estimatedYearlyCaseload };
}
