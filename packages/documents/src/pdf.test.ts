import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderPdf } from './pdf.js';

describe('renderPdf', () => {
  it('renders a PDF whose text is the definition’s, pound signs and typographic quotes included', async () => {
    const pdf = await renderPdf({
      info: { title: 'A test' },
      content: [{ text: 'Your next review is on 12 March 2027 – it’s free (£0).', fontSize: 16 }],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdftotext(pdf)).toContain('Your next review is on 12 March 2027 – it’s free (£0).');
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
