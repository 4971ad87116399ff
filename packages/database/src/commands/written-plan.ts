// A nurse produces the patient's written plan: built by the domain from the episode's plan as of
// now, rendered to PDF by the caller's layout, and stored unchanged (structure, PDF bytes and
// their SHA-256), audited in the same transaction.

import { createHash, randomUUID } from 'node:crypto';
import { UnprintableTextError } from '@vfx/documents';
import {
  buildWrittenPlan,
  DEFAULT_SERVICE_SETTINGS,
  findPathway,
  type ServiceSettings,
  type WrittenPlan,
  type WrittenPlanContact,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { RecordError } from '../records/errors.js';
import { currentPlan } from '../views/episode-plan.js';
import { runCommand } from './run-command.js';

/** Turns a written plan into PDF bytes (the dashboard's layout and @vfx/documents' renderPdf). */
export type WrittenPlanRenderer = (
  plan: WrittenPlan,
  options: { readonly largePrint: boolean },
) => Promise<Uint8Array>;

export interface ProduceWrittenPlanInput {
  readonly episodeId: string;
  readonly largePrint: boolean;
  readonly render: WrittenPlanRenderer;
  /** The service's contact the plan gives the patient (the dashboard's LETTER_SERVICE_* settings). */
  readonly contact: WrittenPlanContact;
}

export interface ProduceWrittenPlanOptions {
  readonly actorId: string;
  readonly now?: Date;
  readonly settings?: ServiceSettings;
}

export interface ProducedWrittenPlan {
  readonly id: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly pathwayVersion: string;
  readonly producedBy: string;
  readonly producedAt: Date;
  readonly largePrint: boolean;
  readonly content: WrittenPlan;
  readonly pdf: Uint8Array;
  readonly sha256: string;
}

export const sha256Hex = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/**
 * Produces and stores the episode's written plan ('writtenPlan.produce': nurses and
 * administrators). Refused with the domain's message (RecordError 'conflict') when the episode's
 * pathway version has no patient wording or its plan is not today's; 'not-found' for an unknown
 * episode. Nothing is stored unless the PDF was made.
 */
export function produceWrittenPlan(
  db: Queryable,
  input: ProduceWrittenPlanInput,
  options: ProduceWrittenPlanOptions,
): Promise<ProducedWrittenPlan> {
  const now = options.now ?? new Date();
  const settings = options.settings ?? DEFAULT_SERVICE_SETTINGS;
  return runCommand(db, options.actorId, 'writtenPlan.produce', async ({ tx, actor, audit }) => {
    const current = await currentPlan(tx, input.episodeId, now, settings);
    if (!current) throw new RecordError('not-found', `Episode "${input.episodeId}" does not exist`);
    const definition = findPathway(current.plan.pathwayVersion);
    if (!definition)
      throw new RecordError(
        'conflict',
        `The episode names pathway ${current.plan.pathwayVersion}, which is not published`,
      );
    const patient = await tx.patient.findUniqueOrThrow({
      where: { id: current.patientId },
      select: { givenName: true, familyName: true },
    });
    const built = buildWrittenPlan({
      plan: current.plan,
      definition,
      patientName: `${patient.givenName} ${patient.familyName}`,
      now: now.toISOString(),
      contact: input.contact,
      settings,
    });
    if (!built.ok) throw new RecordError('conflict', built.message);
    const pdf = await input.render(built.plan, { largePrint: input.largePrint }).catch((error) => {
      // Text from the record (the patient's name, say) that the PDF cannot print: refused, not garbled.
      if (error instanceof UnprintableTextError)
        throw RecordError.invalid([{ path: 'writtenPlan', message: error.message }]);
      throw error;
    });
    if (!(pdf instanceof Uint8Array) || pdf.length === 0)
      throw new Error('The written plan renderer returned no PDF bytes');
    const row = {
      id: randomUUID(),
      episodeId: input.episodeId,
      patientId: current.patientId,
      pathwayVersion: current.plan.pathwayVersion,
      producedBy: actor.id,
      producedAt: now,
      largePrint: input.largePrint,
      content: built.plan,
      pdf,
      sha256: sha256Hex(pdf),
    };
    await tx.writtenPlanProduced.create({
      data: {
        ...row,
        content: row.content as unknown as Prisma.InputJsonValue,
        pdf: Buffer.from(pdf),
      },
    });
    await audit({
      action: 'writtenPlan.produced',
      entityType: 'written-plan',
      entityId: row.id,
      patientId: row.patientId,
      after: {
        episodeId: row.episodeId,
        pathwayVersion: row.pathwayVersion,
        largePrint: row.largePrint,
        sha256: row.sha256,
        bytes: pdf.length,
      },
      at: now,
    });
    return row;
  });
}
