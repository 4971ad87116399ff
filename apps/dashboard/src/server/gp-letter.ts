// The letter to the GP as the dashboard produces it: who it is from (configuration), at what
// instant, in the service's calendar. The letter itself is the domain's; storing it the database's.
import type { GpLetterSender } from '@vfx/domain';
import { config } from './env';

/** The service's name and address for the letter's header, from LETTER_SERVICE_* settings. */
export function letterSender(): GpLetterSender {
  const c = config();
  return {
    serviceName: c.LETTER_SERVICE_NAME,
    addressLines: c.LETTER_SERVICE_ADDRESS.split(';')
      .map((line) => line.trim())
      .filter(Boolean),
    ...(c.LETTER_SERVICE_TELEPHONE ? { telephone: c.LETTER_SERVICE_TELEPHONE } : {}),
    ...(c.LETTER_SERVICE_EMAIL ? { email: c.LETTER_SERVICE_EMAIL } : {}),
  };
}
