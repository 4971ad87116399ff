import { failedDeliveries } from '@vfx/database/views';
import Link from 'next/link';
import { db } from '@/server/db';
import { recordRead, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { daysFrom, formatDateTime, relativeDays } from '@/ui/dates';
import { formatIdentifier } from '@/ui/identity';
import { Tag } from '@/ui/status';
import styles from '../reminders/reminders.module.css';
import { RetryButton } from './retry-button';

export const metadata = { title: 'Failed deliveries · Fracture liaison' };

const KIND: Record<string, string> = {
  due: 'Due',
  overdue: 'Overdue',
  manual: 'Sent by hand',
};

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
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Reminder</th>
                <th scope="col">Nurse</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Failed</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => {
                const name = `${d.patient.givenName} ${d.patient.familyName}`;
                return (
                  <tr key={d.deliveryId}>
                    <td>
                      <Link href={`/episodes/${encodeURIComponent(d.reminder.episodeId)}`}>
                        {name}
                      </Link>
                      <div className="muted small">
                        {formatIdentifier(d.patient.identifierKind, d.patient.identifierValue)}
                      </div>
                    </td>
                    <td>
                      {d.reminder.stepTitle}
                      <div className="small">
                        <Tag tone={d.reminder.kind === 'overdue' ? 'warn' : undefined}>
                          {KIND[d.reminder.kind] ?? d.reminder.kind}
                        </Tag>
                        {d.reminder.urgent ? (
                          <>
                            {' '}
                            <Tag tone="warn">Urgent</Tag>
                          </>
                        ) : null}
                        {d.reminder.status !== 'open' ? (
                          <span className="muted"> · reminder {d.reminder.status}</span>
                        ) : null}
                      </div>
                      <div className="muted small">
                        Made {formatDateTime(d.reminder.createdAt, zone)}
                      </div>
                    </td>
                    <td>
                      {d.nurse?.name ?? 'No nurse'}
                      <div className="muted small">{d.recipient ?? 'no address'}</div>
                    </td>
                    <td>{d.attempts}</td>
                    <td className="small">
                      {d.outcome === 'unknown' ? (
                        <>
                          <Tag tone="warn">Outcome unknown</Tag>{' '}
                          <span className="muted">it may have been sent. </span>
                        </>
                      ) : null}
                      <span className={styles.error}>{d.lastError ?? '—'}</span>
                    </td>
                    <td>
                      {formatDateTime(d.failedAt, zone)}
                      <div className="muted small">
                        {relativeDays(daysFrom(now, d.failedAt, zone))}
                      </div>
                    </td>
                    <td>
                      {d.reminder.status === 'open' ? (
                        <RetryButton
                          deliveryId={d.deliveryId}
                          label={`${d.reminder.stepTitle} for ${name}`}
                        />
                      ) : (
                        <span className="muted small">Step settled; nothing to send</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {more ? (
        <p className="hint">Only the {deliveries.length} most recent failures are shown.</p>
      ) : null}
    </>
  );
}
