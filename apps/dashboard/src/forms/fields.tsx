import { DateInput, Radios, Select, Textarea, TextInput } from '@/ui/nhsuk/form';
import { boxesOf } from './date-parts';
import type { FieldSpec } from './event-fields';

/** The id of a field's first control, which the error summary links to. */
export const fieldId = (name: string, idPrefix = 'f') => `${idPrefix}-${name}`;

/** One field of an entry, as the design system's control for its kind. */
export function FormField(props: {
  spec: FieldSpec;
  /** The form's values: the field's own, or for a date its day, month and year as typed. */
  values: Readonly<Record<string, string>>;
  error: string | undefined;
  idPrefix?: string;
}) {
  const { spec, values, error } = props;
  const value = values[spec.name];
  if (spec.kind === 'hidden') return <input type="hidden" name={spec.name} value={value ?? ''} />;
  const id = fieldId(spec.name, props.idPrefix);
  const label = `${spec.label}${spec.required ? '' : ' (optional)'}`;
  const common = { id, name: spec.name, hint: spec.hint, error } as const;
  switch (spec.kind) {
    case 'yes-no':
      return (
        <Radios
          {...common}
          legend={label}
          inline
          defaultValue={value ?? ''}
          options={[
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
            ...(spec.required ? [] : [{ value: '', label: 'Not recorded' }]),
          ]}
        />
      );
    case 'choice':
      return (
        <Select
          {...common}
          label={label}
          options={spec.options ?? []}
          defaultValue={value ?? ''}
          placeholder={spec.required ? 'Choose…' : 'Not recorded'}
        />
      );
    case 'date':
      return <DateInput {...common} legend={label} value={boxesOf(values, spec.name)} />;
    case 'long-text':
      return <Textarea {...common} label={label} defaultValue={value ?? ''} />;
    default:
      return (
        <TextInput
          {...common}
          label={label}
          defaultValue={value ?? ''}
          inputMode={
            spec.kind === 'whole' ? 'numeric' : spec.kind === 'decimal' ? 'decimal' : undefined
          }
          width={spec.kind === 'whole' || spec.kind === 'decimal' ? 4 : undefined}
        />
      );
  }
}
