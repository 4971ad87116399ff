// How the patient hears from the service: a nurse (or administrator) records the channel, the
// patient's consent and the contact details, or opts the patient out of reminders. Validated by
// packages/domain (parseContactPreferences); stored, audited and the patient's messages re-planned
// in one transaction, so an opt-out cancels the messages already scheduled at once.
import {
  type ContactPreferences,
  DEFAULT_SERVICE_SETTINGS,
  parseContactPreferences,
  singleLineText,
} from '@vfx/domain';
import type { Queryable, Transaction } from '../client.js';
import { contactPreferencesOf } from '../patient-messages/contact-store.js';
import { syncPatientMessagesForPatient } from '../patient-messages/sync.js';
import { RecordError } from '../records/errors.js';
import type { WriteOptions } from '../records/write-path.js';
import { auditUnchanged, runCommand } from './run-command.js';

export interface ContactPreferencesSaved {
  readonly preferences: ContactPreferences;
}

const AUDIT_ENTITY = 'patient-contact-preferences';

async function lockPatient(tx: Transaction, patientId: string): Promise<void> {
  // The patient row is the lock: two people saving one patient's preferences take turns.
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM patients WHERE id = ${patientId} FOR UPDATE`;
  if (rows.length === 0)
    throw new RecordError('not-found', `Patient "${patientId}" does not exist`);
}

/** What the audit log keeps of the preferences (the stored form). */
function audited(preferences: ContactPreferences | null, extra: Record<string, unknown> = {}) {
  return preferences === null ? null : { ...preferences, ...extra };
}

/**
 * Records the patient's contact preferences from `input` (as parseContactPreferences takes it:
 * channel, consentAt, mobile, email, address). A bad input is refused with every problem, each
 * naming its field (RecordError 'invalid-input'), and nothing is written. An opt-out already
 * recorded stays unless the input gives a consent after it (the patient agreed again).
 * Nurses and administrators ('contactPreferences.set').
 */
export function setContactPreferences(
  db: Queryable,
  patientId: string,
  input: unknown,
  options: WriteOptions,
): Promise<ContactPreferencesSaved> {
  const now = options.now ?? new Date();
  return runCommand(db, options.actorId, 'contactPreferences.set', async ({ tx, actor, audit }) => {
    await lockPatient(tx, patientId);
    const row = await tx.patientContactPreferences.findUnique({ where: { patientId } });
    const before = row ? contactPreferencesOf(row) : null;
    const given =
      input !== null && typeof input === 'object' && !Array.isArray(input)
        ? (input as Record<string, unknown>)
        : input;
    // The opt-out is kept unless the input says otherwise; the domain decides whether a new
    // consent clears it.
    const withOptOut =
      given !== null && typeof given === 'object' && !('optedOutAt' in given) && before?.optedOutAt
        ? { ...given, optedOutAt: before.optedOutAt }
        : given;
    const parsed = parseContactPreferences(withOptOut, now);
    if (!parsed.ok) throw RecordError.invalid(parsed.issues);
    const preferences = parsed.value;

    const consentChanged =
      preferences.consentAt !== before?.consentAt || preferences.channel !== before?.channel;
    const keptOptOut =
      preferences.optedOutAt !== null && preferences.optedOutAt === before?.optedOutAt;
    const data = {
      channel: preferences.channel,
      consentAt: preferences.consentAt ? new Date(preferences.consentAt) : null,
      consentBy: preferences.consentAt
        ? consentChanged
          ? actor.id
          : (row?.consentBy ?? actor.id)
        : null,
      mobile: preferences.mobile ?? null,
      email: preferences.email ?? null,
      addressLines: preferences.address ? [...preferences.address.lines] : [],
      postcode: preferences.address?.postcode ?? null,
      optedOutAt: preferences.optedOutAt ? new Date(preferences.optedOutAt) : null,
      optedOutBy: preferences.optedOutAt
        ? ((keptOptOut ? row?.optedOutBy : actor.id) ?? actor.id)
        : null,
      optOutReason: preferences.optedOutAt
        ? ((keptOptOut ? row?.optOutReason : null) ?? null)
        : null,
      updatedAt: now,
      updatedBy: actor.id,
    };
    await tx.patientContactPreferences.upsert({
      where: { patientId },
      create: { patientId, ...data },
      update: data,
    });
    await audit({
      action: 'contact-preferences.set',
      entityType: AUDIT_ENTITY,
      entityId: patientId,
      patientId,
      before: audited(before),
      after: audited(preferences),
      at: now,
    });
    await replanPatientMessages(tx, patientId, now, options);
    return { preferences };
  });
}

/** The reason for an opt-out: one line, required, as the patient gave it. */
const ReasonSchema = singleLineText(200, 'the reason');

export interface OptOutInput {
  /** Why, in the patient's words or the nurse's ("asked by phone not to be texted"). */
  readonly reason: unknown;
}

export interface OptedOut {
  readonly optedOutAt: Date;
  /** False when the patient was already opted out (nothing changed; the attempt is audited). */
  readonly changed: boolean;
}

/**
 * Opts the patient out of reminders now: who, when and why are recorded, and the messages
 * already scheduled are cancelled in the same transaction. A patient with no preferences yet gets
 * a row with the channel "none". Anyone who may set preferences may do it.
 */
export function optOutPatient(
  db: Queryable,
  patientId: string,
  input: OptOutInput,
  options: WriteOptions,
): Promise<OptedOut> {
  const now = options.now ?? new Date();
  return runCommand(db, options.actorId, 'contactPreferences.set', async (scope) => {
    const { tx, actor, audit } = scope;
    const reason = ReasonSchema.safeParse(input.reason);
    if (!reason.success || reason.data === '') {
      throw RecordError.invalid([
        {
          path: 'reason',
          message: reason.success
            ? 'is required: say why the patient opted out'
            : (reason.error.issues[0]?.message ?? 'is not valid'),
        },
      ]);
    }
    await lockPatient(tx, patientId);
    const row = await tx.patientContactPreferences.findUnique({ where: { patientId } });
    if (row?.optedOutAt) {
      await auditUnchanged(
        scope,
        {
          entityType: AUDIT_ENTITY,
          entityId: patientId,
          why: `already opted out on ${row.optedOutAt.toISOString()}`,
        },
        'contactPreferences.set',
      );
      return { optedOutAt: row.optedOutAt, changed: false };
    }
    const before = row ? contactPreferencesOf(row) : null;
    const optOut = {
      optedOutAt: now,
      optedOutBy: actor.id,
      optOutReason: reason.data,
      updatedAt: now,
      updatedBy: actor.id,
    };
    const saved = await tx.patientContactPreferences.upsert({
      where: { patientId },
      create: { patientId, channel: 'none', ...optOut },
      update: optOut,
    });
    await audit({
      action: 'contact-preferences.opted-out',
      entityType: AUDIT_ENTITY,
      entityId: patientId,
      patientId,
      before: audited(before),
      after: audited(contactPreferencesOf(saved), { optOutReason: reason.data }),
      at: now,
    });
    await replanPatientMessages(tx, patientId, now, options);
    return { optedOutAt: now, changed: true };
  });
}

/**
 * Re-plans the patient's messages for their open episodes with the preferences just stored
 * (the patient-message engine): scheduled messages follow the new channel, or are cancelled.
 */
async function replanPatientMessages(
  tx: Transaction,
  patientId: string,
  now: Date,
  options: WriteOptions,
): Promise<void> {
  await syncPatientMessagesForPatient(tx, {
    patientId,
    now,
    settings: options.settings ?? DEFAULT_SERVICE_SETTINGS,
  });
}
