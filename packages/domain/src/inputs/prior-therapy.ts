import { DRUGS } from '../pathway/drugs.js';
import type { LocalDate } from '../time/calendar.js';
import type { EventOf } from './schemas.js';

/** A problem with one field of an entry, before the entry's path is put in front. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Drugs given as occasional injections or infusions, whose next dose runs from the last one. */
const DOSED = new Set(['denosumab', 'zoledronic-acid']);

/**
 * The date rules of a prior-bone-therapy entry against the date of fracture and the day the
 * history was taken (the entry's occurredAt, as a local date). A course that began after the
 * fracture is a new start (bone-therapy-started), and one that stopped after it was still taken
 * at the fracture: the messages say which entry to use instead.
 */
export function priorTherapyProblems(
  event: EventOf<'prior-bone-therapy'>,
  fractureDate: LocalDate,
  takenOn: LocalDate,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const at = (field: string, message: string) => problems.push({ field, message });
  const { startedOn, stoppedOn, lastDoseOn } = event;
  if (startedOn > takenOn) {
    at('startedOn', `is in the future (${startedOn}; this history was taken on ${takenOn})`);
  } else if (startedOn > fractureDate) {
    at(
      'startedOn',
      `is after the date of fracture (${fractureDate}); therapy started since the fracture is recorded as bone-therapy-started`,
    );
  }
  if (event.takingAtFracture) {
    if (stoppedOn !== undefined) {
      at(
        'stoppedOn',
        'must be left out when the patient was still taking it at the fracture; record a stop since then as bone-therapy-stopped',
      );
    }
  } else if (stoppedOn === undefined) {
    at(
      'stoppedOn',
      'is required when the patient had stopped before the fracture: give the date it stopped (an estimate is fine, say so in the note)',
    );
  } else if (stoppedOn < startedOn) {
    at('stoppedOn', `is before the course started (${startedOn})`);
  } else if (stoppedOn > fractureDate) {
    at(
      'stoppedOn',
      `is after the date of fracture (${fractureDate}), so the patient was still taking it then: answer "yes" to taking it at the fracture and record the stop as bone-therapy-stopped`,
    );
  }
  const label = DRUGS[event.drug].label;
  if (!DOSED.has(event.drug)) {
    if (lastDoseOn !== undefined) {
      at('lastDoseOn', `applies only to denosumab and zoledronic acid, not ${label}; leave it out`);
    }
  } else if (lastDoseOn === undefined) {
    if (event.takingAtFracture) {
      at(
        'lastDoseOn',
        `is required for ${label} still taken at the fracture: the next dose is planned from it`,
      );
    }
  } else if (lastDoseOn < startedOn) {
    at('lastDoseOn', `is before the course started (${startedOn})`);
  } else if (lastDoseOn > takenOn) {
    at('lastDoseOn', `is in the future (${lastDoseOn}; this history was taken on ${takenOn})`);
  } else if (stoppedOn !== undefined && lastDoseOn > stoppedOn) {
    at('lastDoseOn', `is after the course stopped (${stoppedOn})`);
  }
  return problems;
}

/** The field rules of a treatment-review entry that depend on the drug reviewed. */
export function treatmentReviewProblems(event: EventOf<'treatment-review'>): FieldProblem[] {
  const oral = DRUGS[event.drug].drugClass === 'oral-bisphosphonate';
  if (oral && event.takenCorrectly === undefined) {
    return [
      {
        field: 'takenCorrectly',
        message: `is required for ${DRUGS[event.drug].label}: say whether it is taken as the leaflet directs (fasting, with plain water, staying upright), since an oral bisphosphonate taken otherwise is poorly absorbed`,
      },
    ];
  }
  if (!oral && event.takenCorrectly !== undefined) {
    return [
      {
        field: 'takenCorrectly',
        message: `applies only to oral bisphosphonates, not ${DRUGS[event.drug].label}; leave it out`,
      },
    ];
  }
  return [];
}
