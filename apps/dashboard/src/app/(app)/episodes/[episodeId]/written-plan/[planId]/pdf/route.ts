import { readWrittenPlan } from '@vfx/database/views';
import { db } from '@/server/db';
import { episodeView } from '@/server/episode';
import { recordPatientView, requirePermission } from '@/server/session';

/**
 * A written plan exactly as it was given: the stored PDF bytes, never made again. Reading it is a
 * read of the patient's record, audited before the plan is looked up.
 */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ episodeId: string; planId: string }> },
): Promise<Response> {
  const user = await requirePermission('patient.view');
  const { episodeId, planId } = await params;
  const view = await episodeView(episodeId);
  await recordPatientView(user, {
    episodeId,
    patientId: view.patientRow.id,
    details: { writtenPlan: planId },
  });
  const stored = await readWrittenPlan(db(), planId, episodeId);
  if (!stored)
    return new Response('No such written plan for this patient.', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  const day = stored.content.producedOn.iso;
  return new Response(Buffer.from(stored.pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="written-plan-${day}${stored.largePrint ? '-large-print' : ''}.pdf"`,
      'Content-Length': String(stored.pdf.length),
      'Cache-Control': 'no-store',
      'X-Content-SHA256': stored.sha256,
    },
  });
}
