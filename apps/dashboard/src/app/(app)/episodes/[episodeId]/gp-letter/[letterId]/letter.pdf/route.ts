import { signedGpLetterPdf } from '@vfx/database/views';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';

// A signed letter's PDF: the bytes stored at sign-off, unchanged (their SHA-256 is on the page).
// The download is audited as 'gpLetter.downloaded'.
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ episodeId: string; letterId: string }> },
): Promise<Response> {
  const user = await requirePermission('patient.view');
  const { episodeId, letterId } = await params;
  const letter = await signedGpLetterPdf(db(), letterId, {
    actorId: user.id,
    now: new Date(),
    episodeId,
  });
  if (!letter) {
    return new Response('No signed letter with that id.\n', { status: 404 });
  }
  return new Response(new Uint8Array(letter.pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${letter.fileName}"`,
      'Cache-Control': 'no-store',
      ETag: `"${letter.sha256}"`,
    },
  });
}
