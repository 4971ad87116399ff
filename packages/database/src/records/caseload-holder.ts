// Who can hold a caseload: be a patient's responsible nurse, see the patient on their worklist,
// and receive the patient's reminders (in the app and by e-mail). The one place that decides
// it: enrolment's `nurseId` and reassignment's `toNurseId` are checked here, and a user who
// cannot is reported as an 'invalid-input' issue at that field, not as a refused permission:
// the administrator or nurse may do the command, they chose the wrong person (and a batch
// enrolment names the entry). The permission table (packages/domain) does not repeat it.
//
// Every reminder, and every reminder e-mail, is addressed to the patient's nurse (or, for a
// reminder already made, the nurse it was made for, who was the patient's nurse). An API key's
// integration user is never accepted here, so no patient joins such a caseload and no reminder
// e-mail can be addressed to an integration user's (unreadable, .invalid) address. A user never
// becomes an integration user later: a key's user is created with the key.
import type { Queryable } from '../client.js';
import { Prisma, type Role } from '../generated/prisma/client.js';

/** Roles that may have a caseload: nurses, and administrators (who may act as anyone). */
export const CASELOAD_ROLES: readonly Role[] = ['nurse', 'admin'];

export interface CaseloadCandidate {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly active: boolean;
  /** An API key's own user. */
  readonly integration: boolean;
}

/**
 * The users with these ids, as candidates for a caseload. `lock` takes FOR SHARE on the rows, so
 * a chosen user stays active (deactivation locks FOR UPDATE) until the caller commits.
 */
export async function loadCaseloadCandidates(
  q: Queryable,
  ids: readonly string[],
  options: { readonly lock?: boolean } = {},
): Promise<Map<string, CaseloadCandidate>> {
  if (ids.length === 0) return new Map();
  const rows = await q.$queryRaw<CaseloadCandidate[]>`
    SELECT u.id, u.name, u.email, u.role::text AS role, u.active, (k.id IS NOT NULL) AS integration
    FROM users u LEFT JOIN api_keys k ON k.user_id = u.id
    WHERE u.id = ANY(${[...ids]}::text[])
    ${options.lock ? Prisma.sql`FOR SHARE OF u` : Prisma.empty}`;
  return new Map(rows.map((row) => [row.id, row]));
}

/** Why the user `id` cannot hold a caseload, as an issue message for the field; or undefined. */
export function caseloadHolderProblem(
  id: string,
  user: CaseloadCandidate | undefined,
): string | undefined {
  if (!user) return `is not a user ("${id}")`;
  if (user.integration) {
    return `is an API key's integration user (${user.name}), which holds no caseload: choose an active nurse`;
  }
  if (!user.active) {
    return `is not active (${user.name}'s account is deactivated): choose an active nurse`;
  }
  if (!CASELOAD_ROLES.includes(user.role)) {
    return `is not a nurse (${user.name} is a ${user.role}): choose an active nurse`;
  }
  return undefined;
}
