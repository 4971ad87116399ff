// CSV files for spreadsheets (RFC 4180: comma-separated, CRLF line ends, quotes doubled), with
// two things spreadsheets need beyond the RFC: a byte-order mark so Excel reads UTF-8 names
// correctly, and a guard against formula injection, because a cell such as "=HYPERLINK(...)"
// typed into a patient's name would otherwise run as a formula on the administrator's machine.

export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet read a text cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers as they are, text guarded against formulas and quoted when it must be. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // A leading apostrophe makes the spreadsheet show the text as text.
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * A CSV body streamed row batch by row batch: the header first, then each batch as the source
 * yields it, so a large export never sits in memory. Stops reading when the download is cancelled.
 */
export function csvStream(
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly CsvValue[])[]>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(BYTE_ORDER_MARK + csvRow(header)));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(csvRow).join('')));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Response headers for a CSV download named `<name>-<date>.csv`. */
export function csvHeaders(name: string, date: string): HeadersInit {
  const safe = `${name}-${date}`.replace(/[^A-Za-z0-9._-]/g, '-');
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${safe}.csv"`,
    // Patient data: never kept by a browser or proxy cache.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}
