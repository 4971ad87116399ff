import type { InputIssue } from '@vfx/domain';
import { type FieldWords, humanMessage } from './messages';

/** What a form shows after a refused submission: the values as typed and what is wrong. */
export interface FormState {
  readonly values: Record<string, string>;
  readonly fieldErrors: Record<string, string>;
  /** A problem that belongs to no one field. */
  readonly error?: string;
  /** What saving the entry as typed would change in the plan; saving needs one. */
  readonly preview?: PreviewState;
}

/** The domain's preview of an unsaved entry, as the form shows it and sends it back. */
export interface PreviewState {
  /** What becomes of the step the entry is made from ("... stays Upcoming: ..."). */
  readonly focus: string | undefined;
  readonly changes: readonly {
    readonly title: string;
    readonly kind: string;
    readonly before: string | undefined;
    readonly after: string | undefined;
    readonly reason: string;
  }[];
  /** Identifies the previewed changes; the save is refused if the entry would now do otherwise. */
  readonly digest: string;
  /** The values previewed, so a value changed after the preview is previewed again, not saved. */
  readonly previewedValues: string;
  /** Why a preview is shown again instead of saving. */
  readonly again?: string;
}

/** Form fields that steer the preview and the save; they are not part of the entry. */
export const PREVIEW_FIELDS = {
  intent: '$intent',
  digest: '$previewDigest',
  values: '$previewedValues',
} as const;

/** The values as the preview saw them, in a stable order. */
export function previewedValuesOf(values: Record<string, string>): string {
  return JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Puts the domain's problems beside their fields, in words: "event.nrsAtRest" goes to the field
 * nrsAtRest (after `prefix`) as "Pain at rest (NRS 0-10) must be a whole number from 0 to 10";
 * anything else becomes the form's own message. `fields` words each field (its label and what
 * kind of answer it takes); dates are written in `zone`.
 */
export function placeIssues(
  issues: readonly InputIssue[],
  fields: Readonly<Record<string, FieldWords>>,
  prefix: string,
  zone: string,
): Pick<FormState, 'fieldErrors' | 'error'> {
  const fieldErrors: Record<string, string> = {};
  const other: string[] = [];
  const names = Object.keys(fields);
  for (const issue of issues) {
    const path = issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
    const field = names.find(
      (name) => path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`),
    );
    // Every problem is said: a second one for the same field follows the first.
    if (field) {
      const said = humanMessage(issue.message, fields[field], zone);
      fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]} ${said}` : said;
    } else other.push(humanMessage(issue.message, undefined, zone));
  }
  return { fieldErrors, ...(other.length > 0 ? { error: other.join(' ') } : {}) };
}

/** Problems the form found itself (date boxes that are not a date), with their fields' names. */
export function wordProblems(
  problems: Readonly<Record<string, string>>,
  fields: Readonly<Record<string, FieldWords>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(problems).map(([name, problem]) => [
      name,
      `${fields[name]?.label ?? 'This date'} ${problem}.`,
    ]),
  );
}

export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string' || key.startsWith('$')) continue;
    values[key] = values[key] === undefined ? value : `${values[key]},${value}`;
  }
  return values;
}
