'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { FieldSpec } from '@/forms/event-fields';
import { FormField } from '@/forms/fields';
import type { FormState } from '@/forms/form-state';
import { CareSettingFields, ErrorSummary, LevelsField } from '@/forms/parts';
import { PRIOR_THERAPY_FIELDS } from '@/forms/prior-therapy';
import { enrolAction } from './actions';

export interface EnrolChoices {
  readonly sexes: FieldSpec['options'];
  readonly levels: readonly string[];
  readonly identification: FieldSpec['options'];
  readonly column: FieldSpec['options'];
  readonly oedema: FieldSpec['options'];
  readonly nurses: FieldSpec['options'];
}

const LABELS: Record<string, string> = {
  'patient.identifier.value': 'NHS number or MRN',
  'patient.dateOfBirth': 'Date of birth',
  'patient.sex': 'Sex',
  'demographics.givenName': 'Given name',
  'demographics.familyName': 'Family name',
  'episode.vertebralLevels': 'Fractured levels',
  'episode.fractureDate': 'Date of fracture',
  'episode.identifiedOn': 'Identified on',
  'episode.identification': 'How it was identified',
  admittedAt: 'Admitted at',
  'episode.columnInvolvement': 'Column involvement',
  'episode.neurologicalDeficit': 'Neurological deficit',
  'episode.suspectedMalignancy': 'Suspected malignancy',
  'episode.mriOedema': 'MRI oedema',
  nurseId: 'Nurse',
  ...Object.fromEntries(
    PRIOR_THERAPY_FIELDS.map((spec) => [
      spec.name,
      `Bone therapy before the fracture: ${spec.label}`,
    ]),
  ),
};

export function EnrolForm(props: { choices: EnrolChoices; initial: Record<string, string> }) {
  const [state, action, pending] = useActionState<FormState, FormData>(enrolAction, {
    values: props.initial,
    fieldErrors: {},
  });
  const v = state.values;
  const e = state.fieldErrors;
  const field = (spec: FieldSpec) => (
    <FormField spec={spec} value={v[spec.name]} error={e[spec.name]} />
  );
  return (
    <form action={action} className="stack" noValidate>
      <ErrorSummary error={state.error} fieldErrors={e} labelOf={(name) => LABELS[name] ?? name} />
      <fieldset className="card stack">
        <legend>Patient</legend>
        <div className="inline-options" role="radiogroup" aria-label="Identifier">
          <label>
            <input
              type="radio"
              name="identifierKind"
              value="nhs-number"
              defaultChecked={v.identifierKind !== 'mrn'}
            />{' '}
            NHS number
          </label>
          <label>
            <input
              type="radio"
              name="identifierKind"
              value="mrn"
              defaultChecked={v.identifierKind === 'mrn'}
            />{' '}
            Hospital number (MRN)
          </label>
        </div>
        {field({
          name: 'patient.identifier.value',
          label: 'NHS number or MRN',
          kind: 'text',
          required: true,
          hint: 'An NHS number is 10 digits; spaces are fine. A patient already known by this number gets a new episode.',
        })}
        <div className="grid-2">
          {field({
            name: 'demographics.givenName',
            label: 'Given name',
            kind: 'text',
            required: true,
          })}
          {field({
            name: 'demographics.familyName',
            label: 'Family name',
            kind: 'text',
            required: true,
          })}
          {field({
            name: 'patient.dateOfBirth',
            label: 'Date of birth',
            kind: 'date',
            required: true,
          })}
          {field({
            name: 'patient.sex',
            label: 'Sex',
            kind: 'choice',
            required: true,
            options: props.choices.sexes,
          })}
        </div>
      </fieldset>
      <fieldset className="card stack">
        <legend>Fracture episode</legend>
        <LevelsField
          name="episode.vertebralLevels"
          levels={props.choices.levels}
          value={v['episode.vertebralLevels']}
          error={e['episode.vertebralLevels']}
        />
        <div className="grid-2">
          {field({
            name: 'episode.fractureDate',
            label: 'Date of fracture',
            kind: 'date',
            required: true,
            hint: 'Or of symptom onset when the fracture date is not known.',
          })}
          {field({
            name: 'episode.identifiedOn',
            label: 'Identified on',
            kind: 'date',
            required: true,
          })}
        </div>
        <label>
          <input
            type="checkbox"
            name="episode.fractureDateEstimated"
            value="yes"
            defaultChecked={v['episode.fractureDateEstimated'] === 'yes'}
          />{' '}
          The fracture date is estimated
        </label>
        {field({
          name: 'episode.identification',
          label: 'How it was identified',
          kind: 'choice',
          required: true,
          options: props.choices.identification,
        })}
        <CareSettingFields
          setting={v.careSetting}
          admittedAt={v.admittedAt}
          settingError={e['episode.careSetting']}
          admittedAtError={e.admittedAt}
        />
        <div className="grid-2">
          {field({
            name: 'episode.columnInvolvement',
            label: 'Column involvement',
            kind: 'choice',
            required: true,
            options: props.choices.column,
          })}
          {field({
            name: 'episode.mriOedema',
            label: 'MRI oedema',
            kind: 'choice',
            required: true,
            options: props.choices.oedema,
          })}
          {field({
            name: 'episode.neurologicalDeficit',
            label: 'Neurological deficit',
            kind: 'yes-no',
            required: true,
          })}
          {field({
            name: 'episode.suspectedMalignancy',
            label: 'Suspected malignancy',
            kind: 'yes-no',
            required: true,
          })}
        </div>
      </fieldset>
      <fieldset className="card stack">
        <legend>Bone therapy before this fracture</legend>
        <p className="hint">
          Leave empty if the patient was not taking a bone-protection drug. A drug started since the
          fracture is recorded later as “Bone therapy started”; further courses can be added from
          the patient page.
        </p>
        <div className="grid-2">
          {PRIOR_THERAPY_FIELDS.map((spec) => (
            <FormField key={spec.name} spec={spec} value={v[spec.name]} error={e[spec.name]} />
          ))}
        </div>
      </fieldset>
      <fieldset className="card stack">
        <legend>Caseload</legend>
        {field({
          name: 'nurseId',
          label: 'Nurse',
          kind: 'choice',
          required: true,
          options: props.choices.nurses,
        })}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? 'Enrolling…' : 'Enrol'}
        </button>
        <Link href="/caseload">Cancel</Link>
      </div>
    </form>
  );
}
