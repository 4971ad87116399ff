/**
 * Who may do what: the one table of permissions. The dashboard's pages and server actions, the
 * JSON API, the worker's admin pages and the database's commands all ask `permission` (or `may`)
 * here; nothing else decides. A refusal carries the sentence the user is shown.
 *
 * Any nurse may open any patient, by design (a colleague covers a caseload on leave): what
 * makes that safe is that every read of a patient is audited, not that it is refused.
 */

export const ROLES = ['nurse', 'scheduler', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is acting. A person signs in on the dashboard; an integration is an API key's own user,
 * which carries the key's role but never holds a caseload and never signs in. The system is the
 * server's own tools ("system:worker", "system:create-user"), run by whoever operates the server:
 * it may do anything, and is audited under its name like anyone else.
 */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly kind: 'person' | 'integration' | 'system';
}

/** Entries that move a step's reminder within its window: a scheduler's work, not a nurse's. */
export const SCHEDULING_ENTRY_TYPES: ReadonlySet<string> = new Set(['step-rescheduled']);

/** What a permission is about, where the answer depends on more than the action. */
export interface PermissionContext {
  /** `entry.record`: the type of the entry being recorded (or withdrawn). */
  readonly entryType?: string;
  /** `caseload.view`: whose caseload; another's is an administrator's view. */
  readonly caseloadOf?: string;
  /**
   * Commands on a user (role change, reset, deactivation): who. Whether a user can hold a
   * caseload (enrolment's and reassignment's nurse) is not a permission but a property of the
   * input: the database's validation decides it, as an 'invalid-input' issue at the nurse's id.
   */
  readonly target?: {
    readonly id: string;
    readonly kind: 'person' | 'integration';
    readonly role?: Role;
  };
}

interface Rule {
  /** The roles allowed, before the context is considered. */
  readonly roles: readonly Role[];
  /** What the action is, in words, for the refusal ("record a dose"). */
  readonly doing: string;
  /** Whether an integration (an API key) may do it at all. */
  readonly integrations?: boolean;
  /** A further check on the context; a string is the reason it is refused. */
  readonly check?: (actor: Actor, context: PermissionContext) => string | undefined;
  /** The check in words, for docs/permissions.md. */
  readonly condition?: string;
}

const ALL: readonly Role[] = ROLES;
const INTEGRATION_USERS_EXCLUDED =
  "Not an API key's integration user: keys are managed on Admin › API keys.";
const NOT_AN_INTEGRATION_NOR_ONESELF =
  "Not an API key's integration user, and not your own account (another administrator must).";
const ADMIN: readonly Role[] = ['admin'];

function notAnIntegration(what: string) {
  return (_actor: Actor, context: PermissionContext) =>
    context.target?.kind === 'integration'
      ? `${what} is an API key's integration user: manage it on Admin › API keys instead`
      : undefined;
}

/**
 * Not on an integration user, and not on one's own account: another administrator must do it, so
 * the service is never left without one by mistake.
 */
function notAnIntegrationNorOneself(
  what: string,
  own: string,
  instead = 'ask another administrator to do it',
) {
  const integration = notAnIntegration(what);
  return (actor: Actor, context: PermissionContext) =>
    integration(actor, context) ??
    (context.target?.id === actor.id ? `you cannot ${own}: ${instead}` : undefined);
}

/**
 * Every action, read or command. Administrators are listed in each row rather than being a
 * special case, so the table says exactly what each role may do.
 */
export const PERMISSIONS = {
  // Reads of patient-identifiable data (each one audited by whoever serves it).
  'worklist.view': { roles: ['nurse', 'admin'], doing: 'open a worklist' },
  'caseload.view': {
    roles: ['nurse', 'admin'],
    doing: 'open a caseload',
    integrations: true,
    condition: "Another nurse's caseload: administrators only.",
    check: (actor, context) =>
      context.caseloadOf !== undefined && context.caseloadOf !== actor.id && actor.role !== 'admin'
        ? "only an administrator may open another nurse's caseload"
        : undefined,
  },
  'patient.view': {
    roles: ['nurse', 'scheduler', 'admin'],
    doing: "open a patient's record",
    integrations: true,
  },
  'patient.search': { roles: ['nurse', 'admin'], doing: 'search for patients', integrations: true },
  'reminders.view': {
    roles: ['scheduler', 'admin'],
    doing: 'open the reminders',
    integrations: true,
  },
  'deliveries.view': { roles: ['scheduler', 'admin'], doing: 'open the failed deliveries' },
  /** Patient messages due today, failed ones and the opt-outs (Scheduler › Patient messages). */
  'patientMessages.view': { roles: ['scheduler', 'admin'], doing: 'open the patient messages' },
  'overdue.view': { roles: ADMIN, doing: 'open the overdue follow-ups' },
  'overdue.export': { roles: ADMIN, doing: 'export the overdue follow-ups' },
  'kpis.view': { roles: ADMIN, doing: 'open the KPIs' },
  'kpis.export': { roles: ADMIN, doing: 'export the KPIs' },
  'audit.view': { roles: ADMIN, doing: 'open the audit log' },
  /** The pathway itself (its steps, timings and sources; no patient data), e.g. as a PlanDefinition. */
  'pathway.view': { roles: ALL, doing: 'read the pathway definitions', integrations: true },
  /** The audit log as FHIR AuditEvents, for a trust's security monitoring: admin keys only. */
  'audit.read': { roles: ADMIN, doing: 'read the audit log as FHIR', integrations: true },
  'users.view': { roles: ADMIN, doing: 'open the users' },
  'apiKeys.view': { roles: ADMIN, doing: 'open the API keys' },
  'queues.view': { roles: ADMIN, doing: 'open the queues' },
  'queues.manage': { roles: ADMIN, doing: "manage the worker's queues" },
  'fhir.export': {
    roles: ADMIN,
    doing: 'export all records in FHIR',
    integrations: true,
  },

  // Commands.
  'patient.enrol': {
    roles: ['nurse', 'admin'],
    doing: 'enrol a patient',
    integrations: true,
  },
  'entry.record': {
    roles: ['nurse', 'scheduler', 'admin'],
    doing: 'record an entry',
    integrations: true,
    condition:
      "Scheduling entries (step-rescheduled) are schedulers'; every other entry is nurses'. Administrators may record both.",
    check: (actor, context) => {
      if (actor.role === 'admin') return undefined;
      const scheduling = SCHEDULING_ENTRY_TYPES.has(context.entryType ?? '');
      if (scheduling && actor.role !== 'scheduler') {
        return `only schedulers (and administrators) may record "${context.entryType}" entries`;
      }
      if (!scheduling && actor.role !== 'nurse') {
        return `only nurses (and administrators) may record "${context.entryType ?? 'clinical'}" entries`;
      }
      return undefined;
    },
  },
  'reminder.reschedule': {
    roles: ['scheduler', 'admin'],
    doing: "move a step's reminder",
    integrations: true,
  },
  'reminder.sendNow': {
    roles: ['scheduler', 'admin'],
    doing: 'send a reminder now',
    integrations: true,
  },
  'delivery.retry': { roles: ['scheduler', 'admin'], doing: 'retry a failed delivery' },
  /** How the patient hears from the service (channel, consent, details), and opting them out. */
  'contactPreferences.set': {
    roles: ['nurse', 'admin'],
    doing: 'change how a patient hears from the service',
  },
  'patient-message.retry': {
    roles: ['scheduler', 'admin'],
    doing: 'retry a failed message to a patient',
  },
  'caseload.reassign': {
    roles: ADMIN,
    doing: 'move patients to another nurse',
  },
  'user.create': { roles: ADMIN, doing: 'add a user' },
  'user.changeRole': {
    roles: ADMIN,
    doing: "change a user's role",
    check: notAnIntegrationNorOneself('This user', 'change your own role'),
    condition: NOT_AN_INTEGRATION_NOR_ONESELF,
  },
  'user.deactivate': {
    roles: ADMIN,
    doing: 'deactivate a user',
    check: notAnIntegrationNorOneself('This user', 'deactivate your own account'),
    condition: NOT_AN_INTEGRATION_NOR_ONESELF,
  },
  'user.reactivate': {
    roles: ADMIN,
    doing: 'reactivate a user',
    check: notAnIntegration('This user'),
    condition: INTEGRATION_USERS_EXCLUDED,
  },
  'user.resetPassword': {
    roles: ADMIN,
    doing: "reset a user's password",
    check: notAnIntegrationNorOneself(
      'This user',
      'reset your own password',
      'change it with "Change password" at the top of the page',
    ),
    condition: NOT_AN_INTEGRATION_NOR_ONESELF,
  },
  'password.changeOwn': { roles: ALL, doing: 'change your password' },
  'apiKey.create': { roles: ADMIN, doing: 'create an API key' },
  'apiKey.revoke': { roles: ADMIN, doing: 'revoke an API key' },
  'settings.change': { roles: ADMIN, doing: "change the service's settings" },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as readonly Action[];

export type Permission =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string };

const ROLE_WORDS: Record<Role, string> = {
  nurse: 'a nurse',
  scheduler: 'a scheduler',
  admin: 'an administrator',
};

function joinRoles(roles: readonly Role[]): string {
  const words = roles.map((role) => `${role === 'admin' ? 'administrator' : role}s`);
  return words.length <= 1
    ? (words[0] ?? 'nobody')
    : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Whether `actor` may do `action`, and if not, why, in a sentence for the user. */
export function permission(
  actor: Actor,
  action: Action,
  context: PermissionContext = {},
): Permission {
  const rule: Rule = PERMISSIONS[action];
  if (actor.kind === 'system') return { allowed: true };
  if (actor.kind === 'integration' && !rule.integrations) {
    return { allowed: false, reason: `An API key may not ${rule.doing}.` };
  }
  if (!rule.roles.includes(actor.role)) {
    return {
      allowed: false,
      reason: `Only ${joinRoles(rule.roles)} may ${rule.doing}; you are ${actor.kind === 'integration' ? 'an API key with the role of' : 'signed in as'} ${ROLE_WORDS[actor.role]}.`,
    };
  }
  const refused = rule.check?.(actor, context);
  if (refused)
    return { allowed: false, reason: `${refused[0]?.toUpperCase()}${refused.slice(1)}.` };
  return { allowed: true };
}

/** `permission(...).allowed`, for showing or hiding a link or button. */
export function may(actor: Actor, action: Action, context?: PermissionContext): boolean {
  return permission(actor, action, context).allowed;
}

/** The actions a role may take (before context), for the permission matrix and the docs. */
export function actionsOf(
  role: Role,
  kind: 'person' | 'integration' = 'person',
): readonly Action[] {
  return ACTIONS.filter((action) => {
    const rule: Rule = PERMISSIONS[action];
    return rule.roles.includes(role) && (kind === 'person' || rule.integrations === true);
  });
}

const ROLE_TITLES: Record<Role, string> = {
  nurse: 'Nurse',
  scheduler: 'Scheduler',
  admin: 'Administrator',
};

/** docs/permissions.md: the table above, as people read it. */
export function renderPermissionsDocument(): string {
  const lines = [
    '# Permissions',
    '',
    '<!-- Generated from packages/domain/src/access/permissions.ts by `npm run docs:permissions`;',
    '     a test fails when this file differs from what the table renders. -->',
    '',
    "Who may do what. The dashboard, the JSON API, the worker's admin pages and the database's",
    'commands all ask this one table (`permission(actor, action, context)` in `packages/domain`).',
    'A person signs in on the dashboard; an API key acts as its own integration user with the',
    "key's role, and may only take the actions marked in the API key column. The server's own",
    'tools ("system:worker", "system:create-user") may do anything and are audited by name.',
    '',
  ];
  const header = [
    'Action',
    'What',
    ...ROLES.map((role) => ROLE_TITLES[role]),
    'API key',
    'Condition',
  ];
  const rows = ACTIONS.map((action) => {
    const rule: Rule = PERMISSIONS[action];
    return [
      `\`${action}\``,
      `${rule.doing[0]?.toUpperCase()}${rule.doing.slice(1)}`,
      ...ROLES.map((role) => (rule.roles.includes(role) ? 'yes' : '')),
      rule.integrations ? 'yes' : '',
      rule.condition ?? '',
    ];
  });
  // Columns padded to their widest cell, as the formatter writes Markdown tables.
  const widths = header.map((_, column) =>
    Math.max(3, ...[header, ...rows].map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  lines.push(line(header), line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) lines.push(line(row));
  return `${lines.join('\n')}\n`;
}
