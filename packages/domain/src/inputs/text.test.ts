import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ClinicalEventSchema, DemographicsSchema } from './schemas.js';
import { SearchQuerySchema, textProblem } from './text.js';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Every character the rule refuses (line feed, carriage return and tab only in one-line fields). */
const FORBIDDEN = [
  ...range(0x00, 0x1f),
  0x7f,
  ...range(0x80, 0x9f),
  ...range(0x202a, 0x202e),
  ...range(0x2066, 0x2069),
];
const LINE = new Set([0x09, 0x0a, 0x0d]);
const hex = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');

/** Text a person might type, in any script, with none of the refused characters. */
const safeTextArb = fc
  .string({ unit: 'grapheme', maxLength: 40 })
  .filter((text) => [...text].every((c) => !FORBIDDEN.includes(c.codePointAt(0) as number)));

interface Field {
  readonly name: string;
  readonly schema: z.ZodType;
  readonly multiline: boolean;
}

/**
 * Every free-text field of the input schemas, found from the schemas themselves: a field that
 * accepts a sentence is free text. A new free-text field is therefore tested the day it is added.
 */
function freeTextFields(): Field[] {
  const fields: Field[] = [
    {
      name: 'demographics.givenName',
      schema: DemographicsSchema.shape.givenName,
      multiline: false,
    },
    {
      name: 'demographics.familyName',
      schema: DemographicsSchema.shape.familyName,
      multiline: false,
    },
    { name: 'search', schema: SearchQuerySchema, multiline: false },
  ];
  for (const option of ClinicalEventSchema.options) {
    const type = option.shape.type.value;
    for (const [key, schema] of Object.entries(option.shape as Record<string, z.ZodType>)) {
      if (!schema.safeParse('Seen in clinic, 2 weeks; better.').success) continue;
      fields.push({
        name: `${type}.${key}`,
        schema,
        multiline: schema.safeParse('line one\nline two\ttabbed').success,
      });
    }
  }
  return fields;
}

describe('control characters in free text', () => {
  const fields = freeTextFields();

  it('finds the free-text fields of the schemas (names, notes, reasons, search)', () => {
    const names = fields.map((field) => field.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'demographics.givenName',
        'search',
        'pain-assessment.note',
        'step-rescheduled.reason',
        'retraction.note',
      ]),
    );
    // Notes and reasons are multi-line; names and searches are one line.
    expect(fields.find((f) => f.name === 'pain-assessment.note')?.multiline).toBe(true);
    expect(fields.find((f) => f.name === 'demographics.givenName')?.multiline).toBe(false);
  });

  it('every free-text field refuses each control and bidi character, naming it, wherever it is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        safeTextArb,
        safeTextArb,
        fc.constantFrom(...FORBIDDEN),
        (field, before, after, code) => {
          fc.pre(!(field.multiline && LINE.has(code)));
          // Inside the text: trimming never removes it.
          const text = `a${before}${String.fromCharCode(code)}${after}z`;
          const result = field.schema.safeParse(text);
          expect(result.success, `${field.name} with U+${hex(code)}`).toBe(false);
          const messages = result.error?.issues.map((issue) => issue.message) ?? [];
          expect(messages).toContainEqual(
            expect.stringMatching(
              new RegExp(
                `^contains a (bidirectional )?control character \\(U\\+${hex(code)}\\).* — remove it$`,
              ),
            ),
          );
        },
      ),
      { numRuns: 2000 },
    );
    // 2,000 runs take about 3 s alone; a loaded CI machine must not turn that into a failure.
  }, 60_000);

  it('accepts text without them, and line breaks and tabs in multi-line fields only', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), safeTextArb, (field, text) => {
        expect(textProblem(text)).toBeUndefined();
        const multiLine = `a${text}\r\nnext\tline z`;
        expect(field.schema.safeParse(multiLine).success, field.name).toBe(field.multiline);
      }),
      { numRuns: 500 },
    );
  });

  it('names the first refused character and says what to do', () => {
    expect(textProblem('Jane\u0000 Doe')).toBe('contains a control character (U+0000) — remove it');
    expect(textProblem('x\u007f')).toBe('contains a control character (U+007F) — remove it');
    expect(textProblem('x\u0085')).toBe('contains a control character (U+0085) — remove it');
    expect(textProblem('abc\u202Efed')).toBe(
      'contains a bidirectional control character (U+202E) — remove it',
    );
    expect(textProblem('a\u2066b')).toMatch(/U\+2066/);
    expect(textProblem('two\nlines')).toBe(
      'contains a control character (U+000A) (a line break or tab, which this one-line field cannot hold) — remove it',
    );
    expect(textProblem('two\nlines\tand a tab', { multiline: true })).toBeUndefined();
    // Right-to-left text itself is fine: only the invisible overrides are refused.
    expect(textProblem('مرحبا Zoë Ōtsuka 李')).toBeUndefined();
  });

  it('a whole entry with a NUL in its note is refused with the field named', () => {
    const now = '2026-12-06T12:00:00Z';
    const result = ClinicalEventSchema.safeParse({
      id: 'ev-1',
      type: 'retraction',
      occurredAt: now,
      recordedAt: now,
      recordedBy: 'nurse-1',
      supersedes: 'ev-0',
      note: 'entered in error\u0000',
    });
    expect(result.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: ['note'], message: 'contains a control character (U+0000) — remove it' },
    ]);
  });
});
