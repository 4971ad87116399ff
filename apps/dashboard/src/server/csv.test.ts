import { describe, expect, it } from 'vitest';
import { csvCell, csvHeaders, csvRow, csvStream } from './csv';

describe('csvCell', () => {
  it('quotes text with commas, quotes, line breaks or edge spaces, and doubles quotes', () => {
    expect(csvCell('Smith')).toBe('Smith');
    expect(csvCell('Smith, Jane')).toBe('"Smith, Jane"');
    expect(csvCell('the "Doc"')).toBe('"the ""Doc"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell("O'Neill")).toBe("O'Neill");
  });

  it('guards text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+44 20')).toBe("'+44 20");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers and yes/no as values, and nothing for missing ones', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(64.5)).toBe('64.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('yes');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('csvStream', () => {
  it('streams a byte-order mark and header, then each batch, with CRLF line ends', async () => {
    async function* batches() {
      yield [['a', 1]];
      yield [
        ['b, c', 2],
        ['=d', 3],
      ];
    }
    const bytes = new Uint8Array(
      await new Response(csvStream(['Name', 'N'], batches())).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).toBe('\uFEFFName,N\r\na,1\r\n"b, c",2\r\n\'=d,3\r\n');
  });

  it('stops reading the source when the download is cancelled', async () => {
    let read = 0;
    let finished = false;
    async function* batches() {
      try {
        for (;;) {
          read += 1;
          yield [['row', read]];
        }
      } finally {
        finished = true;
      }
    }
    const reader = csvStream(['Name', 'N'], batches()).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(finished).toBe(true);
    expect(read).toBe(1);
  });

  it('names the file with the date and forbids caching', () => {
    const headers = new Headers(csvHeaders('overdue-steps', '2026-11-21'));
    expect(headers.get('Content-Disposition')).toBe(
      'attachment; filename="overdue-steps-2026-11-21.csv"',
    );
    expect(headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('Cache-Control')).toBe('no-store');
    expect(csvRow(['x'])).toBe('x\r\n');
  });
});
