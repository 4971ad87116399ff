// What the FHIR resources are built from: the stored record as packages/database reads it, in
// plain values. The mapping functions in resources/ are pure (no I/O, no clock): the dashboard's
// reads, $everything and the worker's bulk export all give them the same records, so the same
// patient is the same FHIR resource whichever way it leaves the service.
import type { ClinicalEvent, Episode, Patient, PlanStep } from '@vfx/domain';

export interface PatientRecord {
  /** The patient exactly as packages/domain validated it (id, identifier, birth date, sex). */
  readonly patient: Patient;
  readonly givenName: string;
  readonly familyName: string;
  /** The nurse whose caseload the patient is on. */
  readonly nurse: { readonly id: string; readonly name: string } | null;
  /** When the patient was first registered (ISO instant). */
  readonly registeredAt: string;
  /** When the patient's row last changed (ISO instant): meta.lastUpdated. */
  readonly updatedAt: string;
}

/**
 * A plan step as the worker last applied it (a plan_steps row): the status every page shows.
 * The domain's PlanStep is a superset, so a freshly computed plan's steps fit too.
 */
export type StepRecord = Pick<
  PlanStep,
  'key' | 'stepId' | 'title' | 'category' | 'status' | 'urgent' | 'reason' | 'window' | 'completion'
>;

export interface EpisodeRecord {
  readonly id: string;
  readonly patientId: string;
  readonly pathwayVersion: string;
  /** The episode as it now stands: the enrolment with its details corrected (effectiveEpisode). */
  readonly episode: Episode;
  /** ISO instants. */
  readonly enrolledAt: string;
  readonly closedAt: string | null;
  readonly closureReason: string | null;
  /** Increases with every recorded change: meta.versionId. */
  readonly version: number;
  /** When the episode's row last changed (ISO instant): meta.lastUpdated. */
  readonly updatedAt: string;
  /** Every recorded entry, in the order it was recorded (corrections and withdrawals included). */
  readonly events: readonly ClinicalEvent[];
  /** The plan's steps, with the statuses the worker has applied. */
  readonly steps: readonly StepRecord[];
  /** The nurse responsible (the patient's), for CarePlan.author and Task.owner. */
  readonly nurse: { readonly id: string; readonly name: string } | null;
}

/** One row of the audit log, as the audit view reads it. */
export interface AuditRecord {
  readonly id: string;
  /** ISO instant. */
  readonly at: string;
  /** A user id, or "system:<component>". */
  readonly actor: string;
  /** The actor's name where it is a user; undefined for system actors and unknown users. */
  readonly actorName: string | undefined;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly patientId: string | null;
}
