// The enrolment form's optional "bone therapy before this fracture" section, sent to the write
// path as the first entry of the enrolment's history. Its fields are named by the path the write
// path reports problems under ("history[0].startedOn"), so each problem lands beside its field.
import { EVENT_FORMS, eventFromForm, type TypedValues } from './event-fields';

const SPEC = EVENT_FORMS['prior-bone-therapy'];
const PREFIX = 'history[0].';

/** The section's fields as the form names them, with the catalogue's labels and controls. */
export const PRIOR_THERAPY_FIELDS = SPEC.fields.map((field) => ({
  ...field,
  name: `${PREFIX}${field.name}`,
  // The section is optional as a whole; the domain says which field is missing once any is given.
  required: false,
}));

/**
 * The prior-bone-therapy entry the section describes, taken at `takenAt` (the enrolment), or
 * undefined when the section was left empty. A partly filled section is still sent, so the
 * domain names what is missing.
 */
export function priorTherapyFromEnrolment(
  values: TypedValues,
  takenAt: string,
): Record<string, unknown> | undefined {
  const own: TypedValues = {};
  for (const field of SPEC.fields) own[field.name] = values[`${PREFIX}${field.name}`] ?? '';
  if (Object.values(own).every((value) => value.trim() === '')) return undefined;
  return { ...eventFromForm(SPEC, own), occurredAt: takenAt };
}
