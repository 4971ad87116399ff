// Every field of every entry form, drawn as the design system's control with a non-default
// value: the value is what the browser shows (and what a form reset would go back to), and the
// error summary's link reaches the field's first control.
import { EVENT_TYPES } from '@vfx/domain';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { partName } from './date-parts';
import { EVENT_FORMS, type FieldSpec } from './event-fields';
import { FormField, fieldId } from './fields';

/** A value for the field that is not its default (not the first option, not empty). */
function valueFor(field: FieldSpec): string {
  switch (field.kind) {
    case 'choice':
      return (field.options ?? []).at(-1)?.value ?? '';
    case 'yes-no':
      return 'no';
    case 'whole':
      return String(field.max ?? 3);
    case 'decimal':
      return '-1.5';
    case 'date':
      return '2026-03-04';
    default:
      return `typed ${field.name}`;
  }
}

/** The <input> tags of the markup whose attributes include all of `attributes`. */
const inputsWith = (html: string, ...attributes: string[]) =>
  (html.match(/<input[^>]*>/g) ?? []).filter((tag) => attributes.every((a) => tag.includes(a)));

const draw = (field: FieldSpec, values: Record<string, string>, error?: string) =>
  renderToStaticMarkup(createElement(FormField, { spec: field, values, error }));

const cases = EVENT_TYPES.flatMap((type) =>
  EVENT_FORMS[type].fields
    .filter((field) => field.kind !== 'hidden')
    .map((field) => [`${type} ${field.name}`, field] as const),
);

describe('entry fields', () => {
  it.each(cases)(
    '%s shows the value it was given, and has the id its error links to',
    (_, field) => {
      const value = valueFor(field);
      const html = draw(field, { [field.name]: value }, 'Something is wrong.');
      expect(html).toContain(`id="${fieldId(field.name)}"`);
      expect(html).toContain('nhsuk-form-group--error');
      expect(html).toContain('nhsuk-error-message');
      switch (field.kind) {
        case 'choice':
          // The chosen option carries the HTML `selected` attribute, so a reset keeps it too.
          expect(html).toMatch(new RegExp(`<option value="${value}" selected="">`));
          break;
        case 'yes-no':
          expect(inputsWith(html, 'value="no"', 'checked=""')).toHaveLength(1);
          expect(inputsWith(html, 'checked=""')).toHaveLength(1);
          break;
        case 'date':
          expect(
            inputsWith(html, `name="${partName(field.name, 'day')}"`, 'value="4"'),
          ).toHaveLength(1);
          expect(
            inputsWith(html, `name="${partName(field.name, 'month')}"`, 'value="3"'),
          ).toHaveLength(1);
          expect(
            inputsWith(html, `name="${partName(field.name, 'year')}"`, 'value="2026"'),
          ).toHaveLength(1);
          break;
        case 'long-text':
          expect(html).toContain(`>${value}</textarea>`);
          break;
        default:
          expect(html).toContain(`value="${value}"`);
      }
    },
  );

  it('shows date boxes as typed, even when they are not a date', () => {
    const field = EVENT_FORMS['prior-bone-therapy'].fields.find((f) => f.name === 'startedOn');
    if (!field) throw new Error('no startedOn field');
    const html = draw(field, {
      startedOn: '31/2/2026',
      [partName('startedOn', 'day')]: '31',
      [partName('startedOn', 'month')]: '2',
      [partName('startedOn', 'year')]: '2026',
    });
    expect(inputsWith(html, 'name="startedOn-day"', 'value="31"')).toHaveLength(1);
    expect(inputsWith(html, 'name="startedOn-month"', 'value="2"')).toHaveLength(1);
  });
});
