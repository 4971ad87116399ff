/**
 * One kind of reminder sent to the patient (GOV.UK Notify, or the local mailbox without a key):
 * what it is about and when it goes, with its source or labelled a service standard. Listed by
 * each pathway version that sends patient reminders; read by the patient-message policy.
 */
export interface PatientReminderDefinition {
  /** Stable name, stored with every message ('denosumab-dose-before', ...). Never renamed. */
  readonly kind: string;
}
