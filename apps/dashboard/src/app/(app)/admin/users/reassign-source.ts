// The reassign form's "From" choice: a user's caseload (the user's id), or nobody's caseload —
// patients enrolled without a nurse, as another system's FHIR enrolment without an EpisodeOfCare
// leaves them (hazard HAZ-021). Its own module: a 'use server' file exports only actions.

/** The form value of nobody's caseload. Not a user id: user ids have no parentheses. */
export const NOBODYS_CASELOAD = '(nobody)';

/** The command's `fromNurseId` for the form's value: null for nobody's caseload. */
export function fromNurseIdOf(value: string): string | null {
  return value === NOBODYS_CASELOAD ? null : value;
}

/** How the review names the caseload: "Asha Khan’s caseload", or nobody's. */
export function caseloadPhrase(fromNurseId: string | null, fromName: string): string {
  return fromNurseId === null ? 'the patients on nobody’s caseload' : `${fromName}’s caseload`;
}
