// Enrolling a patient (new, or known by the same id) with a new fracture episode: one, or a
// batch (an import from another system, the seed). The command: runCommand checks the actor and
// the permission `patient.enrol`; the write machinery (records/write-path.ts) validates, stores,
// plans and writes the outbox, in the same transaction as the audit entries.
import { DEFAULT_SERVICE_SETTINGS, type InputIssue } from '@vfx/domain';
import type { Queryable } from '../client.js';
import { RecordError } from '../records/errors.js';
import {
  type EnrolmentInput,
  type EnrolmentResult,
  storeEnrolments,
  type ValidEnrolment,
  validateEnrolment,
  type WriteOptions,
  withEnrolmentConflicts,
} from '../records/write-path.js';
import { runCommand } from './run-command.js';

export type { EnrolmentInput, EnrolmentResult } from '../records/write-path.js';

/**
 * Enrols a patient with a new fracture episode. The input is validated first (no database);
 * then, in one transaction, the actor may or may not enrol (`patient.enrol`), the responsible
 * nurse must be able to hold a caseload ('invalid-input' at `nurseId` otherwise), and everything
 * is stored with its audit entries.
 */
export async function enrolPatient(
  db: Queryable,
  input: EnrolmentInput,
  options: WriteOptions,
): Promise<EnrolmentResult> {
  const now = options.now ?? new Date();
  const issues: InputIssue[] = [];
  const valid = validateEnrolment(input, '', options, now, issues);
  if (!valid) throw RecordError.invalid(issues);
  const [result] = await enrol(db, [valid], options, now);
  return result as EnrolmentResult;
}

/**
 * Enrols many patients in one transaction, as an import from another system or the seed does:
 * all of them or, on any problem, none. Problems name the entry ("[3].patient.identifier.value").
 * The checks and the stored rows are exactly those of enrolPatient, with one statement per table
 * for the whole batch.
 */
export async function enrolPatients(
  db: Queryable,
  inputs: readonly EnrolmentInput[],
  options: WriteOptions,
): Promise<EnrolmentResult[]> {
  const now = options.now ?? new Date();
  const issues: InputIssue[] = [];
  const valid = inputs.map((input, i) => validateEnrolment(input, `[${i}].`, options, now, issues));
  if (issues.length > 0) throw RecordError.invalid(issues);
  if (valid.length === 0) return [];
  return enrol(db, valid as ValidEnrolment[], options, now);
}

function enrol(
  db: Queryable,
  entries: readonly ValidEnrolment[],
  options: WriteOptions,
  now: Date,
): Promise<EnrolmentResult[]> {
  const settings = options.settings ?? DEFAULT_SERVICE_SETTINGS;
  return withEnrolmentConflicts(() =>
    runCommand(db, options.actorId, 'patient.enrol', (scope) =>
      storeEnrolments(scope, entries, settings, now),
    ),
  );
}
