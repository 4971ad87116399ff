// What an audit entry's action means, in words for the administrator ("Opened the patient's
// record", "Exported 42 rows of overdue follow-ups"). The action code is shown beside the words,
// so an action not listed here still reads, as its code.
import { PERMISSIONS } from '@vfx/domain';

export interface AuditWordsInput {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly after: unknown;
}

const FIXED: Readonly<Record<string, string>> = {
  'patient.viewed': "Opened the patient's record",
  'patient.searched': 'Searched for patients',
  'caseload.viewed': 'Opened a caseload',
  'worklist.viewed': 'Opened a worklist',
  'reminders.viewed': 'Opened the reminders',
  'overdue.viewed': 'Opened the overdue follow-ups',
  'user.signed-in': 'Signed in',
  'user.sign-in-refused': 'Sign-in refused',
  'user.created': 'Added a user',
  'user.role-changed': "Changed a user's role",
  'user.deactivated': 'Deactivated a user',
  'user.reactivated': 'Reactivated a user',
  'api-key.created': 'Created an API key',
  'api-key.revoked': 'Revoked an API key',
  'patient.registered': 'Registered the patient',
  'patient.nurse-changed': "Changed the patient's nurse",
  'episode.enrolled': 'Enrolled the patient',
  'event.recorded': 'Recorded an entry',
  'caseload.reassigned': 'Moved patients to another nurse',
  'reminder.sent-now': 'Sent a reminder now',
  'reminder-delivery.retried': 'Retried a failed reminder delivery',
  'writtenPlan.produced': "Produced the patient's written plan",
  'service-settings.changed': "Changed the service's settings",
  'step.due': 'A follow-up fell due',
  'step.overdue': 'A follow-up became overdue',
  'gpLetter.downloaded': 'Downloaded a signed letter to the GP',
  'patient-message.retried': 'Retried a failed message to the patient',
  'patient-message.receipt-stale':
    "Ignored a late delivery receipt of an earlier attempt (the message's current attempt is another notification)",
  'patient-message.receipt-held':
    "Held a delivery receipt that came before the attempt's Notify id was recorded",
  'patient-message.receipt-applied': 'Applied a held delivery receipt to its attempt',
};

/** A whole number stored in `after` under one of these names, if any. */
function countIn(after: unknown, names: readonly string[]): number | undefined {
  if (typeof after !== 'object' || after === null) return undefined;
  for (const name of names) {
    const value = (after as Record<string, unknown>)[name];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  }
  return undefined;
}

const rows = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'row' : 'rows'}`;

/** The action in words, or undefined when this page does not know it (show the code). */
export function auditActionWords(entry: AuditWordsInput): string | undefined {
  const fixed = FIXED[entry.action];
  if (fixed) return fixed;
  const exported = /^([a-z-]+)\.exported$/.exec(entry.action)?.[1];
  if (exported) {
    const what = exported === 'overdue' ? 'overdue follow-ups' : exported.replaceAll('-', ' ');
    const count = countIn(entry.after, ['rows', 'rowCount', 'count']);
    return count === undefined ? `Exported the ${what}` : `Exported ${rows(count)} of ${what}`;
  }
  if (entry.action === 'access.refused' && entry.entityType === 'callback') {
    return entry.entityId === 'notify.delivery-receipt'
      ? 'Tried to post a GOV.UK Notify delivery receipt'
      : 'Tried to post to a callback';
  }
  if (entry.action === 'access.refused') {
    const rule = (PERMISSIONS as Record<string, { doing: string } | undefined>)[entry.entityId];
    return rule ? `Tried to ${rule.doing}` : 'Tried something not allowed';
  }
  return undefined;
}

/** The refusal's reason as the user was told it, when the entry carries one. */
export function auditRefusalReason(entry: Pick<AuditWordsInput, 'after'>): string | undefined {
  const reason = (entry.after as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}
