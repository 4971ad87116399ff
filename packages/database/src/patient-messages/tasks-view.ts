// The nurse's tasks about reminders that did not reach their patients (tasks.ts writes them):
// what the worklist shows above the steps, newest first, until the nurse's action or a
// scheduler's retry resolves them.
import type { Queryable } from '../client.js';
import { PATIENT_MESSAGE_FAILED_REMINDER } from './states.js';

export interface PatientMessageTask {
  readonly reminderId: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly identifierKind: string;
  readonly identifierValue: string;
  /** What failed and what to do, in words. */
  readonly text: string;
  readonly urgent: boolean;
  readonly raisedAt: Date;
}

/** Most tasks listed at once (the count is always complete). */
export const PATIENT_MESSAGE_TASK_LIMIT = 50;

/** The open tasks of one nurse about failed patient messages, urgent first, then newest. */
export async function patientMessageTasks(
  db: Queryable,
  nurseId: string,
): Promise<{ readonly items: readonly PatientMessageTask[]; readonly total: number }> {
  const where = { nurseId, kind: PATIENT_MESSAGE_FAILED_REMINDER, status: 'open' as const };
  const [rows, total] = await Promise.all([
    db.reminder.findMany({
      where,
      orderBy: [{ urgent: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
      take: PATIENT_MESSAGE_TASK_LIMIT,
      include: {
        episode: {
          select: {
            patient: {
              select: {
                id: true,
                givenName: true,
                familyName: true,
                identifierKind: true,
                identifierValue: true,
              },
            },
          },
        },
      },
    }),
    db.reminder.count({ where }),
  ]);
  return {
    total,
    items: rows.map((row) => ({
      reminderId: row.id,
      episodeId: row.episodeId,
      patientId: row.episode.patient.id,
      givenName: row.episode.patient.givenName,
      familyName: row.episode.patient.familyName,
      identifierKind: row.episode.patient.identifierKind,
      identifierValue: row.episode.patient.identifierValue,
      text: row.stepTitle,
      urgent: row.urgent,
      raisedAt: row.createdAt,
    })),
  };
}
