import type { EventType, StepOutcome } from '../inputs/schemas.js';
import { describeOffset } from '../time/offset.js';
import type { CompletionRule, Condition, StepDefinition } from './definition.js';
import { type BoneTherapyDrug, DRUGS } from './drugs.js';
import { describeCondition } from './facts.js';
import type { SourceRef } from './sources.js';

/**
 * What each step of a pathway accepts, and what each entry does to it. The step page offers
 * exactly these entries, the write path refuses a generic "step completed" where the step needs
 * its own entry, and docs/pathway.md lists them, so a nurse's most natural click on a step can
 * only do what the step needs.
 */

/** One kind of entry a step accepts, and what it does to the step. */
export interface EntryOffer {
  readonly event: EventType;
  /**
   * What the entry does: completes the step; completes it and plans the next one (a dose);
   * stops the therapy the step belongs to (so the step is cancelled or falls due at once);
   * records an appointment for the step (shown on it; it completes nothing).
   */
  readonly effect:
    | 'completes'
    | 'completes-and-plans-next'
    | 'stops-therapy'
    | 'records-appointment';
  /** Field values the entry must carry to count (a referral's type, a dose's drug). */
  readonly fill: Readonly<Record<string, string>>;
  /** Any further condition on the entry, in words ("pain band is severe"). */
  readonly condition: string | undefined;
  /** What saving it does, in words, for the page and the document. */
  readonly says: string;
  /** When the entry needs the nurse to confirm it first: the question to ask. */
  readonly confirm: string | undefined;
}

/** When an entry made before the step's window opens still counts towards it. */
export interface EarlyEntries {
  readonly counts: 'from-anchor' | 'from-window-opening' | 'any-time-in-episode';
  /** In words, with the reason where the pathway gives one. */
  readonly says: string;
  readonly source: SourceRef | undefined;
}

export interface StepEntries {
  /** The entries that satisfy the step (or end it deliberately), most usual first. */
  readonly offers: readonly EntryOffer[];
  /**
   * The generic "step completed" entry, where the guidance lets a step be closed without its
   * specific entry: which outcomes it accepts, and what it does. Undefined where it is refused.
   */
  readonly generic:
    | { readonly outcomes: readonly StepOutcome[]; readonly says: string }
    | undefined;
  /** Why the generic entry is refused or limited, for the page and the refusal message. */
  readonly genericLimit: string | undefined;
  /** Whether an entry made before the window opens counts; undefined for steps with no window start. */
  readonly early: EarlyEntries | undefined;
  /** Whether a scheduler may move the step's due reminder (day windows only). */
  readonly reschedulable: boolean;
}

const ALL_OUTCOMES: readonly StepOutcome[] = ['done', 'declined', 'not-indicated'];
const NOT_DONE: readonly StepOutcome[] = ['declined', 'not-indicated'];

const ENTRY_WORDS: Partial<Record<EventType, string>> = {
  'pain-assessment': 'a pain assessment',
  'psychological-screen': 'a psychological screen',
  'falls-risk-assessment': 'a falls risk assessment',
  'fracture-risk-assessment': 'a fracture risk assessment',
  'dxa-result': 'a DXA result',
  'dxa-appointment': 'a DXA appointment',
  'laboratory-screen': 'a laboratory screen',
  referral: 'a referral',
  'bone-therapy-started': 'the start of bone therapy',
  'bone-therapy-dose': 'a dose given',
  'bone-therapy-stopped': 'the therapy stopped',
  'follow-up-contact': 'a follow-up contact',
};

/** "a referral (falls-service)": the entry in words. */
export function describeEntry(event: EventType, fill: Readonly<Record<string, string>> = {}) {
  const values = Object.values(fill);
  const words = ENTRY_WORDS[event] ?? `a ${event} entry`;
  return values.length > 0 ? `${words} (${values.join(', ')})` : words;
}

/** Field values a rule's condition fixes ("referral type is falls-service"), to fill in the form. */
function fixedFields(where: Condition | undefined): Record<string, string> {
  if (!where) return {};
  if ('all' in where) return Object.assign({}, ...where.all.map(fixedFields));
  if ('fact' in where && typeof where.eq === 'string') return { [where.fact]: where.eq };
  return {};
}

/** A condition beyond the fixed fields, in words; undefined when the fields say it all. */
function extraCondition(where: Condition | undefined): string | undefined {
  if (!where) return undefined;
  if ('fact' in where && typeof where.eq === 'string') return undefined;
  return describeCondition(where);
}

function completionOffer(step: StepDefinition, rule: CompletionRule): EntryOffer {
  const fill = fixedFields(rule.where);
  return {
    event: rule.event,
    effect: 'completes',
    fill,
    condition: extraCondition(rule.where),
    says: `Recording ${describeEntry(rule.event, fill)} completes "${step.title}".`,
    confirm: undefined,
  };
}

function earlyEntries(step: StepDefinition): EarlyEntries | undefined {
  const rule = step.completedBy[0];
  const opens = step.window.opens;
  const opensLater = Object.values(opens).some((amount) => amount !== 0);
  if (!rule || !opensLater) return undefined;
  if (rule.from === 'opens') {
    return {
      counts: 'from-window-opening',
      says:
        rule.early?.text ??
        `Only an entry made once the window opens (${describeOffset(opens)} after its anchor) counts; an earlier one is kept but does not complete this step.`,
      source: rule.early?.source,
    };
  }
  const when = rule.from === 'anchor' ? 'from-anchor' : 'any-time-in-episode';
  return {
    counts: when,
    says:
      rule.early?.text ??
      (when === 'from-anchor'
        ? 'An entry made before the window opens still counts, as long as it is after what the window is measured from.'
        : 'An entry made at any time in the episode counts, before the window opens included.'),
    source: rule.early?.source,
  };
}

/**
 * What the step accepts, from its definition: the one place this is decided. For a step of one
 * therapy course (a plan step carries its `drug`), only that drug's entries are offered.
 */
export function stepEntries(step: StepDefinition, courseDrug?: BoneTherapyDrug): StepEntries {
  const reschedulable = step.window.granularity === 'day';
  const early = earlyEntries(step);
  const trigger =
    courseDrug && (step.trigger.kind === 'next-dose' || step.trigger.kind === 'therapy-course')
      ? { ...step.trigger, drugs: step.trigger.drugs.filter((drug) => drug === courseDrug) }
      : step.trigger;

  // A dose schedule: each dose given plans the next one. Closing the step any other way would
  // end the schedule silently, so the only other entry is stopping the therapy, on purpose.
  if (trigger.kind === 'next-dose') {
    const offers: EntryOffer[] = trigger.drugs.flatMap((drug) => [
      {
        event: 'bone-therapy-dose',
        effect: 'completes-and-plans-next',
        fill: { drug },
        condition: undefined,
        says: `Recording the ${DRUGS[drug].label} dose given completes this dose and plans the next one ${describeOffset(step.window.due)} after it.`,
        confirm: undefined,
      },
      stopOffer(drug, 'ends the dose schedule: no further dose is planned'),
    ]);
    return {
      offers,
      generic: undefined,
      genericLimit:
        'A dose step is completed only by the dose given, which plans the next dose; to end the schedule, record that the therapy was stopped, with the reason.',
      early,
      reschedulable,
    };
  }

  const offers = step.completedBy.map((rule) => completionOffer(step, rule));
  if (trigger.kind === 'therapy-course') {
    const effect =
      trigger.onStop === 'cancel'
        ? 'cancels this review'
        : 'brings this step due at once (the follow-on treatment is needed when the course ends)';
    offers.push(...trigger.drugs.map((drug) => stopOffer(drug, effect)));
  }
  if (step.appointmentEntry) offers.push(appointmentOffer(step));
  if (step.completedBy.length === 0) {
    return {
      offers,
      generic: {
        outcomes: ALL_OUTCOMES,
        says: `Recording this step as done, declined or not indicated completes "${step.title}".`,
      },
      genericLimit: undefined,
      early,
      reschedulable,
    };
  }
  const specific = offers[0] as EntryOffer;
  return {
    offers,
    generic: {
      outcomes: NOT_DONE,
      says: `Recording this step as declined or not indicated closes "${step.title}" without ${describeEntry(specific.event, specific.fill)}.`,
    },
    genericLimit: `"${step.title}" is done by recording ${describeEntry(specific.event, specific.fill)}, so what was found reaches the rest of the plan; the generic entry may only record it as declined or not indicated.`,
    early,
    reschedulable,
  };
}

function appointmentOffer(step: StepDefinition): EntryOffer {
  return {
    event: step.appointmentEntry ?? 'dxa-appointment',
    effect: 'records-appointment',
    fill: {},
    condition: undefined,
    says: `Recording a DXA appointment (booked, or the booked one cancelled) shows it on "${step.title}" and, where the pathway sends patient reminders, plans the patient's reminder before it. It does not complete the step: the DXA result does.`,
    confirm: undefined,
  };
}

function stopOffer(drug: BoneTherapyDrug, effect: string): EntryOffer {
  return {
    event: 'bone-therapy-stopped',
    effect: 'stops-therapy',
    fill: { drug },
    condition: undefined,
    says: `Recording that ${DRUGS[drug].label} was stopped ${effect}.`,
    confirm: `Stop ${DRUGS[drug].label}? This ${effect}. Give the reason.`,
  };
}

/**
 * Why a generic "step completed" entry with this outcome is refused for the step, or undefined
 * when it is accepted. New entries only: entries already recorded stay as they were.
 */
export function genericCompletionProblem(
  step: StepDefinition,
  outcome: StepOutcome,
): string | undefined {
  const { generic, genericLimit } = stepEntries(step);
  if (generic?.outcomes.includes(outcome)) return undefined;
  return genericLimit;
}
