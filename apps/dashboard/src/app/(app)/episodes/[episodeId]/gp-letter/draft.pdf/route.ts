import { gpLetterDraftPdf } from '@vfx/database/views';
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
  const episode = await db().episode.findUnique({
    where: { id: episodeId },
    select: { patientId: true },
  });
  if (!episode) return new Response('No such episode.\n', { status: 404 });
  await recordPatientView(user, {
    episodeId,
    patientId: episode.patientId,
    details: { page: 'gp-letter', pdf: 'draft' },
  });
  const pdf = await gpLetterDraftPdf(db(), episodeId, { now: new Date(), sender: letterSender() });
  if (!pdf) return new Response('No such episode.\n', { status: 404 });
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': 'inline; filename="gp-letter-draft.pdf"',
      'Cache-Control': 'no-store',
    },
  });
}
