// The plan: one CarePlan per episode, instantiating the PlanDefinition of its pathway version,
// with an activity per plan step; and a Task per step a nurse can act on now.
//
// Statuses are the plan_steps statuses the worker has applied (EpisodeRecord.steps), so FHIR
// shows what every page shows. Mapping (R4 care-plan-activity-status, required binding;
// http://hl7.org/fhir/R4/valueset-care-plan-activity-status.html):
//   upcoming → not-started (planned, no action yet)
//   open, due, overdue → scheduled (its window has begun; the Task carries which of the three)
//   completed → completed (declined or not indicated: still completed, the outcome says which)
//   not-applicable → cancelled (the pathway's conditions say it does not apply)
//   cancelled → stopped (ended before completion: the episode closed or the course stopped)
// An activity is a `reference` (its Task) or a `detail`, never both (invariant cpl-3): steps that
// are actionable now point at their Task; the others carry their detail.
import type { CarePlan, CarePlanActivity, Task } from '@medplum/fhirtypes';
import { type StepStatus, statusWords } from '@vfx/domain';
import { fhirId, stepKeyHash, taskId } from '../ids.js';
import type { EpisodeRecord, StepRecord } from '../records.js';
import { PLAN_STEP_SYSTEM, STEP_STATUS_SYSTEM, STEP_SYSTEM } from '../systems.js';
import {
  carePlanReference,
  conditionReference,
  episodeOfCareReference,
  nurseDisplay,
  patientReference,
} from './common.js';

type ActivityStatus = NonNullable<NonNullable<CarePlanActivity['detail']>['status']>;

export const ACTIVITY_STATUS_OF_STEP = {
  upcoming: 'not-started',
  open: 'scheduled',
  due: 'scheduled',
  overdue: 'scheduled',
  completed: 'completed',
  'not-applicable': 'cancelled',
  cancelled: 'stopped',
} as const satisfies Record<StepStatus, ActivityStatus>;

/**
 * The statuses that make a step actionable now, and so a Task: its window has opened and it is
 * not finished. 'upcoming' (the domain counts it active) has no Task until it opens.
 */
export const ACTIONABLE_STEP_STATUSES = ['open', 'due', 'overdue'] as const;
export type ActionableStepStatus = (typeof ACTIONABLE_STEP_STATUSES)[number];

export function isActionable(
  step: StepRecord,
): step is StepRecord & { status: ActionableStepStatus } {
  return (ACTIONABLE_STEP_STATUSES as readonly StepStatus[]).includes(step.status);
}

const OUTCOME_WORDS = {
  done: 'Done',
  declined: 'Declined by the patient',
  'not-indicated': 'Not indicated',
} as const;

/** The period a step may be done in: from when it opens to when it becomes overdue. */
function stepPeriod(step: StepRecord): { start: string; end: string } | undefined {
  return step.window
    ? { start: step.window.transitions.open, end: step.window.transitions.overdue }
    : undefined;
}

function stepCoding(step: StepRecord) {
  return { system: STEP_SYSTEM, code: step.stepId, display: step.title };
}

/**
 * Open: active. Closed on discharge: completed. Closed by transfer or death: revoked ("terminated
 * prior to reaching completion", R4 request-status), as the plan did not run its course here.
 */
export function carePlanStatus(record: EpisodeRecord): 'active' | 'completed' | 'revoked' {
  if (!record.closedAt) return 'active';
  return record.closureReason === 'discharged' ? 'completed' : 'revoked';
}

export function carePlanResource(
  record: EpisodeRecord,
  planDefinitionCanonical: (version: string) => string,
): CarePlan {
  const author = nurseDisplay(record.nurse);
  return {
    resourceType: 'CarePlan',
    id: fhirId(record.id),
    meta: { versionId: String(record.version), lastUpdated: record.updatedAt },
    instantiatesCanonical: [planDefinitionCanonical(record.pathwayVersion)],
    status: carePlanStatus(record),
    intent: 'plan',
    title: `Vertebral fragility fracture pathway (${record.pathwayVersion})`,
    subject: patientReference(record.patientId),
    period: { start: record.enrolledAt, ...(record.closedAt ? { end: record.closedAt } : {}) },
    created: record.enrolledAt,
    ...(author ? { author } : {}),
    addresses: [conditionReference(record.id)],
    supportingInfo: [episodeOfCareReference(record.id)],
    activity: record.steps.map((step): CarePlanActivity => {
      if (isActionable(step)) {
        return {
          reference: { reference: `Task/${taskId(record.id, step.key)}`, display: step.title },
        };
      }
      const period = stepPeriod(step);
      return {
        ...(step.completion
          ? { outcomeCodeableConcept: [{ text: OUTCOME_WORDS[step.completion.outcome] }] }
          : {}),
        detail: {
          code: { coding: [stepCoding(step)], text: step.title },
          status: ACTIVITY_STATUS_OF_STEP[step.status],
          statusReason: { text: step.reason },
          doNotPerform: false,
          ...(period ? { scheduledPeriod: period } : {}),
          description: step.title,
        },
      };
    }),
  };
}

/**
 * A Task per actionable step (open, due, overdue): what a nurse is asked to do now. Ids are
 * taskId(episode, step key); two step keys of one episode with the same hash (about 1 in 10^14)
 * would make two Tasks one, so the episode is refused rather than one step hidden.
 */
export function taskResources(record: EpisodeRecord): Task[] {
  const seen = new Map<string, string>();
  for (const step of record.steps) {
    const hash = stepKeyHash(step.key);
    const other = seen.get(hash);
    if (other !== undefined && other !== step.key) {
      throw new Error(
        `episode ${record.id}: plan steps "${other}" and "${step.key}" have the same Task id hash`,
      );
    }
    seen.set(hash, step.key);
  }
  const owner = nurseDisplay(record.nurse);
  return record.steps.filter(isActionable).map((step): Task => {
    const period = stepPeriod(step);
    return {
      resourceType: 'Task',
      id: taskId(record.id, step.key),
      meta: { versionId: String(record.version), lastUpdated: record.updatedAt },
      identifier: [{ system: PLAN_STEP_SYSTEM, value: `${record.id}/${step.key}` }],
      basedOn: [carePlanReference(record.id)],
      status: 'ready',
      businessStatus: {
        coding: [
          { system: STEP_STATUS_SYSTEM, code: step.status, display: statusWords(step.status) },
        ],
        text: statusWords(step.status),
      },
      intent: 'plan',
      priority: step.urgent ? 'urgent' : 'routine',
      code: { coding: [stepCoding(step)], text: step.title },
      description: step.title,
      focus: carePlanReference(record.id),
      for: patientReference(record.patientId),
      ...(period ? { authoredOn: period.start } : {}),
      lastModified: record.updatedAt,
      ...(owner ? { owner } : {}),
      reasonCode: { text: step.reason },
      ...(period ? { restriction: { period } } : {}),
    };
  });
}
