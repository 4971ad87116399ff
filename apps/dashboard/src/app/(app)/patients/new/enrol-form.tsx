'use client';

import Link from 'next/link';
import type { FieldSpec } from '@/forms/event-fields';
import { FormField, fieldId } from '@/forms/fields';
import type { FormState } from '@/forms/form-state';
import { CareSettingFields, LevelsField, summaryItems } from '@/forms/parts';
import { PRIOR_THERAPY_FIELDS } from '@/forms/prior-therapy';
import { ErrorSummary } from '@/ui/nhsuk/error-summary';
import { Button, Checkboxes, Radios } from '@/ui/nhsuk/form';
import { useFormAction } from '@/ui/nhsuk/use-form-action';
import { enrolAction } from './actions';
import { ENROLMENT_FIELDS } from './fields';

export interface EnrolChoices {
  readonly sexes: FieldSpec['options'];
  readonly levels: readonly string[];
  readonly identification: FieldSpec['options'];
  readonly column: FieldSpec['options'];
  readonly oedema: FieldSpec['options'];
  readonly nurses: FieldSpec['options'];
}

const ORDER = Object.keys(ENROLMENT_FIELDS);

export function EnrolForm(props: { choices: EnrolChoices; initial: Record<string, string> }) {
  const { state, pending, form } = useFormAction<FormState>(enrolAction, {
    values: props.initial,
    fieldErrors: {},
  });
  const v = state.values;
  const e = state.fieldErrors;
  const field = (spec: FieldSpec) => <FormField spec={spec} values={v} error={e[spec.name]} />;
  return (
    <form {...form} className="enrol-form" noValidate>
      <ErrorSummary items={summaryItems(state.error, e, ORDER)} response={state} />
      <fieldset className="nhsuk-fieldset form-section">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Patient</legend>
        <Radios
          id={fieldId('identifierKind')}
          name="identifierKind"
          legend="Identifier"
          inline
          error={e.identifierKind}
          defaultValue={v.identifierKind === 'mrn' ? 'mrn' : 'nhs-number'}
          options={[
            { value: 'nhs-number', label: 'NHS number' },
            { value: 'mrn', label: 'Hospital number (MRN)' },
          ]}
        />
        {field({
          name: 'patient.identifier.value',
          label: 'NHS number or MRN',
          kind: 'text',
          required: true,
          hint: 'An NHS number is 10 digits; spaces are fine. A patient already known by this number gets a new episode.',
        })}
        <div className="form-columns">
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
        </div>
        {field({
          name: 'patient.dateOfBirth',
          label: 'Date of birth',
          kind: 'date',
          required: true,
          hint: 'For example, 2 7 1948.',
        })}
        {field({
          name: 'patient.sex',
          label: 'Sex',
          kind: 'choice',
          required: true,
          options: props.choices.sexes,
        })}
      </fieldset>
      <fieldset className="nhsuk-fieldset form-section">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
          Fracture episode
        </legend>
        <LevelsField
          name="episode.vertebralLevels"
          levels={props.choices.levels}
          value={v['episode.vertebralLevels']}
          error={e['episode.vertebralLevels']}
        />
        {field({
          name: 'episode.fractureDate',
          label: 'Date of fracture',
          kind: 'date',
          required: true,
          hint: 'Or of symptom onset when the fracture date is not known. For example, 2 11 2026.',
        })}
        {field({
          name: 'episode.identifiedOn',
          label: 'Identified on',
          kind: 'date',
          required: true,
        })}
        <Checkboxes
          id={fieldId('episode.fractureDateEstimated')}
          name="episode.fractureDateEstimated"
          error={e['episode.fractureDateEstimated']}
          options={[{ value: 'yes', label: 'The fracture date is estimated' }]}
          defaultValues={v['episode.fractureDateEstimated'] === 'yes' ? ['yes'] : []}
        />
        {field({
          name: 'episode.identification',
          label: 'How it was identified',
          kind: 'choice',
          required: true,
          options: props.choices.identification,
        })}
        <CareSettingFields
          values={v}
          settingName="episode.careSetting"
          settingError={e['episode.careSetting']}
          admittedAtError={e.admittedAt}
        />
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
      </fieldset>
      <fieldset className="nhsuk-fieldset form-section">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
          Bone therapy before this fracture
        </legend>
        <p className="nhsuk-hint">
          Leave empty if the patient was not taking a bone-protection drug. A drug started since the
          fracture is recorded later as “Bone therapy started”; further courses can be added from
          the patient page.
        </p>
        {PRIOR_THERAPY_FIELDS.map((spec) => (
          <FormField key={spec.name} spec={spec} values={v} error={e[spec.name]} />
        ))}
      </fieldset>
      <fieldset className="nhsuk-fieldset form-section">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Caseload</legend>
        {field({
          name: 'nurseId',
          label: 'Nurse',
          kind: 'choice',
          required: true,
          options: props.choices.nurses,
        })}
      </fieldset>
      <div className="nhsuk-button-group">
        <Button disabled={pending}>{pending ? 'Enrolling…' : 'Enrol'}</Button>
        <Link href="/caseload" className="nhsuk-link">
          Cancel
        </Link>
      </div>
    </form>
  );
}
