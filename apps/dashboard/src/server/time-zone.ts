import { cookies } from 'next/headers';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@/ui/dates';

/** Set by the browser (see ui/time-zone-cookie.tsx) so server-rendered dates are the user's. */
export const TIME_ZONE_COOKIE = 'vfx_tz';

/** The user's time zone as their browser reported it, or the service's zone. */
export async function userTimeZone(): Promise<string> {
  const zone = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return zone && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}
