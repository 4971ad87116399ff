import type { StepStatus } from '../pathway/facts.js';
import { describeAppointment } from './appointments.js';
import { diffPlans, type PlanChange } from './diff.js';
import type { Plan, PlanStep } from './types.js';

/** What an unsaved entry would do to the plan, shown before it is saved. */
export interface EntryPreview {
  /** The step the entry was made from (the step page), and what becomes of it. */
  readonly focus:
    | {
        readonly stepKey: string;
        readonly title: string;
        readonly before: StepStatus;
        readonly after: StepStatus;
        /** "... stays Upcoming: ..." or "... becomes Completed: ...", with the plan's reason. */
        readonly sentence: string;
      }
    | undefined;
  /** Every other change, as the plan diff gives it (added steps, moved windows, statuses). */
  readonly changes: readonly PlanChange[];
  /**
   * Identifies exactly these changes: saving with it applies the entry only if it still makes
   * the same changes, so the nurse never saves something other than what was previewed.
   */
  readonly digest: string;
}

const STATUS_WORDS: Readonly<Record<StepStatus, string>> = {
  upcoming: 'Upcoming',
  open: 'Open',
  due: 'Due',
  overdue: 'Overdue',
  completed: 'Completed',
  'not-applicable': 'Not applicable',
  cancelled: 'Cancelled',
};

/** " DXA appointment booked: ..." when the entry changes the step's appointment, else nothing. */
function appointmentChange(was: PlanStep, now: PlanStep): string {
  if (!now.appointment || JSON.stringify(was.appointment) === JSON.stringify(now.appointment)) {
    return '';
  }
  return ` ${describeAppointment(now.appointment)}`;
}

export function statusWords(status: StepStatus): string {
  return STATUS_WORDS[status];
}

/**
 * Compares the plan without and with the unsaved entry. The step the entry was made from is
 * always described, even when nothing about it changes, so "it stays upcoming" is said out loud.
 */
export function previewEntry(
  before: Plan,
  after: Plan,
  focusStepKey: string | undefined,
  entryId: string,
): EntryPreview {
  const { changes } = diffPlans(before, after);
  const was = before.steps.find((step) => step.key === focusStepKey);
  const now = after.steps.find((step) => step.key === focusStepKey);
  const focus =
    was && now
      ? {
          stepKey: now.key,
          title: now.title,
          before: was.status,
          after: now.status,
          sentence: `"${now.title}" ${was.status === now.status ? 'stays' : 'becomes'} ${statusWords(now.status)}: ${now.reason}${appointmentChange(was, now)}`,
        }
      : undefined;
  return {
    focus,
    changes: changes.filter(
      (change) =>
        !(change.stepKey === focusStepKey && change.kind === 'status') &&
        // A step that had not started gives way to its first instance: not news to the nurse.
        !(change.kind === 'removed' && change.before === 'not-applicable'),
    ),
    digest: changeDigest(changes, entryId),
  };
}

/**
 * A short, stable fingerprint of a list of plan changes. The entry's own id is left out: a step
 * an entry starts is keyed by it (a severe pain score's review), and the preview and the save
 * give the same entry different ids.
 */
export function changeDigest(changes: readonly PlanChange[], entryId: string): string {
  const own = (text: string | undefined) => (text ?? '').split(entryId).join('<this entry>');
  const text = changes
    .map((change) =>
      [own(change.stepKey), change.kind, own(change.before), own(change.after)].join('|'),
    )
    .join('\n');
  // FNV-1a, 32 bits twice over different seeds: enough to tell two previews apart, no I/O.
  const hash = (seed: number) => {
    let h = seed;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
  };
  return `${changes.length}-${hash(0x811c9dc5)}${hash(0x01000193)}`;
}
