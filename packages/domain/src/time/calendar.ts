import { Temporal } from 'temporal-polyfill';
import { addToCivilDate, describeCivilDate, isoDayOfWeek, toEpochDay } from './civil-date.js';
import { type CalendarOffset, type ExactOffset, isExactOffset, type Offset } from './offset.js';

/** A calendar date in the service's time zone, ISO `YYYY-MM-DD` (sorts as text). */
export type LocalDate = string;
/** An exact instant, milliseconds since the Unix epoch. */
export type EpochMs = number;

export interface HolidayCalendar {
  /** Name and source of the list, shown in documentation and plans. */
  readonly description: string;
  /** The holiday's name if `date` is a public holiday, else undefined. */
  holidayOn(date: LocalDate): string | undefined;
}

export interface CalendarSettings {
  /** IANA time zone of the service, e.g. `Europe/London`. */
  readonly timeZone: string;
  /** Local time at which day-level reminders land, `HH:MM` (24-hour). */
  readonly clinicTime: string;
  readonly holidays: HolidayCalendar;
}

const MS_PER_HOUR = 3_600_000;
const QUARTER_HOUR = 900_000;

/**
 * Calendar arithmetic for one service: its time zone, its clinic hour and its working days.
 * Pure: every method is a function of its arguments and the settings; nothing reads the clock.
 */
export class ServiceCalendar {
  readonly timeZone: string;
  readonly clinicTime: Temporal.PlainTime;
  readonly holidays: HolidayCalendar;
  // Converting a local date to an instant is the hot path when planning many patients; the same
  // few thousand dates recur, so remembering them is cheap and keeps planning fast.
  private readonly clinicInstantCache = new Map<LocalDate, EpochMs>();
  private readonly startOfDayCache = new Map<LocalDate, EpochMs>();
  private readonly localDateCache = new Map<number, LocalDate>();
  private readonly describedDateCache = new Map<LocalDate, string>();

  constructor(settings: CalendarSettings) {
    this.timeZone = settings.timeZone;
    this.clinicTime = Temporal.PlainTime.from(settings.clinicTime);
    this.holidays = settings.holidays;
  }

  /** The local calendar date of an instant. */
  localDate(instant: EpochMs): LocalDate {
    // Instants in the same quarter-hour share a local date unless a midnight or a clock change
    // falls inside it; remember the date per quarter-hour only when both ends of it agree.
    const bucket = Math.floor(instant / QUARTER_HOUR);
    const cached = this.localDateCache.get(bucket);
    if (cached !== undefined) return cached;
    const date = this.convertToLocalDate(instant);
    const start = bucket * QUARTER_HOUR;
    if (
      this.convertToLocalDate(start) === date &&
      this.convertToLocalDate(start + QUARTER_HOUR - 1) === date
    ) {
      this.localDateCache.set(bucket, date);
    }
    return date;
  }

  private convertToLocalDate(instant: EpochMs): LocalDate {
    return Temporal.Instant.fromEpochMilliseconds(instant)
      .toZonedDateTimeISO(this.timeZone)
      .toPlainDate()
      .toString();
  }

  /** The first instant of a local date (00:00 local, or the first valid time on a DST gap). */
  startOfDay(date: LocalDate): EpochMs {
    let cached = this.startOfDayCache.get(date);
    if (cached === undefined) {
      cached = Temporal.PlainDate.from(date).toZonedDateTime({
        timeZone: this.timeZone,
      }).epochMilliseconds;
      this.startOfDayCache.set(date, cached);
    }
    return cached;
  }

  /** The instant of the clinic hour on a local date. */
  atClinicTime(date: LocalDate): EpochMs {
    let cached = this.clinicInstantCache.get(date);
    if (cached === undefined) {
      cached = this.atLocalTime(date, this.clinicTime);
      this.clinicInstantCache.set(date, cached);
    }
    return cached;
  }

  /**
   * The instant a local wall-clock time (`HH:MM`) names on a local date. A time the clocks skip
   * (01:30 on the spring-forward day) moves forward by the gap; a time that happens twice (01:30
   * on the autumn day) is the first of the two.
   */
  atLocalTime(date: LocalDate, time: string | Temporal.PlainTime): EpochMs {
    return Temporal.PlainDate.from(date).toZonedDateTime({
      timeZone: this.timeZone,
      plainTime: Temporal.PlainTime.from(time),
    }).epochMilliseconds;
  }

  /**
   * An instant as people in the service read it: "Sat 5 Dec 2026, 18:30", the local date and
   * wall-clock time (to the minute), as the dashboard writes them. Plans show exact times this
   * way, never as UTC text.
   */
  describeInstant(instant: EpochMs): string {
    const local = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(this.timeZone);
    const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
    return `${this.describeDate(local.toPlainDate().toString())}, ${time}`;
  }

  /** The local wall-clock time of an instant, to the minute: "09:00". */
  describeTime(instant: EpochMs): string {
    const local = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(this.timeZone);
    return `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  }

  /** A local date as people read it: "Tue 7 Apr 2026". */
  describeDate(date: LocalDate): string {
    // Every reason of every plan writes its dates this way: a few hundred distinct days a plan.
    let described = this.describedDateCache.get(date);
    if (described === undefined) {
      described = describeCivilDate(date);
      this.describedDateCache.set(date, described);
    }
    return described;
  }

  /**
   * Why a date is not a working day, as a phrase that follows "is": "a Saturday", "Easter
   * Monday, a bank holiday"; undefined on a working day.
   */
  describeNonWorkingDay(date: LocalDate): string | undefined {
    const holiday = this.holidays.holidayOn(date);
    if (holiday) return `${holiday}, a bank holiday`;
    const why = this.nonWorkingReason(date);
    return why && `a ${why}`;
  }

  /** Calendar arithmetic on a local date; month ends clamp (31 Jan + 1 month = 28/29 Feb). */
  addToDate(date: LocalDate, offset: CalendarOffset): LocalDate {
    return addToCivilDate(date, offset);
  }

  /** Exact elapsed time. */
  addExact(instant: EpochMs, offset: ExactOffset): EpochMs {
    return instant + offset.hours * MS_PER_HOUR;
  }

  /** Applies an offset to an instant: exact hours, or calendar units on its local date and time. */
  addToInstant(instant: EpochMs, offset: Offset): EpochMs {
    if (isExactOffset(offset)) return this.addExact(instant, offset);
    return Temporal.Instant.fromEpochMilliseconds(instant)
      .toZonedDateTimeISO(this.timeZone)
      .add({
        years: offset.years ?? 0,
        months: offset.months ?? 0,
        weeks: offset.weeks ?? 0,
        days: offset.days ?? 0,
      }).epochMilliseconds;
  }

  /** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
  daysBetween(from: LocalDate, to: LocalDate): number {
    return toEpochDay(to) - toEpochDay(from);
  }

  isWorkingDay(date: LocalDate): boolean {
    return isoDayOfWeek(date) <= 5 && this.holidays.holidayOn(date) === undefined;
  }

  /** Why a date is not a working day ("Saturday", "Easter Monday"), or undefined. */
  nonWorkingReason(date: LocalDate): string | undefined {
    const holiday = this.holidays.holidayOn(date);
    if (holiday) return holiday;
    const dayOfWeek = isoDayOfWeek(date);
    if (dayOfWeek === 6) return 'Saturday';
    if (dayOfWeek === 7) return 'Sunday';
    return undefined;
  }

  /** `date` itself if it is a working day, else the next working day after it. */
  workingDayOnOrAfter(date: LocalDate): LocalDate {
    let candidate = date;
    while (!this.isWorkingDay(candidate)) candidate = this.addToDate(candidate, { days: 1 });
    return candidate;
  }

  /** `date` itself if it is a working day, else the last working day before it. */
  workingDayOnOrBefore(date: LocalDate): LocalDate {
    let candidate = date;
    while (!this.isWorkingDay(candidate)) candidate = this.addToDate(candidate, { days: -1 });
    return candidate;
  }
}

/** ISO-8601 UTC text for an instant, as plans and commands carry it. */
export function toIso(instant: EpochMs): string {
  return new Date(instant).toISOString();
}

/** Validates an IANA time zone name without touching the clock. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.PlainDate.from('2000-01-01').toZonedDateTime({ timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The time zone's canonical IANA spelling ("europe/london" -> "Europe/London"). */
export function canonicalTimeZone(timeZone: string): string {
  return Temporal.PlainDate.from('2000-01-01').toZonedDateTime({ timeZone }).timeZoneId;
}
