// Whom the written plan tells the patient to call: the service's own contact, from the same
// LETTER_SERVICE_* settings as the letter to the GP (one configuration for the service's contact).
import type { WrittenPlanContact } from '@vfx/domain';
import { letterSender } from '../gp-letter';

/** The service's name and telephone (if configured) for the patient's written plan. */
export function writtenPlanContact(): WrittenPlanContact {
  const sender = letterSender();
  return {
    name: sender.serviceName,
    ...(sender.telephone ? { telephone: sender.telephone } : {}),
  };
}
