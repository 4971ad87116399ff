import { z } from 'zod';
import { englandAndWalesBankHolidays } from './bank-holidays.js';
import { canonicalTimeZone, isValidTimeZone, ServiceCalendar } from './calendar.js';

/**
 * Where and when the service works. These are operational settings, not clinical rules: they
 * decide the local calendar used for day, week and month arithmetic and when day-level reminders
 * land.
 */
export const ServiceSettingsSchema = z.strictObject({
  timeZone: z
    .string({ error: 'must be an IANA time zone name, e.g. Europe/London' })
    .refine((zone) => /^[A-Za-z]/.test(zone) && isValidTimeZone(zone), {
      error: 'is not a named time zone this system knows, e.g. Europe/London',
    })
    // Canonical spelling, so "europe/london" and "Europe/London" are one service calendar.
    .transform(canonicalTimeZone)
    .default('Europe/London'),
  clinicTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time HH:MM, e.g. 09:00' })
    .default('09:00'),
  bankHolidays: z.enum(['england-and-wales']).default('england-and-wales'),
  /**
   * The service's own estimate of how many patients it should identify in a year (the local
   * estimated caseload FLS-DB KPI 2 compares identification with). Not a clinical rule and not
   * given by FLS-DB: each service estimates its own. Unset: identification is not measured.
   */
  estimatedYearlyCaseload: z
    .number({ error: 'must be a whole number of patients a year, e.g. 450' })
    .int({ error: 'must be a whole number of patients a year, e.g. 450' })
    .min(1, { error: 'must be at least 1 patient a year' })
    .max(1_000_000, { error: 'must be at most 1,000,000 patients a year' })
    .optional(),
});
export type ServiceSettingsInput = z.input<typeof ServiceSettingsSchema>;
export type ServiceSettings = z.output<typeof ServiceSettingsSchema>;

export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = ServiceSettingsSchema.parse({});

const calendars = new Map<string, ServiceCalendar>();

/** One calendar per distinct settings (calendars cache date conversions, so share them). */
export function serviceCalendar(
  settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS,
): ServiceCalendar {
  const key = `${settings.timeZone}|${settings.clinicTime}|${settings.bankHolidays}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = new ServiceCalendar({
      timeZone: settings.timeZone,
      clinicTime: settings.clinicTime,
      holidays: englandAndWalesBankHolidays(),
    });
    calendars.set(key, calendar);
  }
  return calendar;
}
