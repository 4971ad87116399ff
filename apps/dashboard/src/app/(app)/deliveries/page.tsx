import { failedDeliveries } from '@vfx/database/views';
import Link from 'next/link';
import { db } from '@/server/db';
import { recordRead, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { DATE_LABELS, daysFrom, formatDateTime, relativeDays } from '@/ui/dates';
import { formatIdentifier, patientName } from '@/ui/identity';
import { type Column, DataTable } from '@/ui/nhsuk/table';
import { Tag } from '@/ui/status';
import styles from '../reminders/reminders.module.css';
import { RetryButton } from './retry-button';

export const metadata = { title: 'Failed deliveries · Fracture liaison' };

/** The reminder's kind, in the date language's labels (src/ui/dates.ts). */
const KIND: Record<string, string> = {
  due: DATE_LABELS.dueReminder,
  overdue: DATE_LABELS.overdueReminder,
  manual: 'Sent by hand',
};

type Delivery = Awaited<ReturnType<typeof failedDeliveries>>['deliveries'][number];

function deliveryColumns(now: Date, zone: string): Column<Delivery>[] {
  const name = (d: Delivery) => patientName(d.patient);
  return [
    {
      id: 'patient',
      label: 'Patient',
      cell: (d) => (
        <>
          <Link
            className="nhsuk-link"
            href={`/episodes/${encodeURIComponent(d.reminder.episodeId)}`}
          >
            {name(d)}
          </Link>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {formatIdentifier(d.patient.identifierKind, d.patient.identifierValue)}
          </div>
        </>
      ),
    },
    {
      id: 'reminder',
      label: 'Reminder',
      cell: (d) => (
        <>
          {d.reminder.stepTitle}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            <Tag tone={d.reminder.kind === 'overdue' ? 'warn' : undefined}>
              {KIND[d.reminder.kind] ?? d.reminder.kind}
            </Tag>
            {d.reminder.urgent ? (
              <>
                {' '}
                <Tag tone="warn">Urgent</Tag>
              </>
            ) : null}
            {d.reminder.status !== 'open' ? <> · reminder {d.reminder.status}</> : null}
          </div>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            Made {formatDateTime(d.reminder.createdAt, zone)}
          </div>
        </>
      ),
    },
    {
      id: 'nurse',
      label: 'Nurse',
      cell: (d) => (
        <>
          {d.nurse?.name ?? 'No nurse'}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{d.recipient ?? 'no address'}</div>
        </>
      ),
    },
    { id: 'attempts', label: 'Attempts', cell: (d) => d.attempts },
    {
      id: 'error',
      label: 'Last error',
      cell: (d) => (
        <>
          {d.outcome === 'unknown' ? (
            <>
              <Tag tone="warn">Outcome unknown</Tag> it may have been sent.{' '}
            </>
          ) : null}
          <span className={styles.error}>{d.lastError ?? '—'}</span>
        </>
      ),
    },
    {
      id: 'failed',
      label: 'Failed',
      cell: (d) => (
        <>
          {formatDateTime(d.failedAt, zone)}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {relativeDays(daysFrom(now, d.failedAt, zone))}
          </div>
        </>
      ),
    },
    {
      id: 'action',
      label: 'Action',
      hideLabel: true,
      cell: (d) =>
        d.reminder.status === 'open' ? (
          <RetryButton deliveryId={d.deliveryId} label={`${d.reminder.stepTitle} for ${name(d)}`} />
        ) : (
          'Step settled; nothing to send'
        ),
    },
  ];
}

export default async function DeliveriesPage() {
  const user = await requirePermission('deliveries.view');
  const zone = await userTimeZone();
  const now = new Date();
  const { deliveries, more } = await failedDeliveries(db());
  await recordRead(user, {
    action: 'deliveries.viewed',
    entityType: 'deliveries',
    entityId: 'failed',
    details: { shown: deliveries.length },
  });
  const columns = deliveryColumns(now, zone);
  return (
    <>
      <div className="page-heading">
        <h1>Failed deliveries</h1>
        <p className="muted">
          Reminder e-mails that could not be sent after every retry, and e-mails whose outcome is
          unknown because the worker stopped while sending them. The reminder is still on the
          nurse&apos;s worklist. Retry once the cause (address, mail server) is fixed; a retried
          e-mail keeps its Message-ID, so a mail system that already has it can discard it.
        </p>
      </div>
      {deliveries.length === 0 ? (
        <p className="notice">No reminder e-mail has failed or has an unknown outcome.</p>
      ) : (
        <DataTable
          caption={`Failed deliveries: ${deliveries.length}`}
          columns={columns}
          rows={deliveries}
          rowKey={(d) => d.deliveryId}
        />
      )}
      {more ? (
        <p className="hint">Only the {deliveries.length} most recent failures are shown.</p>
      ) : null}
    </>
  );
}
