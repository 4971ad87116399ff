import { z } from 'zod';

/**
 * The one rule for characters in free text (names, notes, reasons, search terms, account and key
 * names): no control characters and no bidirectional overrides. Control characters (C0 including
 * NUL, DEL, C1) cannot be stored by PostgreSQL (NUL) or shown, and can forge log lines; bidi
 * overrides and isolates make text read differently from what it is ("Trojan Source"), so a name
 * could display as another. Line breaks and tabs are allowed only where a field is multi-line.
 */
export interface TextRule {
  /** A multi-line field (a note): line feed, carriage return and tab are allowed. */
  readonly multiline?: boolean;
}

const LINE_CHARACTERS = new Set([0x09, 0x0a, 0x0d]);

function kindOf(code: number): 'control' | 'bidi' | undefined {
  if (code <= 0x1f || code === 0x7f || (code >= 0x80 && code <= 0x9f)) return 'control';
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return 'bidi';
  return undefined;
}

const codePoint = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * What is wrong with the characters of `value`, in words that say what to do, or undefined when
 * nothing is. Names the first offending character by its code point, e.g.
 * "contains a control character (U+0000) — remove it".
 */
export function textProblem(value: string, rule: TextRule = {}): string | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const kind = kindOf(code);
    if (!kind) continue;
    if (kind === 'control' && rule.multiline && LINE_CHARACTERS.has(code)) continue;
    if (kind === 'bidi') {
      return `contains a bidirectional control character (${codePoint(code)}) — remove it`;
    }
    const where =
      LINE_CHARACTERS.has(code) && !rule.multiline
        ? ' (a line break or tab, which this one-line field cannot hold)'
        : '';
    return `contains a control character (${codePoint(code)})${where} — remove it`;
  }
  return undefined;
}

/** A zod check applying the rule, to add to any string schema with `.check(...)`. */
export const plainCharacters = (rule: TextRule = {}) =>
  z.superRefine<string>((value, ctx) => {
    const problem = textProblem(value, rule);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });

/**
 * A one-line text field: trimmed, at most `max` characters, no control or bidi characters.
 * `what` names it in the messages of the default checks (e.g. "the given name").
 */
export const singleLineText = (max: number, what?: string) =>
  z
    .string({ error: what ? `must be ${what} as text` : 'must be text' })
    .trim()
    .max(max, { error: `must be at most ${max} characters${what ? ` (${what})` : ''}` })
    .check(plainCharacters());

/** A multi-line text field (notes, reasons): line breaks and tabs allowed, nothing else. */
export const multiLineText = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .check(plainCharacters({ multiline: true }));

/** What someone types to find patients: one line, at most 100 characters. */
export const SearchQuerySchema = singleLineText(100, 'the search');
