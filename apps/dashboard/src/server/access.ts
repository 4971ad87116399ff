// Which actions read patient-identifiable data: an allowed use of any of them writes an access
// row to the audit log (see session.ts recordRead, the JSON API's route.ts and the permission
// matrix test). The permission table says who may; this says what must be recorded when they do.
import type { Action } from '@vfx/domain';

export const PATIENT_READS: ReadonlySet<Action> = new Set<Action>([
  'worklist.view',
  'caseload.view',
  'patient.view',
  'patient.search',
  'reminders.view',
  'deliveries.view',
  'overdue.view',
  'overdue.export',
]);
