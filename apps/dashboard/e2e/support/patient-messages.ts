// Patients and patient messages for the patient-messages journey. The messages a scheduler sees
// are written by the patient-message engine as the plan and the contact preferences dictate, at
// send times days or weeks ahead; to see one due "today" whatever instant the test runs at, the
// journey arranges the rows the engine writes, due at the test's own instant. No worker runs in
// the browser tests, so a scheduled row stays as it is until the test reads it.
import { createDatabase, type Database } from '@vfx/database';
import { inject } from 'vitest';

let shared: Database | undefined;
function database(): Database {
  shared ??= createDatabase(inject('databaseUrl'), {
    applicationName: 'vfx-e2e-patient-messages',
    maxConnections: 2,
  });
  return shared;
}

export async function closePatientMessagesData(): Promise<void> {
  await shared?.$disconnect();
  shared = undefined;
}

export interface MessagePatient {
  readonly episodeId: string;
  readonly patientId: string;
  readonly name: string;
}

/**
 * Open episodes of demo patients with an NHS number and no contact preferences yet (the demo seed
 * gives some patients theirs), from the highest id down: the other journeys take the lowest, so
 * preferences set here do not change what they see.
 */
export async function patientsForMessages(count: number): Promise<MessagePatient[]> {
  const episodes = await database().episode.findMany({
    where: {
      closedAt: null,
      patient: { identifierKind: 'nhs-number', contactPreferences: { is: null } },
    },
    orderBy: { id: 'desc' },
    distinct: ['patientId'],
    take: count,
    select: {
      id: true,
      patientId: true,
      patient: { select: { givenName: true, familyName: true } },
    },
  });
  if (episodes.length < count) {
    throw new Error(
      `The demo caseload has ${episodes.length} open episodes; the journey needs ${count}.`,
    );
  }
  return episodes.map((episode) => ({
    episodeId: episode.id,
    patientId: episode.patientId,
    name: `${episode.patient.givenName} ${episode.patient.familyName}`,
  }));
}

export interface ArrangedMessage {
  readonly patient: MessagePatient;
  readonly kind: string;
  readonly channel: 'sms' | 'email' | 'letter';
  readonly sendAt: Date;
  readonly state: string;
  readonly lastError?: string;
}

/** Writes the messages as the engine stores them; returns their ids. */
export async function arrangeMessages(messages: readonly ArrangedMessage[]): Promise<string[]> {
  const run = Date.now().toString(36);
  const ids: string[] = [];
  for (const [index, message] of messages.entries()) {
    const id = `e2e-${run}-${index}`;
    const failed = message.state.endsWith('failure');
    await database().patientMessage.create({
      data: {
        id,
        episodeId: message.patient.episodeId,
        patientId: message.patient.patientId,
        kind: message.kind,
        stepKey: `e2e-${message.kind}`,
        channel: message.channel,
        sendAt: message.sendAt,
        state: message.state,
        attempts: failed ? 1 : 0,
        ...(failed
          ? {
              providerStatus: message.state,
              lastError: message.lastError ?? null,
              failedAt: message.sendAt,
              notifyId: crypto.randomUUID(),
            }
          : {}),
      },
    });
    ids.push(id);
  }
  return ids;
}

export async function messageState(id: string): Promise<string | undefined> {
  return (await database().patientMessage.findUnique({ where: { id } }))?.state;
}
