// Renders a pdfmake document definition to PDF bytes, on the server. One place sets the fonts
// (PDF's built-in Helvetica: no font files to ship, and no network) and shuts off pdfmake's file
// and URL access, so a document definition built from patient data can never read a local file
// or fetch a URL (an image source naming one is refused, not followed).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A pdfmake document definition (https://pdfmake.github.io/docs/0.3/document-definition-object/). */
export type PdfDocumentDefinition = Record<string, unknown> & { readonly content: unknown };

interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(definition: PdfDocumentDefinition): { getBuffer(): Promise<Buffer> };
}

const HELVETICA = {
  normal: 'Helvetica',
  bold: 'Helvetica-Bold',
  italics: 'Helvetica-Oblique',
  bolditalics: 'Helvetica-BoldOblique',
};

let pdfmake: PdfMake | undefined;

function loadPdfMake(): PdfMake {
  if (!pdfmake) {
    // pdfmake 0.3 is CommonJS with a singleton instance; it is loaded once and configured once.
    const instance = require('pdfmake') as PdfMake;
    instance.setFonts({ Helvetica: HELVETICA });
    instance.setUrlAccessPolicy(() => false);
    // pdfmake asks the policy for the built-in font names too; nothing else is allowed.
    const builtIn = new Set(Object.values(HELVETICA));
    instance.setLocalAccessPolicy((path) => builtIn.has(path));
    pdfmake = instance;
  }
  return pdfmake;
}

/** The PDF of a document definition. Its default font is Helvetica unless it sets another. */
export async function renderPdf(definition: PdfDocumentDefinition): Promise<Buffer> {
  const defaultStyle = { font: 'Helvetica', ...(definition.defaultStyle as object | undefined) };
  return loadPdfMake()
    .createPdf({ ...definition, defaultStyle })
    .getBuffer();
}
