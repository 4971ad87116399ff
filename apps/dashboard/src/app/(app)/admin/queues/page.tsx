import { LATE_AFTER_MS, queueHealth, STUCK_EMAIL_AFTER_MS } from '@vfx/database/views';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { db } from '@/server/db';
import { config } from '@/server/env';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { type WorkerStatus, workerStatus } from '@/server/worker-status';
import { daysFrom, formatDateTime, relativeDays } from '@/ui/dates';
import { formatDuration } from '@/ui/durations';
import { openQueueBoardAction } from './actions';
import styles from './queues.module.css';

export const metadata = { title: 'Queue health · Fracture liaison' };
// Figures of this moment: never served from a cache.
export const dynamic = 'force-dynamic';

/** Relaying usually takes well under a second; a minute means the relay is not running. */
const OUTBOX_BEHIND_SECONDS = 60;

const FOLLOW_UP_STATES = [
  ['pending', 'Pending (still to fire)'],
  ['fired', 'Fired'],
  ['cancelled', 'Cancelled (plan moved on)'],
  ['superseded', 'Superseded (a later change was due)'],
] as const;
const DELIVERY_STATES = [
  ['pending', 'Pending'],
  ['sending', 'Being sent (claimed by a worker)'],
  ['sent', 'Sent'],
  ['failed', 'Failed after every retry'],
  ['unknown', 'Outcome unknown (check; may have been sent)'],
] as const;
// The worker's BullMQ states, in the order a job passes through them.
const JOB_STATES = [
  ['delayed', 'Delayed (waiting for their time)'],
  ['prioritized', 'Prioritised'],
  ['waiting', 'Waiting for a worker'],
  ['active', 'Running'],
  ['failed', 'Failed'],
] as const;

const number = new Intl.NumberFormat('en-GB');
const plural = (n: number, one: string, many = `${one}s`) =>
  `${number.format(n)} ${n === 1 ? one : many}`;

function Verdict(props: { ok: boolean; okText: string; problem: string }) {
  return props.ok ? (
    <strong className="nhsuk-tag nhsuk-tag--green">{props.okText}</strong>
  ) : (
    <strong className="nhsuk-tag nhsuk-tag--red">{props.problem}</strong>
  );
}

/** Something wrong that needs a person: the design system's warning card. */
function Problem(props: { children: ReactNode; role?: 'alert' | 'status'; title?: string }) {
  return (
    <div
      className={`nhsuk-card nhsuk-card--warning ${styles.problem}`}
      role={props.role ?? 'alert'}
    >
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading">{props.title ?? 'Needs attention'}</h3>
        <p className="nhsuk-card__description">{props.children}</p>
      </div>
    </div>
  );
}

function Card(props: {
  title: string;
  id: string;
  verdict: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <section
      className={`nhsuk-card ${styles.card} ${props.wide ? styles.wide : ''}`}
      aria-labelledby={props.id}
    >
      <div className="nhsuk-card__content">
        <div className={styles.cardHeading}>
          <h2 id={props.id} className="nhsuk-card__heading nhsuk-heading-m">
            {props.title}
          </h2>
          {props.verdict}
        </div>
        {props.children}
      </div>
    </section>
  );
}

function Counts(props: { caption: string; rows: readonly (readonly [string, number])[] }) {
  return (
    <table className={`nhsuk-table ${styles.counts}`}>
      <caption className="nhsuk-u-visually-hidden">{props.caption}</caption>
      <tbody className="nhsuk-table__body">
        {props.rows.map(([label, value]) => (
          <tr key={label} className="nhsuk-table__row">
            <th scope="row" className="nhsuk-table__header">
              {label}
            </th>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{number.format(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WorkerCard({ status }: { status: WorkerStatus }) {
  if (status.kind === 'not-configured') {
    return (
      <Card
        title="Worker queues"
        id="worker-heading"
        verdict={<strong className="nhsuk-tag nhsuk-tag--grey">Not connected</strong>}
      >
        <p>
          The dashboard is not told where the worker is, so the queue&rsquo;s own job counts are not
          shown. Set <code>WORKER_URL</code> (and <code>WORKER_PUBLIC_URL</code> if browsers reach
          the worker at another address) to show them and open the worker&rsquo;s queue board.
        </p>
      </Card>
    );
  }
  const boardLink = (
    <form action={openQueueBoardAction} className={styles.board}>
      <button type="submit" className="nhsuk-button nhsuk-button--secondary">
        Open the queue board
      </button>
      <p className="nhsuk-hint">
        The worker&rsquo;s own view of every job, where failed jobs can be retried. It opens with
        your dashboard session (no password) for 30 minutes; open it from here again after that.
      </p>
    </form>
  );
  if (status.kind === 'unreachable') {
    return (
      <Card
        title="Worker queues"
        id="worker-heading"
        verdict={<strong className="nhsuk-tag nhsuk-tag--red">Worker not answering</strong>}
      >
        <Problem>
          The worker at {status.publicUrl} did not answer ({status.error}). Follow-ups will not fire
          and reminders will not be sent while it is down. The figures on this page come from the
          database and are still current.
        </Problem>
        {boardLink}
      </Card>
    );
  }
  const failedJobs = status.queues.reduce((sum, queue) => sum + (queue.counts.failed ?? 0), 0);
  const ready = status.readiness?.ready ?? true;
  return (
    <Card
      title="Worker queues"
      id="worker-heading"
      verdict={
        <Verdict
          ok={ready && !status.readiness?.reconciling && failedJobs === 0}
          okText="Worker ready"
          problem={
            !ready
              ? 'Worker not ready'
              : status.readiness?.reconciling
                ? 'Repairing the queue'
                : plural(failedJobs, 'failed job')
          }
        />
      }
    >
      {status.readiness?.reconciling ? (
        <Problem role="status" title="Repairing">
          The worker found that its queue store lost data and is putting the jobs back from the
          database now. Steps already due are applied as part of the repair.
        </Problem>
      ) : null}
      {status.readiness && !status.readiness.ready ? (
        <Problem>
          The worker is running but not ready:{' '}
          {status.readiness.checks
            .filter((check) => !check.ok)
            .map((check) => `${check.name}${check.detail ? ` (${check.detail})` : ''}`)
            .join(', ')}{' '}
          failed.
        </Problem>
      ) : null}
      {status.queues.length === 0 ? (
        <p>The worker reported no queues.</p>
      ) : (
        <div className="nhsuk-table-container">
          <table className={`nhsuk-table ${styles.counts}`}>
            <caption className="nhsuk-u-visually-hidden">Jobs in each queue, by state</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Jobs
                </th>
                {status.queues.map((queue) => (
                  <th
                    scope="col"
                    key={queue.queue}
                    className="nhsuk-table__header nhsuk-table__header--numeric"
                  >
                    {queue.queue}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {JOB_STATES.map(([state, label]) => (
                <tr key={state} className="nhsuk-table__row">
                  <th scope="row" className="nhsuk-table__header">
                    {label}
                  </th>
                  {status.queues.map((queue) => (
                    <td key={queue.queue} className="nhsuk-table__cell nhsuk-table__cell--numeric">
                      {queue.counts[state] === undefined ? '–' : number.format(queue.counts[state])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="nhsuk-hint">
        Failed jobs have used all their retries; the worker&rsquo;s reconciliation retries those
        whose follow-up is still pending.
      </p>
      {boardLink}
    </Card>
  );
}

export default async function QueuesPage() {
  await requirePermission('queues.view');
  const zone = await userTimeZone();
  const [health, worker] = await Promise.all([queueHealth(db()), workerStatus(config())]);
  const { followUps, deliveries, outbox } = health;
  const now = health.measuredAt;

  return (
    <>
      <div className={styles.heading}>
        <h1 className="nhsuk-heading-l">Queue health</h1>
        <Link className="nhsuk-button nhsuk-button--secondary" href="/admin/queues">
          Refresh
        </Link>
      </div>
      <p className="nhsuk-body-l">
        Whether timed follow-ups fire on time, reminders reach nurses, and changes reach the queue.
        Measured {formatDateTime(now, zone)}.
      </p>

      <div className={styles.cards}>
        <Card
          title="Follow-ups"
          id="follow-ups-heading"
          verdict={
            <Verdict
              ok={followUps.late === 0}
              okText="On time"
              problem={`${plural(followUps.late, 'follow-up')} late`}
            />
          }
        >
          <Counts
            caption="Follow-ups by state"
            rows={FOLLOW_UP_STATES.map(([state, label]) => [label, followUps.byState[state]])}
          />
          <h3 className="nhsuk-heading-s nhsuk-u-margin-top-4 nhsuk-u-margin-bottom-2">Late</h3>
          {followUps.late === 0 ? (
            <p>
              None: no pending follow-up is more than {formatDuration(LATE_AFTER_MS)} past its time.
            </p>
          ) : (
            <Problem>
              {plural(followUps.late, 'follow-up')} should have fired more than{' '}
              {formatDuration(LATE_AFTER_MS)} ago and have not
              {followUps.oldestLateFireAt
                ? `; the oldest was due ${formatDateTime(followUps.oldestLateFireAt, zone)} (${relativeDays(daysFrom(now, followUps.oldestLateFireAt, zone))})`
                : ''}
              . Check that the worker is running.
            </Problem>
          )}
          <h3 className="nhsuk-heading-s nhsuk-u-margin-top-4 nhsuk-u-margin-bottom-2">
            Lateness in the last hour
          </h3>
          {followUps.lastHour.fired === 0 ? (
            <p>No follow-up fired in the last hour.</p>
          ) : (
            <dl className={styles.figures}>
              <div>
                <dt>Fired</dt>
                <dd>{number.format(followUps.lastHour.fired)}</dd>
              </div>
              <div>
                <dt>Median</dt>
                <dd>{formatDuration(followUps.lastHour.p50Ms ?? Number.NaN)}</dd>
              </div>
              <div>
                <dt>95th percentile</dt>
                <dd>{formatDuration(followUps.lastHour.p95Ms ?? Number.NaN)}</dd>
              </div>
              <div>
                <dt>Latest</dt>
                <dd>{formatDuration(followUps.lastHour.maxMs ?? Number.NaN)}</dd>
              </div>
            </dl>
          )}
        </Card>

        <WorkerCard status={worker} />

        <Card
          title="Outbox"
          id="outbox-heading"
          verdict={
            <Verdict
              ok={
                outbox.failing === 0 &&
                outbox.setAside === 0 &&
                outbox.lagSeconds < OUTBOX_BEHIND_SECONDS
              }
              okText="Keeping up"
              problem={
                outbox.setAside > 0
                  ? `${plural(outbox.setAside, 'message')} set aside`
                  : outbox.failing > 0
                    ? `${plural(outbox.failing, 'message')} failing`
                    : 'Behind'
              }
            />
          }
        >
          <p className="nhsuk-hint">
            Every change writes its queue commands here; the worker relays them to the queue.
          </p>
          <dl className={styles.figures}>
            <div>
              <dt>Waiting to be relayed</dt>
              <dd>{number.format(outbox.backlog)}</dd>
            </div>
            <div>
              <dt>Oldest waiting for</dt>
              <dd>{outbox.backlog === 0 ? '–' : formatDuration(outbox.lagSeconds * 1000)}</dd>
            </div>
            <div>
              <dt>Failed to relay</dt>
              <dd>{number.format(outbox.failing)}</dd>
            </div>
            <div>
              <dt>Set aside (did not parse)</dt>
              <dd>{number.format(outbox.setAside)}</dd>
            </div>
          </dl>
          {outbox.lagSeconds >= OUTBOX_BEHIND_SECONDS ? (
            <Problem>
              The oldest message has waited {formatDuration(outbox.lagSeconds * 1000)}: the
              worker&rsquo;s relay is not running or cannot reach the queue.
            </Problem>
          ) : null}
          {outbox.lastError ? (
            <Problem>
              Last relay error: <code>{outbox.lastError}</code>
            </Problem>
          ) : null}
          {outbox.recentSetAside.length > 0 ? (
            <>
              <Problem>
                {plural(outbox.setAside, 'message')} could not be read by the relay and{' '}
                {outbox.setAside === 1 ? 'was' : 'were'} set aside, not retried (a worker of a newer
                release puts back those it can read). Reconciliation still queues every pending
                follow-up and e-mail from the records.
              </Problem>
              <ul aria-label="Outbox messages set aside">
                {outbox.recentSetAside.map((message) => (
                  <li key={message.id}>
                    <code>{message.kind}</code> #{message.id},{' '}
                    {formatDateTime(message.setAsideAt, zone)}: <code>{message.error}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Card>

        <Card
          wide
          title="Reminder deliveries"
          id="deliveries-heading"
          verdict={
            <Verdict
              ok={
                deliveries.byState.failed === 0 &&
                deliveries.byState.unknown === 0 &&
                deliveries.stuck === 0
              }
              okText="Delivering"
              problem={
                deliveries.byState.failed > 0
                  ? `${plural(deliveries.byState.failed, 'delivery', 'deliveries')} failed`
                  : deliveries.byState.unknown > 0
                    ? `${plural(deliveries.byState.unknown, 'delivery', 'deliveries')} to check`
                    : `${plural(deliveries.stuck, 'e-mail')} stuck`
              }
            />
          }
        >
          <Counts
            caption="Reminder deliveries by state"
            rows={DELIVERY_STATES.map(([state, label]) => [label, deliveries.byState[state]])}
          />
          {deliveries.stuck > 0 ? (
            <Problem>
              {plural(deliveries.stuck, 'e-mail')} still unsent after{' '}
              {formatDuration(STUCK_EMAIL_AFTER_MS)} or more.
            </Problem>
          ) : null}
          {deliveries.recentFailures.length > 0 ? (
            <>
              <h3 className="nhsuk-heading-s nhsuk-u-margin-top-4 nhsuk-u-margin-bottom-2">
                Latest failures
              </h3>
              <div className="nhsuk-table-container">
                <table className="nhsuk-table">
                  <caption className="nhsuk-u-visually-hidden">
                    Most recent failed deliveries
                  </caption>
                  <thead className="nhsuk-table__head">
                    <tr className="nhsuk-table__row">
                      <th scope="col" className="nhsuk-table__header">
                        Failed
                      </th>
                      <th scope="col" className="nhsuk-table__header">
                        Reminder
                      </th>
                      <th scope="col" className="nhsuk-table__header">
                        Error
                      </th>
                    </tr>
                  </thead>
                  <tbody className="nhsuk-table__body">
                    {deliveries.recentFailures.map((failure) => (
                      <tr key={failure.id} className="nhsuk-table__row">
                        <td className={`nhsuk-table__cell ${styles.nowrap}`}>
                          {formatDateTime(failure.failedAt, zone)}
                          <br />
                          <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                            {relativeDays(daysFrom(now, failure.failedAt, zone))}
                          </span>
                        </td>
                        <td className="nhsuk-table__cell">
                          {failure.stepTitle}{' '}
                          <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                            ({failure.reminderKind},{' '}
                            {failure.channel === 'email' ? 'e-mail' : 'in app'}
                            {failure.recipient ? ` to ${failure.recipient}` : ''})
                          </span>
                        </td>
                        <td className="nhsuk-table__cell">
                          {failure.outcome === 'unknown' ? (
                            <>
                              <strong className="nhsuk-tag nhsuk-tag--orange">
                                Outcome unknown
                              </strong>{' '}
                            </>
                          ) : null}
                          <span className={styles.error}>
                            {failure.lastError ?? 'No error recorded'}
                          </span>
                          <br />
                          <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                            after {plural(failure.attempts, 'attempt')}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p>
                <Link href="/deliveries">All failed deliveries</Link>{' '}
                <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                  (where schedulers follow them up)
                </span>
              </p>
            </>
          ) : null}
        </Card>
      </div>
    </>
  );
}
