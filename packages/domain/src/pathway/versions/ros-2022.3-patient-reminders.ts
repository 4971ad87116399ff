import type { PatientReminderDefinition } from '../../patient-messages/definition.js';

/** The reminders version 3 sends to patients. */
export const PATIENT_REMINDERS: readonly PatientReminderDefinition[] = [];
