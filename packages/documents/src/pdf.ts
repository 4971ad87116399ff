// Renders a pdfmake document definition to PDF bytes, on the server. One place sets the font and
// shuts off pdfmake's file and URL access, so a document definition built from patient data can
// never read a local file or fetch a URL (an image source naming one is refused, not followed).
//
// The font is Roboto, the TrueType font pdfmake ships in its own package (build/vfs_fonts.js),
// embedded in each PDF. PDF's built-in Helvetica was the first choice, but it encodes only the
// Windows Latin-1 set: "Łucja" printed as "V¶ucja" and a pasted minus sign in "T-score −2.9" was
// dropped, silently, in a letter signed and stored unchanged. Roboto covers Latin (Polish,
// Turkish, Vietnamese ...), Greek, Cyrillic and the common symbols (≤ ≥ − £ €). Whatever it cannot
// draw is refused before rendering, by name, rather than printed wrong (UnprintableTextError).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A pdfmake document definition (https://pdfmake.github.io/docs/0.3/document-definition-object/). */
export type PdfDocumentDefinition = Record<string, unknown> & { readonly content: unknown };

/** Text the document's font has no glyph for: it cannot be printed as written. */
export class UnprintableTextError extends Error {
  override readonly name = 'UnprintableTextError';
  constructor(
    /** Each character that cannot be printed, once, in the order first met. */
    readonly characters: readonly string[],
  ) {
    super(
      `${describeUnprintable(characters)} cannot be printed in the PDF; write ${characters.length === 1 ? 'it' : 'them'} another way (for example "to" instead of an arrow).`,
    );
  }
}

interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  readonly virtualfs: { writeFileSync(name: string, content: Buffer): void };
  createPdf(definition: PdfDocumentDefinition): { getBuffer(): Promise<Buffer> };
}

interface FontKitFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** Roboto's four faces, as pdfmake's vfs_fonts.js names them. */
const ROBOTO = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

let loaded: { pdfmake: PdfMake; fonts: readonly FontKitFont[] } | undefined;

function load(): { pdfmake: PdfMake; fonts: readonly FontKitFont[] } {
  if (!loaded) {
    // pdfmake 0.3 is CommonJS with a singleton instance; it is loaded once and configured once.
    const pdfmake = require('pdfmake') as PdfMake;
    const files = require('pdfmake/build/vfs_fonts.js') as Record<string, string>;
    const fontkit = require('fontkit') as { create(buffer: Buffer): FontKitFont };
    const fonts: FontKitFont[] = [];
    for (const name of Object.values(ROBOTO)) {
      const base64 = files[name];
      if (!base64) throw new Error(`pdfmake's vfs_fonts.js has no ${name}`);
      const bytes = Buffer.from(base64, 'base64');
      // In pdfmake's virtual file system, so no path on disk is ever read.
      pdfmake.virtualfs.writeFileSync(name, bytes);
      fonts.push(fontkit.create(bytes));
    }
    pdfmake.setFonts({ Roboto: { ...ROBOTO } });
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy(() => false);
    loaded = { pdfmake, fonts };
  }
  return loaded;
}

/** Every string of text in a definition (text nodes, list items, table cells, headers...). */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // Style names, colours, image names and the like are not printed text.
      if (key === 'text' || key === 'ul' || key === 'ol' || key === 'stack' || key === 'body')
        yield* strings(item);
      else if (typeof item === 'object') yield* strings(item);
    }
  }
}

/** The characters of these texts that some face of the font cannot draw, each once. */
function unprintable(texts: Iterable<string>, fonts: readonly FontKitFont[]): string[] {
  const missing = new Set<string>();
  for (const text of texts) {
    for (const character of text) {
      if (character === '\n' || character === '\t' || missing.has(character)) continue;
      const codePoint = character.codePointAt(0) as number;
      if (fonts.some((font) => !font.hasGlyphForCodePoint(codePoint))) missing.add(character);
    }
  }
  return [...missing];
}

/**
 * The characters of a text that the documents' font cannot draw (each once, in the order first
 * met): empty when the text prints as written. For checking what a person types before it is kept
 * for a document (describeUnprintable words the refusal).
 */
export function unprintableCharacters(text: string): string[] {
  return unprintable([text], load().fonts);
}

/** `"→" (U+2192), "✓" (U+2713)`: characters named so a person can find them in what they typed. */
export function describeUnprintable(characters: readonly string[]): string {
  return characters
    .map((c) => `"${c}" (U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')})`)
    .join(', ');
}

/**
 * The PDF of a document definition, in Roboto. Throws UnprintableTextError, before anything is
 * rendered, when its text holds a character the font cannot draw.
 */
export async function renderPdf(definition: PdfDocumentDefinition): Promise<Buffer> {
  const { pdfmake, fonts } = load();
  const missing = unprintable(
    strings([definition.content, definition.header, definition.footer]),
    fonts,
  );
  if (missing.length > 0) throw new UnprintableTextError(missing);
  const defaultStyle = { font: 'Roboto', ...(definition.defaultStyle as object | undefined) };
  return pdfmake.createPdf({ ...definition, defaultStyle }).getBuffer();
}
