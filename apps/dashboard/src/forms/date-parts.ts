// Dates as the NHS date input asks for them: day, month and year in three boxes (and, for a
// moment, a 24-hour time beside them). The boxes are sent as "<name>-day", "<name>-month",
// "<name>-year" (and "<name>-time"); this file joins them into the text the rest of the form
// reads ("2026-03-14", or "2026-03-14T09:30" in the user's zone) and splits such text back into
// boxes. Whether the date is allowed is the domain's; this only says when the boxes are not a date.

export const DATE_PARTS = ['day', 'month', 'year'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export interface DateBoxes {
  readonly day: string;
  readonly month: string;
  readonly year: string;
  /** "HH:MM" for a date with a time; absent for a calendar date. */
  readonly time?: string;
}

export const partName = (name: string, part: DatePart | 'time') => `${name}-${part}`;

const pad = (text: string, size: number) => text.padStart(size, '0');

/** The boxes of a value as the form holds it: "2026-03-14" or "2026-03-14T09:30". */
export function splitDate(value: string | undefined): DateBoxes {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(value ?? '');
  if (!match) return { day: '', month: '', year: '' };
  const [, year = '', month = '', day = '', time] = match;
  return {
    day: String(Number(day)),
    month: String(Number(month)),
    year,
    ...(time ? { time } : {}),
  };
}

/**
 * The boxes the form shows for `name`: what was typed into them when they were sent, or else the
 * value (e.g. the date an entry is corrected from) split into boxes.
 */
export function boxesOf(values: Readonly<Record<string, string>>, name: string): DateBoxes {
  const typed = DATE_PARTS.some((part) => values[partName(name, part)] !== undefined);
  if (!typed) return splitDate(values[name]);
  const time = values[partName(name, 'time')];
  return {
    day: values[partName(name, 'day')] ?? '',
    month: values[partName(name, 'month')] ?? '',
    year: values[partName(name, 'year')] ?? '',
    ...(time !== undefined ? { time } : {}),
  };
}

export type DateReading =
  | { readonly kind: 'empty' }
  | { readonly kind: 'date'; readonly text: string }
  /** What is wrong with the boxes, to follow the field's name: "must include a year". */
  | { readonly kind: 'problem'; readonly problem: string; readonly text: string };

const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;

/** A month box: 1-12, or a month's name ("Mar", "march"), as people type it. */
function monthNumber(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const index = MONTHS.indexOf(text.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]);
  return index >= 0 && /^[a-z]+$/i.test(text) ? index + 1 : undefined;
}

/**
 * The boxes read as a date (and time): "2026-03-14" or "2026-03-14T09:30". Empty boxes are
 * empty (a missing required date is the domain's to report); boxes that do not make a real date
 * say what is missing or wrong.
 */
export function readBoxes(boxes: DateBoxes): DateReading {
  const day = boxes.day.trim();
  const month = boxes.month.trim();
  const year = boxes.year.trim();
  const time = boxes.time?.trim();
  const text = [day, month, year].join('/') + (time ? ` ${time}` : '');
  if (!day && !month && !year && !time) return { kind: 'empty' };
  const missing = [
    ...(day ? [] : ['a day']),
    ...(month ? [] : ['a month']),
    ...(year ? [] : ['a year']),
    ...(boxes.time !== undefined && !time ? ['a time'] : []),
  ];
  if (missing.length > 0) {
    const list =
      missing.length === 1
        ? missing[0]
        : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
    return { kind: 'problem', problem: `must include ${list}`, text };
  }
  const m = monthNumber(month);
  const d = /^\d{1,2}$/.test(day) ? Number(day) : undefined;
  const y = /^\d{4}$/.test(year) ? Number(year) : undefined;
  if (y === undefined)
    return { kind: 'problem', problem: 'must have a year of 4 digits, e.g. 2026', text };
  if (m === undefined || d === undefined || m < 1 || m > 12 || d < 1) {
    return { kind: 'problem', problem: 'must be a real date, e.g. 14 3 2026', text };
  }
  const calendar = new Date(Date.UTC(y, m - 1, d));
  if (calendar.getUTCDate() !== d || calendar.getUTCMonth() !== m - 1 || y < 1000) {
    return { kind: 'problem', problem: 'must be a real date, e.g. 14 3 2026', text };
  }
  const date = `${pad(String(y), 4)}-${pad(String(m), 2)}-${pad(String(d), 2)}`;
  if (time === undefined) return { kind: 'date', text: date };
  const clock = /^(\d{1,2})[:.]?(\d{2})$/.exec(time);
  const hour = clock ? Number(clock[1]) : Number.NaN;
  const minute = clock ? Number(clock[2]) : Number.NaN;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) {
    return {
      kind: 'problem',
      problem: 'must have a time on the 24-hour clock, e.g. 09:30 or 14:05',
      text,
    };
  }
  return { kind: 'date', text: `${date}T${pad(String(hour), 2)}:${pad(String(minute), 2)}` };
}

/**
 * The form's values with every date field's boxes joined under the field's own name (the boxes
 * stay, so the form shows them again as typed), and what is wrong with any that are not a date.
 */
export function joinDates(values: Readonly<Record<string, string>>): {
  readonly values: Record<string, string>;
  readonly problems: Record<string, string>;
} {
  const joined: Record<string, string> = { ...values };
  const problems: Record<string, string> = {};
  const names = new Set(
    Object.keys(values)
      .map((key) => /^(.*)-(day|month|year)$/.exec(key)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  for (const name of names) {
    const reading = readBoxes(boxesOf(values, name));
    joined[name] = reading.kind === 'empty' ? '' : reading.text;
    if (reading.kind === 'problem') problems[name] = reading.problem;
  }
  return { values: joined, problems };
}
