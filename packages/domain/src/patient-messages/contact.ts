/**
 * How a patient wants to hear from the service. Stored one row per patient
 * (patient_contact_preferences); validated here before it is stored.
 */
export type PatientChannel = 'sms' | 'email' | 'letter';

export interface PostalAddress {
  /** Address lines without the postcode (1 to 6 lines, as Notify's letters take them). */
  readonly lines: readonly string[];
  /** A UK postcode in its standard form ("LS1 4AP"). */
  readonly postcode: string;
}

export interface ContactPreferences {
  readonly channel: PatientChannel | 'none';
  /** When the patient agreed to reminders on `channel` (ISO instant); null: no consent. */
  readonly consentAt: string | null;
  /** When the patient opted out (ISO instant); null: not opted out. */
  readonly optedOutAt: string | null;
  /** A UK mobile number in E.164 form (+447...). */
  readonly mobile?: string;
  readonly email?: string;
  readonly address?: PostalAddress;
}
