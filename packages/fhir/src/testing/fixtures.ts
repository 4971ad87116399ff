// Records as packages/database reads them, built from the domain's scenarios: the patient and
// episode as validated, every entry, and the plan's steps as computed at an instant (what the
// worker applies to plan_steps). For tests of the mappings and of the routes that serve them.
import { computePlan, effectiveEpisode } from '@vfx/domain';
import { type Scenario, scenario } from '@vfx/domain/testing';
import type { EpisodeRecord, PatientRecord, StepRecord } from '../records.js';

export interface ScenarioRecords {
  readonly patient: PatientRecord;
  readonly episode: EpisodeRecord;
}

export interface ScenarioRecordOptions {
  /** The instant the plan is computed at and the records are read (ISO). */
  readonly asOf: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly nurse?: { readonly id: string; readonly name: string } | null;
  /** The episode's record version; defaults to one more than the number of entries. */
  readonly version?: number;
}

/** The records of a scenario as of an instant: what the record views would read. */
export function recordsOf(built: Scenario, options: ScenarioRecordOptions): ScenarioRecords {
  const { patient, episode, events } = built.record(options.asOf);
  const plan = computePlan({ patient, episode, events, asOf: options.asOf });
  const closure = events.find((event) => event.type === 'closure');
  const nurse = options.nurse === undefined ? { id: 'nurse-1', name: 'Asha Khan' } : options.nurse;
  const lastEntry = events.reduce(
    (latest, event) =>
      Date.parse(event.recordedAt) > Date.parse(latest) ? event.recordedAt : latest,
    episode.enrolledAt,
  );
  return {
    patient: {
      patient,
      givenName: options.givenName ?? 'Ada',
      familyName: options.familyName ?? 'Lovelace',
      nurse,
      registeredAt: episode.enrolledAt,
      updatedAt: episode.enrolledAt,
    },
    episode: {
      id: episode.id,
      patientId: patient.id,
      pathwayVersion: episode.pathwayVersion,
      // The episode as corrected, as the view gives it.
      episode: effectiveEpisode(episode, events),
      enrolledAt: episode.enrolledAt,
      closedAt: closure ? closure.occurredAt : null,
      closureReason: closure?.type === 'closure' ? closure.reason : null,
      version: options.version ?? events.length + 1,
      updatedAt: lastEntry,
      events,
      steps: plan.steps.map(
        (step): StepRecord => ({
          key: step.key,
          stepId: step.stepId,
          title: step.title,
          category: step.category,
          status: step.status,
          urgent: step.urgent,
          reason: step.reason,
          window: step.window,
          completion: step.completion,
        }),
      ),
      nurse,
    },
  };
}

/**
 * A patient whose record holds every kind of entry the service records (a correction and a
 * withdrawal among them), as of 2025-09-01, and the same patient's episode closed: together they
 * exercise every mapping. Dates follow a fracture on 2025-01-06.
 */
export function everyEntryScenario(options: { readonly closed?: boolean } = {}): Scenario {
  const built = scenario({
    patientId: 'pat-every',
    episodeId: 'ep-every',
    fractureDate: '2025-01-06',
    vertebralLevels: ['T12', 'L1'],
  })
    .pain('2025-01-07T10:00:00Z', 6, 8, 'moderate', { id: 'pain-1', mobility: 'with-help' })
    .pain('2025-01-07T10:00:00Z', 5, 8, 'moderate', {
      id: 'pain-1-fix',
      supersedes: 'pain-1',
      recordedAt: '2025-01-07T11:00:00Z',
    })
    .completeStep('2025-01-07T10:30:00Z', 'self-management-advice')
    .add('2025-01-08T10:00:00Z', {
      type: 'psychological-screen',
      anxietyOrLowMood: false,
      painCatastrophising: true,
      fearOfFalling: true,
      tools: 'HADS, PCS',
    })
    .add('2025-01-08T10:10:00Z', {
      type: 'falls-risk-assessment',
      fallsInLastYear: 2,
      presentedWithFall: true,
      gaitOrBalanceDifficulty: true,
      result: 'at-risk',
    })
    .add('2025-01-08T10:20:00Z', {
      id: 'frax-1',
      type: 'fracture-risk-assessment',
      tool: 'FRAX',
      majorOsteoporoticFractureRisk: 24.5,
      hipFractureRisk: 8.1,
      category: 'high',
    })
    .add('2025-01-08T10:30:00Z', {
      type: 'prior-bone-therapy',
      drug: 'alendronic-acid',
      startedOn: '2019-03-01',
      takingAtFracture: false,
      stoppedOn: '2022-03-01',
      adherence: 'as-prescribed',
    })
    .referral('2025-01-08T11:00:00Z', 'physiotherapy')
    .add('2025-01-08T11:05:00Z', {
      id: 'ref-falls',
      type: 'referral',
      referralType: 'falls-service',
    })
    .add('2025-01-08T11:30:00Z', {
      type: 'retraction',
      supersedes: 'ref-falls',
      note: 'Entered for the wrong patient',
    })
    .add('2025-01-09T09:00:00Z', {
      type: 'episode-details-corrected',
      fractureDateEstimated: true,
      note: 'The patient is not sure of the day of the fall',
    })
    .add('2025-01-20T10:00:00Z', {
      type: 'clinical-findings',
      mriOedema: 'present',
      columnInvolvement: 'anterior-only',
    })
    .add('2025-01-27T10:00:00Z', { type: 'laboratory-screen', secondaryCauseFound: false })
    // Maps to no resource (docs/interop.md): the appointment shows on the plan's DXA step.
    .add('2025-01-27T10:05:00Z', {
      type: 'dxa-appointment',
      action: 'booked',
      appointmentOn: '2025-02-03',
      appointmentTime: '09:30',
      place: 'Radiology',
    })
    .add('2025-02-03T10:00:00Z', {
      id: 'dxa-1',
      type: 'dxa-result',
      lumbarSpineTScore: -2.9,
      totalHipTScore: -2.1,
      femoralNeckTScore: -2.6,
      vertebralFractureAssessment: true,
    })
    .add('2025-02-10T10:00:00Z', {
      id: 'dmab-start',
      type: 'bone-therapy-started',
      drug: 'denosumab',
    })
    .add('2025-01-13T10:00:00Z', {
      type: 'step-rescheduled',
      stepKey: 'dxa-scan',
      remindOn: '2025-01-31',
      reason: 'DXA clinic list that day',
      recordedBy: 'scheduler-1',
    })
    .add('2025-03-10T10:00:00Z', {
      type: 'follow-up-contact',
      mode: 'telephone',
      treatmentStatus: 'started',
      takingAsPrescribed: true,
      fallsReferralActioned: 'not-applicable',
    })
    .add('2025-05-01T10:00:00Z', {
      id: 'ral-start',
      type: 'bone-therapy-started',
      drug: 'raloxifene',
    })
    .add('2025-06-01T10:00:00Z', {
      type: 'bone-therapy-stopped',
      drug: 'raloxifene',
      reason: 'Hot flushes',
    })
    .add('2025-08-10T10:00:00Z', { type: 'bone-therapy-dose', drug: 'denosumab' })
    .add('2025-08-11T10:00:00Z', {
      type: 'treatment-review',
      drug: 'denosumab',
      takingAsPrescribed: true,
      outcome: 'continue',
    });
  return options.closed
    ? built.add('2025-08-20T10:00:00Z', { type: 'closure', reason: 'discharged' })
    : built;
}
