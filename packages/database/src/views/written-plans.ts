// The written plans given to a patient: the list on the written plan page, and one plan read back
// exactly as it was given (its PDF bytes and structure).
import type { WrittenPlan } from '@vfx/domain';
import type { Queryable } from '../client.js';

export interface WrittenPlanListItem {
  readonly id: string;
  readonly episodeId: string;
  readonly pathwayVersion: string;
  readonly producedBy: { readonly id: string; readonly name: string | null };
  readonly producedAt: Date;
  readonly largePrint: boolean;
  readonly sha256: string;
  readonly bytes: number;
}

export interface StoredWrittenPlan extends WrittenPlanListItem {
  readonly patientId: string;
  readonly content: WrittenPlan;
  readonly pdf: Uint8Array;
}

/** The written plans produced for an episode, newest first. */
export async function listWrittenPlans(
  db: Queryable,
  episodeId: string,
): Promise<WrittenPlanListItem[]> {
  const rows = await db.$queryRaw<
    {
      id: string;
      episode_id: string;
      pathway_version: string;
      produced_by: string;
      name: string | null;
      produced_at: Date;
      large_print: boolean;
      sha256: string;
      bytes: number;
    }[]
  >`
    SELECT w.id, w.episode_id, w.pathway_version, w.produced_by, u.name, w.produced_at,
           w.large_print, w.sha256, octet_length(w.pdf)::int AS bytes
      FROM written_plans w LEFT JOIN users u ON u.id = w.produced_by
     WHERE w.episode_id = ${episodeId}
     ORDER BY w.produced_at DESC, w.id`;
  return rows.map((row) => ({
    id: row.id,
    episodeId: row.episode_id,
    pathwayVersion: row.pathway_version,
    producedBy: { id: row.produced_by, name: row.name },
    producedAt: row.produced_at,
    largePrint: row.large_print,
    sha256: row.sha256,
    bytes: row.bytes,
  }));
}

/** One written plan as it was given, or undefined. Scoped to its episode when one is named. */
export async function readWrittenPlan(
  db: Queryable,
  id: string,
  episodeId?: string,
): Promise<StoredWrittenPlan | undefined> {
  const row = await db.writtenPlanProduced.findUnique({ where: { id } });
  if (!row || (episodeId !== undefined && row.episodeId !== episodeId)) return undefined;
  const user = await db.user.findUnique({ where: { id: row.producedBy }, select: { name: true } });
  return {
    id: row.id,
    episodeId: row.episodeId,
    patientId: row.patientId,
    pathwayVersion: row.pathwayVersion,
    producedBy: { id: row.producedBy, name: user?.name ?? null },
    producedAt: row.producedAt,
    largePrint: row.largePrint,
    sha256: row.sha256,
    bytes: row.pdf.length,
    content: row.content as unknown as WrittenPlan,
    pdf: new Uint8Array(row.pdf),
  };
}
