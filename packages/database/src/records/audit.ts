import { insertMany } from '../bulk-insert.js';
import type { Transaction } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';

export interface AuditInput {
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly patientId?: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly at?: Date;
}

/** Appends to the audit log in the caller's transaction, so the entry and the change agree. */
export async function audit(tx: Transaction, entries: AuditInput | readonly AuditInput[]) {
  const list = Array.isArray(entries) ? entries : [entries as AuditInput];
  await insertMany(
    tx,
    'audit_log',
    list.map((entry) => ({
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      patientId: entry.patientId ?? null,
      before: (entry.before ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (entry.after ?? undefined) as Prisma.InputJsonValue | undefined,
      ...(entry.at ? { at: entry.at } : {}),
    })),
  );
}
