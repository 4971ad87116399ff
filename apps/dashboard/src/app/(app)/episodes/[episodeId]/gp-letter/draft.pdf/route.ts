import { gpLetterDraftPdf } from '@vfx/database/views';
import { UnprintableTextError } from '@vfx/documents';
import { db } from '@/server/db';
import { letterSender } from '@/server/gp-letter';
import { recordPatientView, requirePermission } from '@/server/session';

// The draft letter as a PDF, built now from the record and the saved text: the preview. Marked
// DRAFT on every page; never stored (the signed letter's PDF is made and stored at sign-off).
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ episodeId: string }> },
): Promise<Response> {
  const user = await requirePermission('patient.view');
  const { episodeId } = await params;
  let draft: Awaited<ReturnType<typeof gpLetterDraftPdf>>;
  try {
    draft = await gpLetterDraftPdf(db(), episodeId, { now: new Date(), sender: letterSender() });
  } catch (error) {
    // Text from the record that the PDF cannot print: said so, rather than a garbled preview.
    if (!(error instanceof UnprintableTextError)) throw error;
    return new Response(`The letter cannot be previewed as a PDF: ${error.message}\n`, {
      status: 422,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  if (!draft) return new Response('No such episode.\n', { status: 404 });
  await recordPatientView(user, {
    episodeId,
    patientId: draft.patientId,
    details: { page: 'gp-letter', pdf: 'draft' },
  });
  return new Response(new Uint8Array(draft.pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': 'inline; filename="gp-letter-draft.pdf"',
      'Cache-Control': 'no-store',
    },
  });
}
