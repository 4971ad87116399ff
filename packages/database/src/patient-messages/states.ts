// The states of a patient message (patient_messages.state), and which of them are final.
//
//   scheduled -> sending -> sent -> delivered
//                                -> permanent-failure | temporary-failure | technical-failure
//                        -> failed (Notify refused the request: a 4xx, with the error in words)
//   scheduled -> cancelled (no longer planned, or the check at send said no), with the reason
//
// A failure (failed, permanent-failure) raises a task on the nurse's worklist; a scheduler may
// retry any failure (retryPatientMessage), which puts it back to scheduled.

export const PATIENT_MESSAGE_STATES = [
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
  'failed',
  'cancelled',
] as const;
export type PatientMessageState = (typeof PATIENT_MESSAGE_STATES)[number];

/** Failures a scheduler may retry. */
export const FAILED_PATIENT_MESSAGE_STATES: readonly PatientMessageState[] = [
  'failed',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
];

/** Failures that raise a task for the nurse: the patient will not get it without someone acting. */
export const TASK_RAISING_STATES: readonly PatientMessageState[] = ['failed', 'permanent-failure'];

/** The reminder kind of the nurse's task about a failed patient message. */
export const PATIENT_MESSAGE_FAILED_REMINDER = 'patient-message-failed';
