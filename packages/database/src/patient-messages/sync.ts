// Keeps an episode's patient messages in step with its plan, in the caller's transaction (the
// write path's, after the plan is stored; or a change of contact preferences). The domain's
// policy (plannedPatientMessages) decides which messages the plan yields and when; this stores
// the difference: new messages inserted, moved ones moved, ones no longer planned cancelled with
// the reason, each with its outbox message for the worker's queue. Messages already being sent,
// sent or failed are history and are never touched.
import {
  computePlan,
  DEFAULT_SERVICE_SETTINGS,
  type Plan,
  type PlannedPatientMessage,
  patientReachability,
  plannedPatientMessages,
  type ServiceSettings,
  whyNoLongerPlanned,
} from '@vfx/domain';
import type { Transaction } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { enqueueMany, OUTBOX_KINDS, type OutboxEntry } from '../outbox/catalog.js';
import { loadEpisodeRecord } from '../records/write-path.js';
import { loadContactPreferences } from './contact-store.js';

export interface PatientMessageSyncResult {
  readonly inserted: number;
  readonly moved: number;
  readonly cancelled: number;
}

/** Personalisation fields compared as sets of pairs: JSONB does not keep the keys' order. */
function sameRecord(a: unknown, b: unknown): boolean {
  const pairs = (value: unknown) =>
    JSON.stringify(Object.entries((value ?? {}) as Record<string, unknown>).sort());
  return pairs(a) === pairs(b);
}

/**
 * Synchronises the patient messages of these episodes with their plans (just computed, as of
 * `now`). Batched: a fixed number of statements however many episodes.
 */
export async function syncPatientMessages(
  tx: Transaction,
  plans: readonly Plan[],
  now: Date,
  settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS,
): Promise<PatientMessageSyncResult> {
  if (plans.length === 0) return { inserted: 0, moved: 0, cancelled: 0 };
  const patientIds = [...new Set(plans.map((p) => p.patientId))];
  const [patients, preferences, existing] = await Promise.all([
    tx.patient.findMany({
      where: { id: { in: patientIds } },
      select: { id: true, givenName: true },
    }),
    loadContactPreferences(tx, patientIds),
    tx.$queryRaw<
      {
        id: string;
        episode_id: string;
        kind: string;
        step_key: string;
        state: string;
        send_at: Date;
        channel: string;
        personalisation: unknown;
      }[]
    >`SELECT id, episode_id, kind, step_key, state, send_at, channel, personalisation FROM patient_messages
      WHERE episode_id = ANY(${plans.map((p) => p.episodeId)}::text[]) FOR UPDATE`,
  ]);
  const givenName = new Map(patients.map((p) => [p.id, p.givenName]));
  const byId = new Map(existing.map((row) => [row.id, row]));
  const inserts: Prisma.PatientMessageCreateManyInput[] = [];
  const outbox: OutboxEntry[] = [];
  let moved = 0;
  const cancel: { id: string; why: string; sendAt: Date }[] = [];
  for (const plan of plans) {
    const result = plannedPatientMessages({
      plan,
      reachability: patientReachability(preferences.get(plan.patientId) ?? null),
      givenName: givenName.get(plan.patientId) ?? '',
      settings,
    });
    const planned = new Map(result.messages.map((m) => [m.id, m]));
    for (const message of result.messages) {
      const row = byId.get(message.id);
      if (!row) {
        inserts.push(newRow(message, now));
        outbox.push(enqueueEntry(message));
        continue;
      }
      if (row.state !== 'scheduled' && row.state !== 'cancelled') continue;
      const sendAt = new Date(message.sendAt);
      // A message already due waits in the queue: planning again later must not push it on.
      const due = row.state === 'scheduled' && row.send_at.getTime() <= now.getTime();
      const changed =
        row.state === 'cancelled' ||
        (!due && row.send_at.getTime() !== sendAt.getTime()) ||
        row.channel !== message.channel ||
        !sameRecord(row.personalisation, message.personalisation);
      if (!changed) continue;
      moved += 1;
      await tx.patientMessage.update({
        where: { id: message.id },
        data: {
          state: 'scheduled',
          channel: message.channel,
          sendAt: due ? row.send_at : sendAt,
          personalisation: message.personalisation,
          outcome: null,
          updatedAt: now,
        },
      });
      outbox.push(enqueueEntry({ ...message, sendAt: (due ? row.send_at : sendAt).toISOString() }));
    }
    for (const row of existing.filter((r) => r.episode_id === plan.episodeId)) {
      if (row.state !== 'scheduled' || planned.has(row.id)) continue;
      cancel.push({
        id: row.id,
        sendAt: row.send_at,
        why: whyNoLongerPlanned(result, { id: row.id, kind: row.kind, stepKey: row.step_key }),
      });
    }
  }
  if (inserts.length > 0) await tx.patientMessage.createMany({ data: inserts });
  for (const { id, why, sendAt } of cancel) {
    await tx.patientMessage.update({
      where: { id },
      data: { state: 'cancelled', outcome: why, updatedAt: now },
    });
    outbox.push({
      kind: OUTBOX_KINDS.removePatientMessage,
      payload: { messageId: id, sendAt: sendAt.toISOString() },
    });
  }
  await enqueueMany(tx, outbox);
  return { inserted: inserts.length, moved, cancelled: cancel.length };
}

function newRow(message: PlannedPatientMessage, now: Date): Prisma.PatientMessageCreateManyInput {
  return {
    id: message.id,
    episodeId: message.episodeId,
    patientId: message.patientId,
    kind: message.kind,
    stepKey: message.stepKey,
    channel: message.channel,
    sendAt: new Date(message.sendAt),
    state: 'scheduled',
    personalisation: message.personalisation,
    createdAt: now,
    updatedAt: now,
  };
}

function enqueueEntry(message: { id: string; sendAt: string }): OutboxEntry {
  return {
    kind: OUTBOX_KINDS.enqueuePatientMessage,
    payload: { messageId: message.id, sendAt: message.sendAt },
  };
}

export interface SyncForPatientOptions {
  readonly patientId: string;
  readonly now: Date;
  readonly settings?: ServiceSettings;
}

/**
 * Plans every open episode of a patient again, and synchronises their messages: after a change
 * of contact preferences (a new channel, consent, an opt-out), in the caller's transaction.
 */
export async function syncPatientMessagesForPatient(
  tx: Transaction,
  { patientId, now, settings = DEFAULT_SERVICE_SETTINGS }: SyncForPatientOptions,
): Promise<PatientMessageSyncResult> {
  const episodes = await tx.episode.findMany({
    where: { patientId, closedAt: null },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  const plans: Plan[] = [];
  for (const { id } of episodes) {
    const record = await loadEpisodeRecord(tx, id);
    if (!record) continue;
    plans.push(
      computePlan({
        patient: record.patient,
        episode: record.episode,
        events: record.events,
        asOf: now.getTime(),
        settings,
      }),
    );
  }
  return syncPatientMessages(tx, plans, now, settings);
}
