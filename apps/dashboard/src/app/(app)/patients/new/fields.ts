import { PRIOR_THERAPY_FIELDS } from '@/forms/prior-therapy';

/** The enrolment form's fields, named by the path the write path reports problems under. */
export const ENROLMENT_FIELDS: readonly string[] = [
  'patient.identifier.value',
  'patient.dateOfBirth',
  'patient.sex',
  'demographics.givenName',
  'demographics.familyName',
  'episode.vertebralLevels',
  'episode.fractureDate',
  'episode.fractureDateEstimated',
  'episode.identifiedOn',
  'episode.identification',
  'episode.careSetting',
  'episode.columnInvolvement',
  'episode.neurologicalDeficit',
  'episode.suspectedMalignancy',
  'episode.mriOedema',
  ...PRIOR_THERAPY_FIELDS.map((field) => field.name),
  'nurseId',
];
