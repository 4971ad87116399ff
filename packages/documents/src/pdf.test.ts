import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderPdf, UnprintableTextError, unprintableCharacters } from './pdf.js';

describe('renderPdf', () => {
  it('renders a PDF whose text is the definition’s, pound signs and typographic quotes included', async () => {
    const pdf = await renderPdf({
      info: { title: 'A test' },
      content: [{ text: 'Your next review is on 12 March 2027 – it’s free (£0).', fontSize: 16 }],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdftotext(pdf)).toContain('Your next review is on 12 March 2027 – it’s free (£0).');
  });

  it('prints names and symbols beyond Latin-1 as written: a Polish name, ≤, ≥ and a minus sign', async () => {
    const words = 'Dr Łukasz Żółć: eGFR ≤ 35, calcium ≥ 2.6, T-score −2.9, Ünal, Ørsted.';
    const pdf = await renderPdf({
      content: [{ text: words }, { ul: ['Łucja'] }, { table: { body: [['≥ 3']] } }],
    });
    const text = pdftotext(pdf);
    expect(text).toContain(words);
    expect(text).toContain('Łucja');
    // pdftotext may close up the space in a narrow table cell.
    expect(text).toMatch(/≥ ?3/);
  });

  it('refuses text the font cannot draw, naming each character, instead of printing it wrong', async () => {
    const refusal = renderPdf({
      content: [{ text: 'Pain 7 → 3' }, { columns: [{ stack: ['✓ done', 'fine'] }] }],
    });
    await expect(refusal).rejects.toBeInstanceOf(UnprintableTextError);
    await expect(refusal).rejects.toThrow(
      '"→" (U+2192), "✓" (U+2713) cannot be printed in the PDF; write them another way',
    );
  });

  it('tells which characters of typed text cannot be printed, before anything is kept', () => {
    expect(unprintableCharacters('Łucja: eGFR ≤ 35, T-score −2.9')).toEqual([]);
    expect(unprintableCharacters('pain 7 → 3 → 2 ✓')).toEqual(['→', '✓']);
  });

  it('refuses an image that names a local file or a URL, so patient data cannot pull one in', async () => {
    await expect(renderPdf({ content: [{ image: '/etc/passwd' }] })).rejects.toThrow(
      /denied by resource access policy/,
    );
    await expect(
      renderPdf({ content: [{ image: 'https://example.org/x.png' }] }),
    ).rejects.toThrow();
  });
});

/** The PDF's text through poppler's pdftotext (poppler-utils; scripts/ensure-services.sh installs it). */
function pdftotext(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();
}
