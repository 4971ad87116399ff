// The service's calendar as the dashboard uses it: the days that fracture dates, reminder days and
// KPI periods are counted in (Europe/London by default), whatever zone the user's browser is in.
import { DEFAULT_SERVICE_SETTINGS, serviceCalendar } from '@vfx/domain';

export const calendar = serviceCalendar(DEFAULT_SERVICE_SETTINGS);

/** Today's date in the service's calendar. */
export const serviceToday = (now: Date) => calendar.localDate(now.getTime());
