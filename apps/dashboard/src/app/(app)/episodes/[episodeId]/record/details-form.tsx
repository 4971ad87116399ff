'use client';

import { useActionState } from 'react';
import type { FieldSpec } from '@/forms/event-fields';
import { PreviewActions } from '@/forms/event-form';
import { FormField } from '@/forms/fields';
import type { FormState } from '@/forms/form-state';
import { CareSettingFields, ErrorSummary, LevelsField } from '@/forms/parts';

const LABELS: Record<string, string> = {
  vertebralLevels: 'Fractured levels',
  fractureDate: 'Date of fracture',
  fractureDateEstimated: 'The fracture date is estimated',
  identifiedOn: 'Identified on',
  identification: 'How it was identified',
  careSetting: 'Care setting',
  admittedAt: 'Admitted at',
  note: 'Why the details are corrected',
};

/**
 * The enrolment details as they stand, to correct: levels as a checkbox group, the care setting
 * as a radio with the admission time, as at enrolment. The server sends only what changed.
 */
export function DetailsForm(props: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  initial: Record<string, string>;
  levels: readonly string[];
  identification: FieldSpec['options'];
  submitLabel: string;
  cancelHref: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(props.action, {
    values: props.initial,
    fieldErrors: {},
  });
  const v = state.values;
  const e = state.fieldErrors;
  const field = (spec: FieldSpec) => (
    <FormField spec={spec} value={v[spec.name]} error={e[spec.name]} />
  );
  return (
    <form action={action} className="stack event-form" noValidate>
      <ErrorSummary error={state.error} fieldErrors={e} labelOf={(name) => LABELS[name] ?? name} />
      {/* Drawn afresh for each submission, so checkboxes and selects keep what was sent. */}
      <div key={state.attempt ?? 0} className="stack">
        <LevelsField
          name="vertebralLevels"
          levels={props.levels}
          value={v.vertebralLevels}
          error={e.vertebralLevels}
        />
        <div className="grid-2">
          {field({
            name: 'fractureDate',
            label: 'Date of fracture',
            kind: 'date',
            required: true,
            hint: 'Or of symptom onset when the fracture date is not known.',
          })}
          {field({ name: 'identifiedOn', label: 'Identified on', kind: 'date', required: true })}
        </div>
        <div className="field">
          <label>
            <input
              type="checkbox"
              name="fractureDateEstimated"
              value="yes"
              defaultChecked={v.fractureDateEstimated === 'yes'}
              aria-invalid={e.fractureDateEstimated ? true : undefined}
              aria-describedby={
                e.fractureDateEstimated ? 'f-fractureDateEstimated-error' : undefined
              }
              id="f-fractureDateEstimated"
            />{' '}
            The fracture date is estimated
          </label>
          {e.fractureDateEstimated ? (
            <p id="f-fractureDateEstimated-error" className="field-error">
              {e.fractureDateEstimated}
            </p>
          ) : null}
        </div>
        {field({
          name: 'identification',
          label: 'How it was identified',
          kind: 'choice',
          required: true,
          options: props.identification,
        })}
        <CareSettingFields
          setting={v.careSetting}
          admittedAt={v.admittedAt}
          settingError={e.careSetting}
          admittedAtError={e.admittedAt}
        />
        {field({
          name: 'note',
          label: 'Why the details are corrected',
          kind: 'long-text',
          required: true,
          hint: 'Shown in the history and the audit log, e.g. "Fracture date mistyped; the x-ray is dated 2 November".',
        })}
      </div>
      <PreviewActions
        state={state}
        pending={pending}
        submitLabel={props.submitLabel}
        cancelHref={props.cancelHref}
      />
    </form>
  );
}
