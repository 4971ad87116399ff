import {
  failedPatientMessages,
  patientMessagesDueToday,
  patientOptOuts,
} from '@vfx/database/views';
import Link from 'next/link';
import { db } from '@/server/db';
import { calendar } from '@/server/service-calendar';
import { recordRead, requirePermission } from '@/server/session';
import { formatIdentifier, patientName } from '@/ui/identity';
import { type Column, DataTable } from '@/ui/nhsuk/table';
import { Tag } from '@/ui/status';
import { RetryMessageButton } from './retry-button';
import { channelWords, kindTitle, stateWords } from './words';

export const metadata = { title: 'Patient messages · Fracture liaison' };

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

type DueRow = Awaited<ReturnType<typeof patientMessagesDueToday>>['messages']['rows'][number];
type FailedRow = Awaited<ReturnType<typeof failedPatientMessages>>['rows'][number];
type OptOutRow = Awaited<ReturnType<typeof patientOptOuts>>['rows'][number];
type CountRow = Awaited<ReturnType<typeof patientMessagesDueToday>>['counts'][number];

const when = (instant: Date) => calendar.describeInstant(instant.getTime());

function PatientCell(props: {
  episodeId: string | null;
  patient: {
    givenName: string;
    familyName: string;
    identifierKind: string;
    identifierValue: string;
  };
}) {
  const name = patientName(props.patient);
  return (
    <>
      {props.episodeId ? (
        <Link
          className="nhsuk-link"
          href={`/episodes/${encodeURIComponent(props.episodeId)}#contact`}
        >
          {name}
        </Link>
      ) : (
        name
      )}
      <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
        {formatIdentifier(props.patient.identifierKind, props.patient.identifierValue)}
      </div>
    </>
  );
}

const countColumns: Column<CountRow>[] = [
  { id: 'kind', label: 'Kind', cell: (row) => kindTitle(row.kind) },
  { id: 'channel', label: 'Channel', cell: (row) => channelWords(row.channel) },
  { id: 'count', label: 'Messages', cell: (row) => row.count },
  { id: 'waiting', label: 'To go', cell: (row) => row.waiting },
  { id: 'sent', label: 'Sent', cell: (row) => row.sent },
  { id: 'failed', label: 'Failed', cell: (row) => row.failed },
];

const dueColumns: Column<DueRow>[] = [
  {
    id: 'patient',
    label: 'Patient',
    cell: (row) => <PatientCell episodeId={row.episodeId} patient={row.patient} />,
  },
  { id: 'kind', label: 'Kind', cell: (row) => kindTitle(row.kind) },
  { id: 'channel', label: 'Channel', cell: (row) => channelWords(row.channel) },
  {
    id: 'sendAt',
    label: 'Send time',
    cell: (row) => calendar.describeTime(row.sendAt.getTime()),
  },
  {
    id: 'state',
    label: 'State',
    cell: (row) => (
      <Tag tone={row.state.endsWith('failure') ? 'warn' : undefined}>{stateWords(row.state)}</Tag>
    ),
  },
];

const failedColumns: Column<FailedRow>[] = [
  {
    id: 'patient',
    label: 'Patient',
    cell: (row) => <PatientCell episodeId={row.episodeId} patient={row.patient} />,
  },
  {
    id: 'message',
    label: 'Message',
    cell: (row) => (
      <>
        {kindTitle(row.kind)}
        <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
          {channelWords(row.channel)} · due to go {when(row.sendAt)}
        </div>
      </>
    ),
  },
  {
    id: 'why',
    label: 'Why',
    cell: (row) => (
      <>
        <Tag tone="warn">{stateWords(row.state)}</Tag> {row.why}
      </>
    ),
  },
  { id: 'failed', label: 'Failed', cell: (row) => when(row.failedAt ?? row.updatedAt) },
  { id: 'attempts', label: 'Attempts', cell: (row) => row.attempts },
  {
    id: 'action',
    label: 'Action',
    hideLabel: true,
    cell: (row) => (
      <RetryMessageButton
        messageId={row.id}
        label={`${kindTitle(row.kind)} for ${patientName(row.patient)}`}
      />
    ),
  },
];

const optOutColumns: Column<OptOutRow>[] = [
  {
    id: 'patient',
    label: 'Patient',
    cell: (row) => <PatientCell episodeId={row.episodeId} patient={row.patient} />,
  },
  { id: 'when', label: 'Opted out', cell: (row) => when(row.optedOutAt) },
  { id: 'by', label: 'Recorded by', cell: (row) => row.optedOutBy?.name ?? 'a colleague' },
  { id: 'reason', label: 'Reason', cell: (row) => row.reason ?? 'No reason given' },
];

function NextPage(props: { name: string; cursor: string | null; search: Search; anchor: string }) {
  if (!props.cursor) return null;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(props.search)) {
    const text = one(value);
    if (text && key !== props.name) query.set(key, text);
  }
  query.set(props.name, props.cursor);
  return (
    <p>
      <Link href={`/patient-messages?${query}#${props.anchor}`}>Next page</Link>
    </p>
  );
}

/**
 * Scheduler › Patient messages: today's reminders to patients (the service's local day) by kind
 * and channel, the messages Notify could not deliver with Retry, and the patients who opted out.
 */
export default async function PatientMessagesPage({
  searchParams,
}: {
  searchParams: Promise<Search>;
}) {
  const user = await requirePermission('patientMessages.view');
  const search = await searchParams;
  const now = new Date();
  const [due, failed, optOuts] = await Promise.all([
    patientMessagesDueToday(db(), {
      now,
      ...(one(search.after) ? { after: one(search.after) } : {}),
    }),
    failedPatientMessages(db(), one(search.failedAfter) ? { after: one(search.failedAfter) } : {}),
    patientOptOuts(db(), one(search.optOutsAfter) ? { after: one(search.optOutsAfter) } : {}),
  ]);
  await recordRead(user, {
    action: 'patientMessages.viewed',
    entityType: 'patient-messages',
    entityId: due.day,
    details: {
      dueShown: due.messages.rows.length,
      failedShown: failed.rows.length,
      optOutsShown: optOuts.rows.length,
    },
  });
  return (
    <>
      <div className="page-heading">
        <h1>Patient messages</h1>
        <p className="muted">
          Reminders to patients through GOV.UK Notify (text message, e-mail or letter), sent between
          09:00 and 19:00 service time. Times are the service&apos;s ({calendar.timeZone}).
        </p>
      </div>

      <section aria-labelledby="today-heading" id="today">
        <h2 id="today-heading">
          Due today, {calendar.describeDate(due.day)}: {due.total}{' '}
          {due.total === 1 ? 'message' : 'messages'}
        </h2>
        {due.total === 0 ? (
          <p className="notice">No patient message is due today.</p>
        ) : (
          <>
            <DataTable
              caption="By kind and channel"
              columns={countColumns}
              rows={due.counts}
              rowKey={(row) => `${row.kind}|${row.channel}`}
            />
            <DataTable
              caption="Today's messages, in the order they go"
              columns={dueColumns}
              rows={due.messages.rows}
              rowKey={(row) => row.id}
            />
            <NextPage name="after" cursor={due.messages.next} search={search} anchor="today" />
          </>
        )}
      </section>

      <section aria-labelledby="failed-heading" id="failed">
        <h2 id="failed-heading">Failed messages</h2>
        <p className="muted">
          Notify could not deliver these. A permanent failure (a wrong number or address) has also
          put a task on the nurse&apos;s worklist: correct the details on the patient page, then
          retry.
        </p>
        {failed.rows.length === 0 ? (
          <p className="notice">No patient message has failed.</p>
        ) : (
          <DataTable
            caption={`Failed messages: ${failed.rows.length}${failed.next ? ' (the most recent)' : ''}`}
            columns={failedColumns}
            rows={failed.rows}
            rowKey={(row) => row.id}
          />
        )}
        <NextPage name="failedAfter" cursor={failed.next} search={search} anchor="failed" />
      </section>

      <section aria-labelledby="opt-outs-heading" id="opt-outs">
        <h2 id="opt-outs-heading">Opted out</h2>
        {optOuts.rows.length === 0 ? (
          <p className="notice">No patient has opted out of reminders.</p>
        ) : (
          <DataTable
            caption={`Patients who opted out: ${optOuts.rows.length}${optOuts.next ? ' (the most recent)' : ''}`}
            columns={optOutColumns}
            rows={optOuts.rows}
            rowKey={(row) => row.id}
          />
        )}
        <NextPage name="optOutsAfter" cursor={optOuts.next} search={search} anchor="opt-outs" />
      </section>
    </>
  );
}
