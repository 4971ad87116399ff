import { wordsOf } from '@/forms/event-fields';
import type { FieldWords } from '@/forms/messages';
import { PRIOR_THERAPY_FIELDS } from '@/forms/prior-therapy';

/**
 * The enrolment form's fields, named by the path the write path reports problems under, in the
 * order they are on the page, with how a message names each.
 */
export const ENROLMENT_FIELDS: Readonly<Record<string, FieldWords>> = {
  identifierKind: { label: 'Identifier', kind: 'choice' },
  'patient.identifier.value': { label: 'NHS number or MRN', kind: 'text' },
  'demographics.givenName': { label: 'Given name', kind: 'text' },
  'demographics.familyName': { label: 'Family name', kind: 'text' },
  'patient.dateOfBirth': { label: 'Date of birth', kind: 'date' },
  'patient.sex': { label: 'Sex', kind: 'choice' },
  'episode.vertebralLevels': { label: 'Fractured levels', kind: 'list' },
  'episode.fractureDate': { label: 'Date of fracture', kind: 'date' },
  'episode.identifiedOn': { label: 'Identified on', kind: 'date' },
  'episode.fractureDateEstimated': { label: 'The fracture date is estimated', kind: 'yes-no' },
  'episode.identification': { label: 'How it was identified', kind: 'choice' },
  'episode.careSetting': { label: 'Care setting', kind: 'choice' },
  admittedAt: { label: 'Admitted at', kind: 'date-time' },
  'episode.columnInvolvement': { label: 'Column involvement', kind: 'choice' },
  'episode.mriOedema': { label: 'MRI oedema', kind: 'choice' },
  'episode.neurologicalDeficit': { label: 'Neurological deficit', kind: 'yes-no' },
  'episode.suspectedMalignancy': { label: 'Suspected malignancy', kind: 'yes-no' },
  ...Object.fromEntries(PRIOR_THERAPY_FIELDS.map((spec) => [spec.name, wordsOf(spec)])),
  nurseId: { label: 'Nurse', kind: 'choice' },
};
