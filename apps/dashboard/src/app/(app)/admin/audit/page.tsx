import { WORKER_ACTOR } from '@vfx/database/jobs';
import {
  type AuditPatient,
  type AuditRow,
  auditActorChoices,
  auditLog,
  decodeAuditCursor,
  findAuditPatients,
} from '@vfx/database/views';
import Link from 'next/link';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { daysFrom, formatDateTime, relativeDays } from '@/ui/dates';
import { formatIdentifier } from '@/ui/identity';
import { isCalendarDate, nextCalendarDate, startOfLocalDay } from '@/ui/local-day';
import styles from './audit.module.css';

export const metadata = { title: 'Audit log · Fracture liaison' };

const PAGE_SIZE = 50;
const PATH = '/admin/audit';

/** Actors that are not users: the worker, tools run on the server, refused sign-ins. */
const OTHER_ACTORS: readonly { id: string; name: string }[] = [
  { id: WORKER_ACTOR, name: 'The worker (automatic changes)' },
  { id: 'system:user-create', name: 'Account tool (npm run user:create)' },
  { id: 'anonymous', name: 'Not signed in (refused sign-ins)' },
];

function actorLabel(row: Pick<AuditRow, 'actor' | 'actorName'>): string {
  if (row.actorName) return row.actorName;
  const known = OTHER_ACTORS.find((actor) => actor.id === row.actor);
  if (known) return known.name;
  if (row.actor.startsWith('system:')) return `System (${row.actor.slice('system:'.length)})`;
  return `Unknown user ${row.actor}`;
}

const patientName = (patient: AuditPatient) => `${patient.givenName} ${patient.familyName}`;

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

/** Readable JSON for the before/after panels. */
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePermission('audit.view');
  const params = await searchParams;
  const zone = await userTimeZone();
  const now = new Date();
  const filters = {
    actor: one(params.actor),
    patient: one(params.patient),
    from: one(params.from),
    to: one(params.to),
  };

  const problems: string[] = [];
  if (filters.from && !isCalendarDate(filters.from)) problems.push('“From” is not a date.');
  if (filters.to && !isCalendarDate(filters.to)) problems.push('“To” is not a date.');
  if (problems.length === 0 && filters.from && filters.to && filters.to < filters.from) {
    problems.push('“To” is before “From”: the range has no days in it.');
  }
  const patients = filters.patient ? await findAuditPatients(db(), filters.patient) : [];
  const patient = patients.length === 1 ? patients[0] : undefined;
  const cursor = decodeAuditCursor(one(params.after));

  const canList = problems.length === 0 && (!filters.patient || patient);
  const page = canList
    ? await auditLog(db(), {
        limit: PAGE_SIZE,
        ...(filters.actor ? { actor: filters.actor } : {}),
        ...(patient ? { patientId: patient.id } : {}),
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
      <h1>Audit log</h1>
      <p className="lead">
        Every change and sign-in, newest first. Dates are in your time zone ({zone}).
      </p>

      <form className="toolbar card" method="get" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="actor">Who</label>
          <select id="actor" name="actor" defaultValue={filters.actor}>
            <option value="">Anyone</option>
            {actorOptions.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="patient">Patient (NHS number, MRN or id)</label>
          <input id="patient" name="patient" defaultValue={filters.patient} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="from">From</label>
          <input id="from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="to">To (inclusive)</label>
          <input id="to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className={styles.filterButtons}>
          <button type="submit" className="button primary">
            Show entries
          </button>
          <Link href={PATH} className="button">
            Clear
          </Link>
        </div>
      </form>

      {problems.length > 0 ? (
        <div className="alert" role="alert">
          {problems.map((problem) => (
            <p key={problem} className={styles.problem}>
              {problem}
            </p>
          ))}
        </div>
      ) : null}

      {filters.patient && patients.length === 0 ? (
        <p className="alert" role="alert">
          No patient has the NHS number, MRN or id “{filters.patient}”. Check it and try again.
        </p>
      ) : null}
      {patients.length > 1 ? (
        <div className="notice" role="status">
          <p className={styles.problem}>
            “{filters.patient}” matches {patients.length} patients. Choose one:
          </p>
          <ul>
            {patients.map((match) => (
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
      {patient ? (
        <p className="notice">
          Entries about {patientName(patient)},{' '}
          {formatIdentifier(patient.identifierKind, patient.identifierValue)}.
        </p>
      ) : null}

      {page ? (
        <>
          {page.entries.length === 0 ? (
            <p className="notice" role="status">
              No entries match{cursor ? ' beyond this point' : ''}.
            </p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">
                  Audit entries, newest first{cursor ? ', continued' : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Patient</th>
                    <th scope="col">Before and after</th>
                  </tr>
                </thead>
                <tbody>
                  {page.entries.map((entry) => (
                    <tr key={entry.id.toString()}>
                      <td className={styles.when}>
                        {formatDateTime(entry.at, zone)}
                        <br />
                        <span className="muted small">
                          {relativeDays(daysFrom(now, entry.at, zone))}
                        </span>
                      </td>
                      <td>{actorLabel(entry)}</td>
                      <td>
                        <code className={styles.action}>{entry.action}</code>
                        <br />
                        <span className="muted small">
                          {entry.entityType}{' '}
                          <span className={styles.entityId}>{entry.entityId}</span>
                        </span>
                      </td>
                      <td>
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
                            <span className="muted small">
                              {formatIdentifier(
                                entry.patient.identifierKind,
                                entry.patient.identifierValue,
                              )}
                            </span>
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className={styles.changes}>
                        {entry.before === null && entry.after === null ? (
                          <span className="muted">No details</span>
                        ) : (
                          <details>
                            <summary>
                              Show<span className="visually-hidden"> before and after</span>
                            </summary>
                            <div className={styles.diff}>
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
          <nav className="pagination" aria-label="Audit pages">
            {cursor ? <Link href={link({ after: '' })}>Back to the newest entries</Link> : null}
            {page.nextCursor ? (
              <Link href={link({ after: page.nextCursor })}>Older entries</Link>
            ) : page.entries.length > 0 ? (
              <span className="muted">No older entries.</span>
            ) : null}
          </nav>
        </>
      ) : null}
    </>
  );
}
