// Recording an entry on an episode (a clinical event, a step rescheduled, a withdrawal), and its
// preview. The permission is `entry.record` with the entry's type (for a withdrawal, the type of
// the entry withdrawn): clinical entries are a nurse's, scheduling entries a scheduler's. The
// write machinery (records/write-path.ts) validates, plans, stores and writes the outbox, in the
// same transaction as the audit entry.
import {
  changeDigest,
  DEFAULT_SERVICE_SETTINGS,
  diffPlans,
  type EntryPreview,
  previewEntry,
} from '@vfx/domain';
import type { Queryable } from '../client.js';
import { RecordError } from '../records/errors.js';
import {
  entryTypeOf,
  lockEpisodeForEntry,
  planEntry,
  type RecordEventInput,
  type RecordEventResult,
  stampEvent,
  storeEntry,
  type WriteOptions,
} from '../records/write-path.js';
import { requirePermission, runCommand } from './run-command.js';

export type { RecordEventInput, RecordEventResult } from '../records/write-path.js';

export interface PreviewEventInput extends RecordEventInput {
  /** The step the entry is made from, described even when it does not change. */
  readonly focusStepKey?: string;
}

/**
 * What recording the entry would change in the plan, without recording it: the same permission
 * check as `recordEvent` (a refusal is audited the same way) and the same validation, so a refused
 * entry is refused here with the same problems. Pass the preview's digest to `recordEvent` as
 * `expectedChangesDigest` to save exactly what was previewed.
 */
export async function previewEvent(
  db: Queryable,
  input: PreviewEventInput,
  options: WriteOptions,
): Promise<EntryPreview> {
  const now = options.now ?? new Date();
  const settings = options.settings ?? DEFAULT_SERVICE_SETTINGS;
  const stamped = stampEvent(input.event, options.actorId, now);
  await requirePermission(db, options.actorId, 'entry.record', async (q) => ({
    entryType: await entryTypeOf(q, input.episodeId, stamped),
  }));
  const planned = await planEntry(db, input, stamped, now, settings);
  return previewEntry(planned.before, planned.after, input.focusStepKey, planned.event.id);
}

/** The plan changed between the preview and the save: nothing was saved; here is the new preview. */
export class PreviewOutdatedError extends RecordError {
  constructor(readonly preview: EntryPreview) {
    super(
      'conflict',
      'The plan changed since the preview (another entry, or time passing): nothing was saved. Check the new preview and save again.',
    );
  }
}

/** Records one entry on an episode and carries the plan's changes to the queue. */
export async function recordEvent(
  db: Queryable,
  input: RecordEventInput,
  options: WriteOptions & {
    /**
     * The digest of the preview the user saw (`previewEvent`). The entry is saved only if it
     * still makes exactly those changes; otherwise PreviewOutdatedError carries the new preview.
     */
    readonly expectedChangesDigest?: string;
    readonly focusStepKey?: string;
  },
): Promise<RecordEventResult> {
  const now = options.now ?? new Date();
  const settings = options.settings ?? DEFAULT_SERVICE_SETTINGS;
  const stamped = stampEvent(input.event, options.actorId, now);

  return runCommand(
    db,
    options.actorId,
    'entry.record',
    async ({ tx, audit }) => {
      await lockEpisodeForEntry(tx, input.episodeId, stamped);
      const planned = await planEntry(tx, input, stamped, now, settings);
      const { event, before, after, record } = planned;
      const { commands, changes } = diffPlans(before, after);
      if (
        options.expectedChangesDigest !== undefined &&
        changeDigest(changes, event.id) !== options.expectedChangesDigest
      ) {
        throw new PreviewOutdatedError(previewEntry(before, after, options.focusStepKey, event.id));
      }
      const version = await storeEntry(tx, planned, commands, now, settings);
      await audit({
        action: 'event.recorded',
        entityType: 'clinical-event',
        entityId: event.id,
        patientId: record.patient.id,
        after: { event, planChanges: changes },
        at: now,
      });
      return { event, plan: after, changes, version };
    },
    {
      context: async (tx) => ({ entryType: await entryTypeOf(tx, input.episodeId, stamped) }),
    },
  );
}
