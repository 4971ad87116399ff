'use server';

import { randomUUID } from 'node:crypto';
import { RecordError } from '@vfx/database';
import { enrolPatient } from '@vfx/database/commands';
import { patientByIdentifier } from '@vfx/database/views';
import { CURRENT_PATHWAY_VERSION, nhsNumberProblem, normaliseNhsNumber } from '@vfx/domain';
import { redirect } from 'next/navigation';
import { joinDates } from '@/forms/date-parts';
import { type FormState, formValues, placeIssues, wordProblems } from '@/forms/form-state';
import { pastInstantFromForm } from '@/forms/past-instant';
import { priorTherapyFromEnrolment } from '@/forms/prior-therapy';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatCalendarDate } from '@/ui/dates';
import { ENROLMENT_FIELDS } from './fields';

const yesNo = (value: string | undefined) =>
  value === 'yes' ? true : value === 'no' ? false : value || undefined;
const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/**
 * Enrols a patient (new, or known by their NHS number or MRN) with a new fracture episode through
 * the shared write path. The domain validates everything; nothing is stored when anything is wrong.
 */
export async function enrolAction(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await requirePermission('patient.enrol');
  const joined = joinDates(formValues(form));
  const values = joined.values;
  // Date boxes that are not a date: said beside their field, with the domain's other problems.
  const own = wordProblems(joined.problems, ENROLMENT_FIELDS);
  const zone = await userTimeZone();
  const kind = values.identifierKind === 'mrn' ? 'mrn' : 'nhs-number';
  const rawIdentifier = values['patient.identifier.value'] ?? '';
  const identifier =
    kind === 'nhs-number' && !nhsNumberProblem(rawIdentifier)
      ? normaliseNhsNumber(rawIdentifier)
      : rawIdentifier.trim();
  // A known patient keeps their record; the new episode joins it.
  const known = identifier ? await patientByIdentifier(db(), kind, identifier) : undefined;
  if (known) {
    // The number names someone already on the service: their stored details stay, so a typing
    // error in the number must not quietly put this fracture on another person.
    const stored: Record<string, string> = {
      'demographics.givenName': known.givenName,
      'demographics.familyName': known.familyName,
      'patient.dateOfBirth': known.dateOfBirth.toISOString().slice(0, 10),
      'patient.sex': known.sex,
    };
    const differs = Object.keys(stored).filter(
      (field) => (values[field] ?? '').trim().toLowerCase() !== stored[field]?.toLowerCase(),
    );
    if (differs.length > 0) {
      const fieldErrors: Record<string, string> = {
        'patient.identifier.value': `This number belongs to ${known.givenName} ${known.familyName}, born ${formatCalendarDate(stored['patient.dateOfBirth'] as string)}, already on the service. Check the number; to add a new fracture for them, enter their details as recorded.`,
      };
      for (const field of differs)
        fieldErrors[field] = 'Differs from the patient on record with this number.';
      return { values, fieldErrors };
    }
  }
  const admitted = values.careSetting === 'admitted';
  const admittedAt = admitted
    ? pastInstantFromForm(values.admittedAt ?? '', zone, new Date())
    : undefined;
  // Each of these leaves the enrolment invalid for the domain too (boxes that are not a date are
  // sent as typed, an unreadable admission as none), so nothing is stored and the domain's
  // problems with the other fields are shown with them.
  if (admitted && !admittedAt && !own.admittedAt) {
    own.admittedAt = 'Enter the date and time of admission, e.g. 16 11 2026 and 18:00.';
  }
  const episodeId = randomUUID();
  // Bone therapy before this fracture, when given: taken now, with the enrolment.
  const prior = priorTherapyFromEnrolment(values, new Date().toISOString());
  try {
    await enrolPatient(
      db(),
      {
        patient: {
          id: known?.id ?? randomUUID(),
          identifier: { kind, value: rawIdentifier },
          dateOfBirth: text(values['patient.dateOfBirth']),
          sex: text(values['patient.sex']),
        },
        demographics: {
          givenName: values['demographics.givenName'] ?? '',
          familyName: values['demographics.familyName'] ?? '',
        },
        episode: {
          id: episodeId,
          pathwayVersion: CURRENT_PATHWAY_VERSION,
          vertebralLevels: (values['episode.vertebralLevels'] ?? '').split(',').filter(Boolean),
          fractureDate: text(values['episode.fractureDate']),
          fractureDateEstimated: values['episode.fractureDateEstimated'] === 'yes',
          identifiedOn: text(values['episode.identifiedOn']),
          identification: text(values['episode.identification']),
          careSetting: admitted
            ? { kind: 'admitted', admittedAt: admittedAt?.toISOString() }
            : { kind: 'community' },
          columnInvolvement: text(values['episode.columnInvolvement']),
          neurologicalDeficit: yesNo(values['episode.neurologicalDeficit']),
          suspectedMalignancy: yesNo(values['episode.suspectedMalignancy']),
          mriOedema: text(values['episode.mriOedema']),
        },
        nurseId: text(values.nurseId) ?? user.id,
        ...(prior ? { history: [prior] } : {}),
      },
      { actorId: user.id },
    );
  } catch (error) {
    if (error instanceof RecordError) {
      if (error.code === 'invalid-input') {
        // The admission time is asked for in its own field.
        const issues = error.issues.map((issue) =>
          issue.path.startsWith('episode.careSetting.admittedAt')
            ? { ...issue, path: 'admittedAt' }
            : issue,
        );
        const placed = placeIssues(issues, ENROLMENT_FIELDS, '', zone);
        return { values, ...placed, fieldErrors: { ...placed.fieldErrors, ...own } };
      }
      return { values, fieldErrors: {}, error: error.message };
    }
    throw error;
  }
  redirect(`/episodes/${episodeId}`);
}
