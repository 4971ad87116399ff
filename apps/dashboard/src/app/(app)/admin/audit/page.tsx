import { NOTIFY_CALLBACK_ACTOR, WORKER_ACTOR } from '@vfx/database/jobs';
import {
  type AuditKind,
  type AuditPatient,
  type AuditRow,
  auditActions,
  auditActorChoices,
  auditLog,
  auditPatients,
  decodeAuditCursor,
  isAuditKind,
} from '@vfx/database/views';
import { textProblem } from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { auditActionWords, auditRefusalReason } from '@/ui/audit-words';
import { daysFrom, formatDateTime, relativeDays } from '@/ui/dates';
import { formatIdentifier } from '@/ui/identity';
import { isCalendarDate, nextCalendarDate, startOfLocalDay } from '@/ui/local-day';
import { findPatientAction } from './actions';
import styles from './audit.module.css';

export const metadata = { title: 'Audit log · Fracture liaison' };

const PAGE_SIZE = 50;
const PATH = '/admin/audit';

/** Actors that are not users: the worker, tools run on the server, refused sign-ins. */
const OTHER_ACTORS: readonly { id: string; name: string }[] = [
  { id: WORKER_ACTOR, name: 'The worker (automatic changes)' },
  { id: 'system:user-create', name: 'Account tool (npm run user:create)' },
  { id: NOTIFY_CALLBACK_ACTOR, name: 'GOV.UK Notify (delivery receipts)' },
  { id: 'anonymous', name: 'Not signed in (refused sign-ins, API keys and callbacks)' },
];

function actorLabel(row: Pick<AuditRow, 'actor' | 'actorName'>): string {
  if (row.actorName) return row.actorName;
  const known = OTHER_ACTORS.find((actor) => actor.id === row.actor);
  if (known) return known.name;
  if (row.actor.startsWith('system:')) return `System (${row.actor.slice('system:'.length)})`;
  return `Unknown user ${row.actor}`;
}

const patientName = (patient: AuditPatient) => `${patient.givenName} ${patient.familyName}`;

const KIND_NAMES: Record<AuditKind, { filter: string; tag: string }> = {
  change: { filter: 'Changes', tag: 'Change' },
  read: { filter: 'Reads of patient data', tag: 'Read' },
  refusal: { filter: 'Refusals', tag: 'Refused' },
};
/** The design system's tag colour of each kind: refusals stand out, reads are quiet. */
const KIND_TAG: Record<AuditKind, string> = {
  change: 'nhsuk-tag--blue',
  read: 'nhsuk-tag--grey',
  refusal: 'nhsuk-tag--red',
};

/** Where the patient picker leaves its answer: one patient, several to choose from, or none. */
const FIND_PROBLEMS: Record<string, string> = {
  empty: 'Type a name, an NHS number or an MRN to find a patient.',
  none: 'No patient has that name, NHS number, MRN or id. Check it and try again.',
  unreadable:
    '“Find a patient” contains a control character (a character that cannot be typed or shown): remove it and try again.',
};

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
const all = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).slice(0, 20);

/** Readable JSON for the before/after panels. */
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePermission('audit.view');
  const params = await searchParams;
  const zone = await userTimeZone();
  const now = new Date();
  const filters = {
    actor: one(params.actor),
    kind: one(params.kind),
    action: one(params.action),
    patient: one(params.patient),
    from: one(params.from),
    to: one(params.to),
  };

  const problems: string[] = [];
  if (filters.kind && !isAuditKind(filters.kind)) problems.push('“Kind” is not one offered.');
  if (filters.from && !isCalendarDate(filters.from)) problems.push('“From” is not a date.');
  if (filters.to && !isCalendarDate(filters.to)) problems.push('“To” is not a date.');
  if (problems.length === 0 && filters.from && filters.to && filters.to < filters.from) {
    problems.push('“To” is before “From”: the range has no days in it.');
  }
  const findProblem = FIND_PROBLEMS[one(params.find)];
  if (findProblem) problems.push(findProblem);
  // The address carries patients' internal ids only, never what was typed (see actions.ts).
  const patient = filters.patient ? (await auditPatients(db(), [filters.patient]))[0] : undefined;
  if (filters.patient && !patient) problems.push('No patient has that id.');
  const choices = await auditPatients(db(), all(params.choose));
  const actorProblem = textProblem(filters.actor);
  if (actorProblem) problems.push(`“Who” ${actorProblem}.`);
  const cursor = decodeAuditCursor(one(params.after));
  const kind = isAuditKind(filters.kind) ? filters.kind : undefined;

  const canList = problems.length === 0 && choices.length === 0;
  const page = canList
    ? await auditLog(db(), {
        limit: PAGE_SIZE,
        ...(filters.actor ? { actor: filters.actor } : {}),
        ...(patient ? { patientId: patient.id } : {}),
        ...(filters.action ? { action: filters.action } : {}),
        ...(kind ? { kind } : {}),
        // Whole days in the user's zone: from the start of "from" to the end of "to".
        ...(filters.from ? { from: startOfLocalDay(filters.from, zone) } : {}),
        ...(filters.to ? { to: startOfLocalDay(nextCalendarDate(filters.to), zone) } : {}),
        ...(cursor ? { after: cursor } : {}),
      })
    : undefined;

  const users = await auditActorChoices(db());
  const actorOptions = [
    ...users.map((user) => ({
      id: user.id,
      name: user.active ? user.name : `${user.name} (deactivated)`,
    })),
    ...OTHER_ACTORS,
  ];
  if (filters.actor && !actorOptions.some((option) => option.id === filters.actor)) {
    actorOptions.push({ id: filters.actor, name: filters.actor });
  }
  const actions = [...(await auditActions(db()))];
  if (filters.action && !actions.some((choice) => choice.action === filters.action)) {
    actions.push({ action: filters.action, kind: 'change' });
  }
  const actionLabel = (action: string) => {
    const words = auditActionWords({ action, entityType: '', entityId: '', after: null });
    return words ? `${words} (${action})` : action;
  };
  const link = (extra: Record<string, string>) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filters, ...extra })) {
      if (value) query.set(key, value);
    }
    const text = query.toString();
    return text ? `${PATH}?${text}` : PATH;
  };

  return (
    <>
      <h1 className="nhsuk-heading-l">
        {patient ? `Who has looked at ${patientName(patient)}` : 'Audit log'}
      </h1>
      <p className="nhsuk-body-l">
        {patient
          ? `${patientName(patient)}, ${formatIdentifier(patient.identifierKind, patient.identifierValue)}: who opened the record and when, what was changed and what was refused, newest first.`
          : 'Every change, every read of patient data and every refusal, newest first.'}{' '}
        Dates are in your time zone ({zone}).
      </p>

      <form
        className={styles.filters}
        action={findPatientAction}
        aria-label="Find a patient in the audit log"
      >
        {(['actor', 'kind', 'action', 'from', 'to'] as const).map((name) =>
          filters[name] ? (
            <input key={name} type="hidden" name={name} value={filters[name]} />
          ) : null,
        )}
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="find">
            Patient (name, NHS number or MRN)
          </label>
          <input
            id="find"
            name="find"
            className="nhsuk-input nhsuk-input--width-20"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className={styles.filterButtons}>
          <button type="submit" className="nhsuk-button nhsuk-button--secondary">
            Find patient
          </button>
          {patient ? (
            <Link
              href={link({ patient: '', after: '' })}
              className="nhsuk-button nhsuk-button--secondary"
            >
              All patients
            </Link>
          ) : null}
        </div>
      </form>

      <form className={styles.filters} method="get" aria-label="Filter the audit log">
        {patient ? <input type="hidden" name="patient" value={patient.id} /> : null}
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="kind">
            Kind
          </label>
          <select id="kind" name="kind" className="nhsuk-select" defaultValue={kind ?? ''}>
            <option value="">Everything</option>
            {(Object.keys(KIND_NAMES) as AuditKind[]).map((value) => (
              <option key={value} value={value}>
                {KIND_NAMES[value].filter}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="actor">
            Who
          </label>
          <select id="actor" name="actor" className="nhsuk-select" defaultValue={filters.actor}>
            <option value="">Anyone</option>
            {actorOptions.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="action">
            What
          </label>
          <select id="action" name="action" className="nhsuk-select" defaultValue={filters.action}>
            <option value="">Any action</option>
            {actions.map((choice) => (
              <option key={choice.action} value={choice.action}>
                {actionLabel(choice.action)}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="from">
            From
          </label>
          <input
            id="from"
            name="from"
            type="date"
            className="nhsuk-input nhsuk-input--width-10"
            defaultValue={filters.from}
          />
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="to">
            To (inclusive)
          </label>
          <input
            id="to"
            name="to"
            type="date"
            className="nhsuk-input nhsuk-input--width-10"
            defaultValue={filters.to}
          />
        </div>
        <div className={styles.filterButtons}>
          <button type="submit" className="nhsuk-button">
            Show entries
          </button>
          <Link href={PATH} className="nhsuk-button nhsuk-button--secondary">
            Clear
          </Link>
        </div>
      </form>

      {problems.length > 0 ? (
        <div className="nhsuk-error-summary" role="alert" aria-labelledby="filter-problems">
          <h2 id="filter-problems" className="nhsuk-error-summary__title">
            The filter cannot be used as it is
          </h2>
          <div className="nhsuk-error-summary__body">
            {problems.map((problem) => (
              <p key={problem}>{problem}</p>
            ))}
          </div>
        </div>
      ) : null}

      {choices.length > 0 ? (
        <div className="nhsuk-inset-text" role="status">
          <p>That matches {choices.length} patients. Choose one:</p>
          <ul className="nhsuk-list">
            {choices.map((match) => (
              <li key={match.id}>
                <Link href={link({ patient: match.id, after: '' })}>
                  {patientName(match)},{' '}
                  {formatIdentifier(match.identifierKind, match.identifierValue)}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {patient?.latestEpisodeId ? (
        <div className="nhsuk-inset-text">
          <p>
            <Link href={`/episodes/${encodeURIComponent(patient.latestEpisodeId)}`}>
              Open {patientName(patient)}'s record
            </Link>{' '}
            (opening it is recorded here too).
          </p>
        </div>
      ) : null}

      {page ? (
        <>
          {page.entries.length === 0 ? (
            <div className="nhsuk-inset-text" role="status">
              <p>No entries match{cursor ? ' beyond this point' : ''}.</p>
            </div>
          ) : (
            <div className="nhsuk-table-container">
              <table className={`nhsuk-table ${styles.entries}`}>
                <caption className="nhsuk-u-visually-hidden">
                  Audit entries, newest first{cursor ? ', continued' : ''}
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">
                      When
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      Who
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      What
                    </th>
                    {patient ? null : (
                      <th scope="col" className="nhsuk-table__header">
                        Patient
                      </th>
                    )}
                    <th scope="col" className="nhsuk-table__header">
                      Before and after
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {page.entries.map((entry) => (
                    <tr key={entry.id.toString()} className="nhsuk-table__row">
                      <td className={`nhsuk-table__cell ${styles.when}`}>
                        {formatDateTime(entry.at, zone)}
                        <br />
                        <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                          {relativeDays(daysFrom(now, entry.at, zone))}
                        </span>
                      </td>
                      <td className="nhsuk-table__cell">{actorLabel(entry)}</td>
                      <td className="nhsuk-table__cell">
                        <strong className={`nhsuk-tag ${KIND_TAG[entry.kind]}`}>
                          {KIND_NAMES[entry.kind].tag}
                        </strong>{' '}
                        <span className={styles.words}>
                          {auditActionWords(entry) ?? entry.action}
                        </span>
                        {auditRefusalReason(entry) ? (
                          <span className={styles.reason}>“{auditRefusalReason(entry)}”</span>
                        ) : null}
                      </td>
                      {patient ? null : (
                        <td className="nhsuk-table__cell">
                          {entry.patient ? (
                            <>
                              {entry.patient.latestEpisodeId ? (
                                <Link
                                  href={`/episodes/${encodeURIComponent(entry.patient.latestEpisodeId)}`}
                                >
                                  {patientName(entry.patient)}
                                </Link>
                              ) : (
                                patientName(entry.patient)
                              )}
                              <br />
                              <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                                {formatIdentifier(
                                  entry.patient.identifierKind,
                                  entry.patient.identifierValue,
                                )}
                              </span>
                            </>
                          ) : (
                            <span className="nhsuk-u-secondary-text-colour">—</span>
                          )}
                        </td>
                      )}
                      <td className={`nhsuk-table__cell ${styles.changes}`}>
                        {entry.before === null && entry.after === null ? (
                          <span className="nhsuk-u-secondary-text-colour">No details</span>
                        ) : (
                          <details>
                            <summary>
                              Show<span className="nhsuk-u-visually-hidden"> before and after</span>
                            </summary>
                            <div className={styles.diff}>
                              <p className={styles.diffHeading}>
                                {entry.entityType} <code>{entry.action}</code>
                              </p>
                              <div>
                                <p className={styles.diffHeading}>Before</p>
                                <pre>
                                  {entry.before === null ? '(nothing)' : pretty(entry.before)}
                                </pre>
                              </div>
                              <div>
                                <p className={styles.diffHeading}>After</p>
                                <pre>
                                  {entry.after === null ? '(nothing)' : pretty(entry.after)}
                                </pre>
                              </div>
                            </div>
                          </details>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className={styles.pages} aria-label="Audit pages">
            {cursor ? <Link href={link({ after: '' })}>Back to the newest entries</Link> : null}
            {page.nextCursor ? (
              <Link href={link({ after: page.nextCursor })}>Older entries</Link>
            ) : page.entries.length > 0 ? (
              <span className="nhsuk-u-secondary-text-colour">No older entries.</span>
            ) : null}
          </nav>
        </>
      ) : null}
    </>
  );
}
