// Setting the service's estimated yearly caseload (`settings.change`), which FLS-DB KPI 2
// compares identification with.
import { ServiceSettingsSchema } from '@vfx/domain';
import type { Queryable } from '../client.js';
import { RecordError } from '../records/errors.js';
import { readServiceSettings, type StoredServiceSettings } from '../records/service-settings.js';
import { type ActorId, runCommand } from './run-command.js';

/** Sets (or, with undefined, clears) the estimated yearly caseload; administrators only. */
export async function setEstimatedYearlyCaseload(
  db: Queryable,
  value: number | undefined,
  options: { actorId: ActorId; now?: Date },
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
  return runCommand(db, options.actorId, 'settings.change', async ({ tx, actor, audit }) => {
    const before = await readServiceSettings(tx);
    const estimate = parsed.data ?? null;
    await tx.serviceSetting.upsert({
      where: { id: 1 },
      create: { id: 1, estimatedYearlyCaseload: estimate, updatedAt: now, updatedBy: actor.id },
      update: { estimatedYearlyCaseload: estimate, updatedAt: now, updatedBy: actor.id },
    });
    await audit({
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
