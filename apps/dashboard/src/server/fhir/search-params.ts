// FHIR search parameters as this server reads them: each search declares its parameters (the
// CapabilityStatement lists the same declarations), values are checked before anything is read,
// and a parameter the search does not know is handled as the specification says: ignored (and
// said so in the Bundle) unless the client sent `Prefer: handling=strict`, which refuses it.
import { FhirError, type FhirIssue } from '@vfx/fhir';
import type { FhirInteraction } from './interaction';

export type SearchParamSpec = NonNullable<FhirInteraction['searchParams']>[number];

/** Result parameters every search accepts besides its own (`_format` is read by the router). */
export const RESULT_PARAMETERS = ['_count', '_cursor', '_format'] as const;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface ParsedSearch {
  /** Each declared parameter given, with its values (a repeated parameter is ANDed). */
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly count: number;
  /** The opaque position of the page asked for; undefined for the first page. */
  readonly cursor: string | undefined;
  /** Parameters ignored under lenient handling, to report in the Bundle. */
  readonly ignored: readonly string[];
}

function strictHandling(request: Request): boolean {
  const prefer = request.headers.get('prefer') ?? '';
  return /(^|[,;\s])handling\s*=\s*"?strict"?/i.test(prefer);
}

export function parseSearch(
  url: URL,
  request: Request,
  specs: readonly SearchParamSpec[],
): ParsedSearch {
  const known = new Set<string>([...specs.map((spec) => spec.name), ...RESULT_PARAMETERS]);
  const values = new Map<string, string[]>();
  const ignored: string[] = [];
  const issues: FhirIssue[] = [];
  for (const [name, value] of url.searchParams) {
    const bare = name.split(':')[0] as string;
    if (!known.has(bare) || (name !== bare && !RESULT_PARAMETERS.includes(bare as never))) {
      // A modifier (":exact", ":missing") is a parameter this server does not know either.
      if (!ignored.includes(name)) ignored.push(name);
      continue;
    }
    if (RESULT_PARAMETERS.includes(bare as (typeof RESULT_PARAMETERS)[number])) continue;
    if (value === '') {
      issues.push({
        code: 'value',
        diagnostics: `Search parameter "${name}" is empty; give a value or leave it out`,
        expression: [name],
      });
      continue;
    }
    values.set(bare, [...(values.get(bare) ?? []), value]);
  }
  if (ignored.length > 0 && strictHandling(request)) {
    for (const name of ignored) {
      issues.push({
        code: 'not-supported',
        diagnostics: `Search parameter "${name}" is not supported by this search (Prefer: handling=strict); the CapabilityStatement lists the ones that are`,
        expression: [name],
      });
    }
  }
  const count = parseCount(url.searchParams.getAll('_count'), issues);
  const cursors = url.searchParams.getAll('_cursor');
  if (cursors.length > 1) {
    issues.push({
      code: 'value',
      diagnostics: '_cursor is given more than once',
      expression: ['_cursor'],
    });
  }
  if (issues.length > 0) throw new FhirError(400, issues);
  return { values, count, cursor: cursors[0], ignored };
}

function parseCount(given: readonly string[], issues: FhirIssue[]): number {
  if (given.length === 0) return DEFAULT_PAGE_SIZE;
  const [text] = given;
  if (given.length > 1 || !/^\d{1,6}$/.test(text as string) || Number(text) < 1) {
    issues.push({
      code: 'value',
      diagnostics: `_count must be one whole number from 1 to ${MAX_PAGE_SIZE} (got "${given.join('", "')}")`,
      expression: ['_count'],
    });
    return DEFAULT_PAGE_SIZE;
  }
  // Larger pages are cut to the maximum, as the specification allows (the server decides).
  return Math.min(Number(text), MAX_PAGE_SIZE);
}

/** The one value of a parameter that may be given once. */
export function single(search: ParsedSearch, name: string): string | undefined {
  const values = search.values.get(name);
  if (!values) return undefined;
  if (values.length > 1) {
    throw new FhirError(400, [
      {
        code: 'value',
        diagnostics: `Search parameter "${name}" may be given only once here`,
        expression: [name],
      },
    ]);
  }
  return values[0];
}

/** `patient=Patient/123` or `patient=123`: the patient's FHIR id. */
export function referenceId(value: string, type: string, name: string): string {
  const match = new RegExp(`^(?:(?:.*/)?${type}/)?([A-Za-z0-9\\-.]{1,64})$`).exec(value);
  if (!match) {
    throw new FhirError(400, [
      {
        code: 'value',
        diagnostics: `Search parameter "${name}" must reference a ${type} ("${type}/<id>" or "<id>"), got "${value}"`,
        expression: [name],
      },
    ]);
  }
  return match[1] as string;
}

/** `system|value`, `|value` or `value`, as a token search gives it. */
export function token(value: string): { readonly system?: string; readonly code: string } {
  const bar = value.indexOf('|');
  if (bar < 0) return { code: value };
  return { system: bar === 0 ? '' : value.slice(0, bar), code: value.slice(bar + 1) };
}

/** Comma-separated values of a token parameter (an OR). */
export function tokens(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export interface DateBound {
  readonly prefix: 'eq' | 'lt' | 'le' | 'gt' | 'ge';
  /** The first instant the value covers, and the first after it ("2026-12" covers December). */
  readonly start: Date;
  readonly end: Date;
}

/** A date search value with its prefix: "ge2026-12-01", "lt2027-01-01T09:00:00Z", "2026-12". */
export function dateBound(value: string, name: string): DateBound {
  const match =
    /^(eq|lt|le|gt|ge)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/.exec(
      value,
    );
  const fail = () =>
    new FhirError(400, [
      {
        code: 'value',
        diagnostics: `Search parameter "${name}" must be a date with an optional prefix (eq, lt, le, gt, ge), e.g. "ge2026-12-01" or "lt2026-12-07T09:00:00Z"; a time needs its zone (got "${value}")`,
        expression: [name],
      },
    ]);
  if (!match) throw fail();
  const [, prefix = 'eq', year, month, day, hour, minute, second, zone] = match;
  if (hour !== undefined && zone === undefined) throw fail();
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) throw fail();
  const y = Number(year);
  const mo = month === undefined ? undefined : Number(month) - 1;
  const d = day === undefined ? undefined : Number(day);
  let start: Date;
  let end: Date;
  if (hour !== undefined) {
    const iso = `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${zone === 'Z' ? 'Z' : zone}`;
    start = new Date(iso);
    end = new Date(start.getTime() + (second === undefined ? 60_000 : 1_000));
  } else if (d !== undefined && mo !== undefined) {
    // A date without a time is a day of the service's calendar; UTC days are used, as FHIR
    // leaves the zone of a bare date to the server (documented in docs/interop.md).
    start = new Date(Date.UTC(y, mo, d));
    end = new Date(Date.UTC(y, mo, d + 1));
    if (start.getUTCDate() !== d) throw fail();
  } else if (mo !== undefined) {
    start = new Date(Date.UTC(y, mo, 1));
    end = new Date(Date.UTC(y, mo + 1, 1));
  } else {
    start = new Date(Date.UTC(y, 0, 1));
    end = new Date(Date.UTC(y + 1, 0, 1));
  }
  if (Number.isNaN(start.getTime())) throw fail();
  return { prefix: prefix as DateBound['prefix'], start, end };
}

/**
 * What the date bounds leave of a period search, as an overlap window: the resource's period
 * must end after `from` and start before `before`.
 */
export function periodWindow(bounds: readonly DateBound[]): { from?: Date; before?: Date } {
  let from: Date | undefined;
  let before: Date | undefined;
  const later = (a: Date | undefined, b: Date) => (a && a > b ? a : b);
  const earlier = (a: Date | undefined, b: Date) => (a && a < b ? a : b);
  for (const bound of bounds) {
    switch (bound.prefix) {
      case 'eq':
        from = later(from, bound.start);
        before = earlier(before, bound.end);
        break;
      case 'ge':
        from = later(from, bound.start);
        break;
      case 'gt':
        from = later(from, bound.end);
        break;
      case 'le':
        before = earlier(before, bound.end);
        break;
      case 'lt':
        before = earlier(before, bound.start);
        break;
    }
  }
  return { ...(from ? { from } : {}), ...(before ? { before } : {}) };
}

/**
 * A keyset page from rows read with a limit of `count + 1`: the page itself, and the cursor of
 * the next page (made from the page's last row) only when the extra row shows there is more.
 */
export function keysetPage<T>(
  rows: readonly T[],
  count: number,
  cursorOf: (last: T) => unknown,
): { readonly page: T[]; readonly next: string | undefined } {
  const page = rows.slice(0, count);
  const last = page.at(-1);
  return {
    page,
    next: rows.length > count && last !== undefined ? encodeCursor(cursorOf(last)) : undefined,
  };
}

/** An opaque keyset cursor: base64url JSON, checked by the caller's schema when read back. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {}
  throw new FhirError(400, [
    {
      code: 'value',
      diagnostics: '_cursor is not one this server gave: follow the Bundle\'s "next" link as it is',
      expression: ['_cursor'],
    },
  ]);
}
