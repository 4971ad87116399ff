// Form parts shared by the entry forms, enrolment and the correction of enrolment details.
import type { SummaryItem } from '@/ui/nhsuk/error-summary';
import { Checkboxes, DateInput, Radios } from '@/ui/nhsuk/form';
import { boxesOf } from './date-parts';
import { fieldId } from './fields';

/**
 * The error summary's lines: the form's own problem first, then each field's in the order the
 * fields are on the page (`order`), each linking to the field's first control.
 */
export function summaryItems(
  error: string | undefined,
  fieldErrors: Readonly<Record<string, string>>,
  order: readonly string[],
): SummaryItem[] {
  const rank = (name: string) => {
    const index = order.indexOf(name);
    return index < 0 ? order.length : index;
  };
  const fields = Object.entries(fieldErrors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([name, message]) => ({ target: fieldId(name), message }));
  return [...(error ? [{ target: undefined, message: error }] : []), ...fields];
}

/** The fractured vertebral levels as a checkbox group (T1 to L5). */
export function LevelsField(props: {
  name: string;
  levels: readonly string[];
  /** The chosen levels, comma-separated as the form sends them. */
  value: string | undefined;
  error: string | undefined;
}) {
  return (
    <Checkboxes
      id={fieldId(props.name)}
      name={props.name}
      legend="Fractured levels"
      hint="Select every fractured level."
      error={props.error}
      inline
      options={props.levels.map((level) => ({ value: level, label: level }))}
      defaultValues={(props.value ?? '').split(',').filter(Boolean)}
    />
  );
}

/** Community or admitted, with the admission date and time in the user's zone. */
export function CareSettingFields(props: {
  values: Readonly<Record<string, string>>;
  /** The name the care setting is sent under ("careSetting"). */
  settingName?: string;
  settingError: string | undefined;
  admittedAtError: string | undefined;
}) {
  const settingName = props.settingName ?? 'careSetting';
  return (
    <>
      <Radios
        id={fieldId(settingName)}
        name="careSetting"
        legend="Care setting"
        error={props.settingError}
        defaultValue={props.values.careSetting === 'admitted' ? 'admitted' : 'community'}
        options={[
          { value: 'community', label: 'Community' },
          { value: 'admitted', label: 'Admitted to hospital' },
        ]}
      />
      <DateInput
        id={fieldId('admittedAt')}
        name="admittedAt"
        legend="Admitted at (when admitted)"
        hint="In your own time zone, time on the 24-hour clock. For a fracture that happened in hospital, the time it was diagnosed."
        error={props.admittedAtError}
        value={boxesOf(props.values, 'admittedAt')}
        withTime
      />
    </>
  );
}
