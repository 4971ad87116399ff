// The service's stored settings: one row (id 1) of service_settings. So far only the estimated
// yearly caseload, the service's own estimate FLS-DB KPI 2 compares identification with; the
// calendar settings (time zone, clinic time, bank holidays) are still the defaults in code.
import { ServiceSettingsSchema } from '@vfx/domain';
import type { Queryable } from '../client.js';
import { audit } from './audit.js';
import { RecordError } from './errors.js';
import { runWrite } from './write-path.js';

export interface StoredServiceSettings {
  readonly estimatedYearlyCaseload?: number;
}

export async function readServiceSettings(db: Queryable): Promise<StoredServiceSettings> {
  const row = await db.serviceSetting.findUnique({ where: { id: 1 } });
  return row?.estimatedYearlyCaseload == null
    ? {}
    : { estimatedYearlyCaseload: row.estimatedYearlyCaseload };
}

/** Sets (or, with undefined, clears) the estimated yearly caseload; administrators only. */
export async function setEstimatedYearlyCaseload(
  db: Queryable,
  value: number | undefined,
  options: { actorId: string; now?: Date },
): Promise<StoredServiceSettings> {
  const parsed = ServiceSettingsSchema.shape.estimatedYearlyCaseload.safeParse(value);
  if (!parsed.success) {
    throw RecordError.invalid(
      parsed.error.issues.map((issue) => ({
        path: 'estimatedYearlyCaseload',
        message: issue.message,
      })),
    );
  }
  const now = options.now ?? new Date();
  return runWrite(db, async (tx) => {
    const actor = await tx.user.findUnique({ where: { id: options.actorId } });
    if (!actor?.active || actor.role !== 'admin') {
      throw new RecordError('forbidden', 'Only an administrator may change the service settings');
    }
    const before = await readServiceSettings(tx);
    const estimate = parsed.data ?? null;
    await tx.serviceSetting.upsert({
      where: { id: 1 },
      create: { id: 1, estimatedYearlyCaseload: estimate, updatedAt: now, updatedBy: actor.id },
      update: { estimatedYearlyCaseload: estimate, updatedAt: now, updatedBy: actor.id },
    });
    await audit(tx, {
      actor: actor.id,
      action: 'service-settings.changed',
      entityType: 'service-settings',
      entityId: 'service',
      before,
      after: { estimatedYearlyCaseload: estimate },
      at: now,
    });
    return parsed.data === undefined ? {} : { estimatedYearlyCaseload: parsed.data };
  });
}
