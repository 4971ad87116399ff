'use client';

import type { FieldSpec } from '@/forms/event-fields';
import { PreviewActions } from '@/forms/event-form';
import { FormField, fieldId } from '@/forms/fields';
import type { FormState } from '@/forms/form-state';
import { CareSettingFields, LevelsField, summaryItems } from '@/forms/parts';
import { ErrorSummary } from '@/ui/nhsuk/error-summary';
import { Checkboxes } from '@/ui/nhsuk/form';
import { useFormAction } from '@/ui/nhsuk/use-form-action';

/** The fields in the order they are on the page, for the error summary. */
const ORDER = [
  'vertebralLevels',
  'fractureDate',
  'identifiedOn',
  'fractureDateEstimated',
  'identification',
  'careSetting',
  'admittedAt',
  'note',
];

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
  const { state, pending, form } = useFormAction<FormState>(props.action, {
    values: props.initial,
    fieldErrors: {},
  });
  const v = state.values;
  const e = state.fieldErrors;
  const field = (spec: FieldSpec) => <FormField spec={spec} values={v} error={e[spec.name]} />;
  return (
    <form {...form} className="event-form" noValidate>
      <ErrorSummary items={summaryItems(state.error, e, ORDER)} response={state} />
      <LevelsField
        name="vertebralLevels"
        levels={props.levels}
        value={v.vertebralLevels}
        error={e.vertebralLevels}
      />
      {field({
        name: 'fractureDate',
        label: 'Date of fracture',
        kind: 'date',
        required: true,
        hint: 'Or of symptom onset when the fracture date is not known. For example, 2 11 2026.',
      })}
      {field({ name: 'identifiedOn', label: 'Identified on', kind: 'date', required: true })}
      <Checkboxes
        id={fieldId('fractureDateEstimated')}
        name="fractureDateEstimated"
        error={e.fractureDateEstimated}
        options={[{ value: 'yes', label: 'The fracture date is estimated' }]}
        defaultValues={v.fractureDateEstimated === 'yes' ? ['yes'] : []}
      />
      {field({
        name: 'identification',
        label: 'How it was identified',
        kind: 'choice',
        required: true,
        options: props.identification,
      })}
      <CareSettingFields values={v} settingError={e.careSetting} admittedAtError={e.admittedAt} />
      {field({
        name: 'note',
        label: 'Why the details are corrected',
        kind: 'long-text',
        required: true,
        hint: 'Shown in the history and the audit log, e.g. "Fracture date mistyped; the x-ray is dated 2 November".',
      })}
      <PreviewActions
        state={state}
        pending={pending}
        submitLabel={props.submitLabel}
        cancelHref={props.cancelHref}
      />
    </form>
  );
}
