'use server';

import { RecordError } from '@vfx/database';
import { produceWrittenPlan } from '@vfx/database/commands';
import { revalidatePath } from 'next/cache';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { writtenPlanContact } from '@/server/written-plan/contact';
import { renderWrittenPlanPdf } from '@/server/written-plan/render';

export interface ProduceState {
  /** The stored plan's download address, once produced. */
  readonly href?: string;
  readonly ok?: string;
  readonly error?: string;
}

/**
 * "Produce and download PDF": the domain builds the written plan from the episode's plan as of
 * now, the PDF layout renders it, and packages/database stores both (with who, when, the version
 * and large print) and audits it in one transaction. The browser then downloads the stored bytes.
 */
export async function produceWrittenPlanAction(
  target: { readonly episodeId: string },
  _previous: ProduceState,
  form: FormData,
): Promise<ProduceState> {
  const user = await requirePermission('writtenPlan.produce');
  const episodeId = String(target?.episodeId ?? '');
  if (!episodeId) return { error: 'The patient was not named; reload the page.' };
  const largePrint = form.get('largePrint') === 'yes';
  try {
    const produced = await produceWrittenPlan(
      db(),
      { episodeId, largePrint, render: renderWrittenPlanPdf, contact: writtenPlanContact() },
      { actorId: user.id },
    );
    // The page's list of plans given shows the new one without a reload.
    revalidatePath(`/episodes/${encodeURIComponent(episodeId)}/written-plan`);
    return {
      ok: `Written plan produced${largePrint ? ' in large print' : ''}. The download starts now.`,
      href: `/episodes/${encodeURIComponent(episodeId)}/written-plan/${encodeURIComponent(produced.id)}/pdf`,
    };
  } catch (error) {
    if (error instanceof RecordError && error.code !== 'forbidden') return { error: error.message };
    throw error;
  }
}
