import { unappliedSince, type WorklistItem, worklist } from '@vfx/database/views';
import Link from 'next/link';
import { db } from '@/server/db';
import { calendar } from '@/server/service-calendar';
import { recordRead, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDate, stepWhenText, windowFromInstants } from '@/ui/dates';
import { formatIdentifier } from '@/ui/identity';
import { StatusBadge } from '@/ui/status';
import { StatusesAsOf } from '@/ui/statuses-as-of';

export const metadata = { title: 'Worklist · Fracture liaison' };

function Section(props: {
  id: string;
  title: string;
  empty: string;
  items: readonly WorklistItem[];
  more: boolean;
  when: (item: WorklistItem) => string;
}) {
  return (
    <section aria-labelledby={props.id} className="worklist-section">
      <h2 id={props.id}>
        {props.title}{' '}
        <span className="count">
          {props.items.length}
          {props.more ? '+' : ''}
        </span>
      </h2>
      {props.items.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Step</th>
                <th scope="col">Status</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((item) => (
                <tr key={`${item.episodeId}/${item.stepKey}`}>
                  <td>
                    <Link href={`/episodes/${item.episodeId}`}>{item.patientName}</Link>
                    <div className="muted small">
                      {formatIdentifier(item.identifierKind, item.identifierValue)}
                    </div>
                  </td>
                  <td>
                    {item.title}
                    <div className="muted small">{item.reason}</div>
                  </td>
                  <td>
                    <StatusBadge status={item.status} urgent={item.urgent} />
                  </td>
                  <td>{props.when(item)}</td>
                  <td>
                    <Link
                      className="button small"
                      href={`/episodes/${item.episodeId}/steps/${encodeURIComponent(item.stepKey)}`}
                      aria-label={`Open ${item.title} for ${item.patientName}`}
                    >
                      Open
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.more ? (
        <p className="hint">
          Only the first {props.items.length} are shown; see the caseload for the rest.
        </p>
      ) : null}
    </section>
  );
}

export default async function WorklistPage() {
  const user = await requirePermission('worklist.view');
  const zone = await userTimeZone();
  const now = new Date();
  const [list, behindSince] = await Promise.all([
    worklist(db(), { nurseId: user.id, now }),
    unappliedSince(db(), now),
  ]);
  await recordRead(user, {
    action: 'worklist.viewed',
    entityType: 'worklist',
    entityId: user.id,
    details: { shown: list.overdue.length + list.due.length + list.thisWeek.length },
  });
  // The date language (src/ui/dates.ts): guideline dates, labelled, relative days beside the
  // date they count from.
  const when = (item: WorklistItem) =>
    item.dueAt && item.overdueAt
      ? stepWhenText(
          item.status,
          windowFromInstants({ dueAt: item.dueAt, overdueAt: item.overdueAt }, calendar.timeZone),
          now,
          zone,
        )
      : '';
  return (
    <>
      <div className="page-heading">
        <h1>Worklist</h1>
        <p className="muted">
          {formatDate(now, zone)} · {user.name}
        </p>
      </div>
      <StatusesAsOf since={behindSince} now={now} zone={zone} />
      <Section
        id="overdue"
        title="Overdue"
        empty="Nothing is overdue."
        items={list.overdue}
        more={list.more.overdue}
        when={when}
      />
      <Section
        id="due"
        title="Due today"
        empty="Nothing is due today."
        items={list.due}
        more={list.more.due}
        when={when}
      />
      <Section
        id="week"
        title="Due this week"
        empty="Nothing becomes due in the next 7 days."
        items={list.thisWeek}
        more={list.more.thisWeek}
        when={when}
      />
    </>
  );
}
