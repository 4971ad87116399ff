import type { ClinicalEventInput, EpisodeInput, PatientInput } from '../inputs/schemas.js';
import { parseEpisodeRecord } from '../inputs/validate.js';
import { CURRENT_PATHWAY_VERSION, type PathwayRegistry } from '../pathway/registry.js';
import { computePlan } from '../plan/compute-plan.js';
import type { Plan } from '../plan/types.js';
import type { ServiceSettings } from '../time/settings.js';

/** Distributes Omit over a union, so each event type keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type EventBody = DistributiveOmit<
  ClinicalEventInput,
  'id' | 'occurredAt' | 'recordedAt' | 'recordedBy'
> & {
  id?: string;
  recordedAt?: string;
  recordedBy?: string;
};

/**
 * Builds a patient, an episode and its history in a few readable lines, for tests here and in
 * the apps. Every record goes through the real validation before a plan is computed.
 *
 *   scenario({ fractureDate: '2025-01-06' }).pain('2025-01-07T10:00:00Z', 8, 9, 'severe').plan('2025-01-08T12:00:00Z')
 */
export class Scenario {
  private readonly events: ClinicalEventInput[] = [];
  private counter = 0;

  constructor(
    readonly patient: PatientInput,
    readonly episode: EpisodeInput,
    readonly settings?: ServiceSettings,
    readonly pathways?: PathwayRegistry,
  ) {}

  private get context() {
    return {
      ...(this.settings ? { settings: this.settings } : {}),
      ...(this.pathways ? { pathways: this.pathways } : {}),
    };
  }

  /** Adds any event; id, recordedAt (= occurredAt) and recordedBy are filled when missing. */
  add(occurredAt: string, body: EventBody): this {
    this.counter += 1;
    this.events.push({
      ...body,
      id: body.id ?? `ev${this.counter}`,
      occurredAt,
      recordedAt: body.recordedAt ?? occurredAt,
      recordedBy: body.recordedBy ?? 'nurse-1',
    } as ClinicalEventInput);
    return this;
  }

  pain(
    at: string,
    nrsAtRest: number,
    nrsOnActivity: number,
    functionalLimitation: 'none' | 'mild' | 'moderate' | 'severe',
    extra: {
      mobility?: 'independent' | 'with-help' | 'unable';
      onAnalgesia?: boolean;
      selfCareDifficulty?: boolean;
      id?: string;
      supersedes?: string;
      recordedAt?: string;
    } = {},
  ): this {
    return this.add(at, {
      type: 'pain-assessment',
      nrsAtRest,
      nrsOnActivity,
      functionalLimitation,
      ...extra,
    });
  }

  referral(
    at: string,
    referralType:
      | 'physiotherapy'
      | 'individualised-exercise-programme'
      | 'occupational-therapy'
      | 'falls-service'
      | 'pain-clinic'
      | 'vertebral-augmentation-mdt'
      | 'spinal-surgery',
  ): this {
    return this.add(at, { type: 'referral', referralType });
  }

  completeStep(
    at: string,
    stepKey: string,
    outcome: 'done' | 'declined' | 'not-indicated' = 'done',
  ): this {
    return this.add(at, { type: 'step-completed', stepKey, outcome });
  }

  /** The validated record, as the write path would store it. */
  record(now: string) {
    return parseEpisodeRecord(
      { patient: this.patient, episode: this.episode, events: this.events },
      { now, ...this.context },
    );
  }

  /** Validates everything as of `asOf`, then plans as of `asOf`. */
  plan(asOf: string): Plan {
    const { patient, episode, events } = this.record(asOf);
    return computePlan({ patient, episode, events, asOf, ...this.context });
  }
}

export interface ScenarioOptions {
  readonly patientId?: string;
  readonly episodeId?: string;
  readonly nhsNumber?: string;
  readonly dateOfBirth?: string;
  readonly sex?: PatientInput['sex'];
  readonly fractureDate?: string;
  readonly identifiedOn?: string;
  readonly enrolledAt?: string;
  readonly admittedAt?: string;
  readonly identification?: EpisodeInput['identification'];
  readonly vertebralLevels?: EpisodeInput['vertebralLevels'];
  readonly columnInvolvement?: EpisodeInput['columnInvolvement'];
  readonly neurologicalDeficit?: boolean;
  readonly suspectedMalignancy?: boolean;
  readonly mriOedema?: EpisodeInput['mriOedema'];
  readonly pathwayVersion?: string;
  readonly settings?: ServiceSettings;
  readonly pathways?: PathwayRegistry;
}

/** A community patient aged 74 with an anterior-column T12 fracture unless told otherwise. */
export function scenario(options: ScenarioOptions = {}): Scenario {
  const fractureDate = options.fractureDate ?? '2025-01-06';
  const identifiedOn = options.identifiedOn ?? fractureDate;
  const patient: PatientInput = {
    id: options.patientId ?? 'pat1',
    identifier: { kind: 'nhs-number', value: options.nhsNumber ?? '9434765919' },
    dateOfBirth: options.dateOfBirth ?? '1950-05-17',
    sex: options.sex ?? 'female',
  };
  const episode: EpisodeInput = {
    id: options.episodeId ?? 'ep1',
    patientId: patient.id,
    pathwayVersion: options.pathwayVersion ?? CURRENT_PATHWAY_VERSION,
    vertebralLevels: options.vertebralLevels ?? ['T12'],
    fractureDate,
    identifiedOn,
    identification: options.identification ?? 'symptomatic-presentation',
    careSetting: options.admittedAt
      ? { kind: 'admitted', admittedAt: options.admittedAt }
      : { kind: 'community' },
    columnInvolvement: options.columnInvolvement ?? 'anterior-only',
    neurologicalDeficit: options.neurologicalDeficit ?? false,
    suspectedMalignancy: options.suspectedMalignancy ?? false,
    mriOedema: options.mriOedema ?? 'not-imaged',
    enrolledAt: options.enrolledAt ?? options.admittedAt ?? `${identifiedOn}T14:00:00Z`,
  };
  return new Scenario(patient, episode, options.settings, options.pathways);
}
