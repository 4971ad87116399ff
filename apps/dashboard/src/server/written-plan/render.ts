import { renderPdf } from '@vfx/documents';
import type { WrittenPlan } from '@vfx/domain';
import { type WrittenPlanPdfOptions, writtenPlanPdf } from './pdf-layout';

/** The written plan's PDF bytes (the renderer produceWrittenPlan stores). */
export async function renderWrittenPlanPdf(
  plan: WrittenPlan,
  options: WrittenPlanPdfOptions,
): Promise<Uint8Array> {
  return new Uint8Array(await renderPdf(writtenPlanPdf(plan, options)));
}
