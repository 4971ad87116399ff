import {
  holdsCaseload,
  overdueSteps,
  type PatientMessageTask,
  patientMessageTasks,
  unappliedSince,
  type WorklistItem,
  type WorklistSection,
  worklist,
} from '@vfx/database/views';
import { may } from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { recordRead, requirePermission, seesEveryCaseload } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDate, formatDateTime } from '@/ui/dates';
import { formatIdentifier, patientName } from '@/ui/identity';
import { type Column, columnSort, DataTable } from '@/ui/nhsuk/table';
import { RiskTag, riskTotalsText, StatusBadge } from '@/ui/status';
import { StatusesAsOf } from '@/ui/statuses-as-of';
import {
  GROUPS,
  parseWorklistOrder,
  type WorklistGroup,
  type WorklistOrder,
  whenText,
  worklistHref,
} from './view';

export const metadata = { title: 'Worklist · Fracture liaison' };

const PATH = '/worklist';
/**
 * Rows shown per group (the CSV has all): at 100 a group, four groups made 1.6 MB of HTML and
 * 2 s pages on the loaded bench machine (docs/performance.md).
 */
const PAGE_LIMIT = 50;
const number = new Intl.NumberFormat('en-GB');

function Section(props: {
  group: WorklistGroup;
  section: WorklistSection;
  order: WorklistOrder;
  now: Date;
  zone: string;
  summary?: string;
}) {
  const { group, section, order } = props;
  const { title, empty } = GROUPS[group];
  const id = `group-${group}`;
  const href = (sort: string, direction: 'asc' | 'desc') =>
    worklistHref(PATH, { sort: sort === 'when' ? 'when' : 'risk', direction });
  // Without a date order asked for, the groups short of overdue are soonest first.
  const dateOrder =
    order.sort === 'when' || group !== 'overdue'
      ? { sort: 'when', direction: order.sort === 'when' ? order.direction : 'asc' }
      : { sort: 'risk', direction: 'asc' as const };
  const columns: Column<WorklistItem>[] = [
    {
      id: 'patient',
      label: 'Patient',
      cell: (item) => (
        <>
          <Link className="nhsuk-link" href={`/episodes/${item.episodeId}`}>
            {patientName(item)}
          </Link>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {formatIdentifier(item.identifierKind, item.identifierValue)}
          </div>
        </>
      ),
    },
    {
      id: 'step',
      label: 'Step',
      cell: (item) => (
        <>
          {item.title}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{item.reason}</div>
        </>
      ),
    },
    group === 'overdue'
      ? {
          id: 'risk',
          label: 'Risk',
          sort: {
            href: PATH,
            state: order.sort === 'risk' ? 'descending' : 'none',
            next: 'highest risk first',
          },
          cell: (item) => (item.riskTier ? <RiskTag tier={item.riskTier} /> : null),
        }
      : {
          id: 'status',
          label: 'Status',
          cell: (item) => <StatusBadge status={item.status} urgent={item.urgent} />,
        },
    {
      id: 'when',
      label: 'When',
      sort: columnSort({
        column: 'when',
        current: dateOrder as WorklistOrder,
        first: 'asc',
        words: { asc: 'earliest first', desc: 'latest first' },
        href,
      }),
      cell: (item) => whenText(item, group, props.now, props.zone),
    },
    {
      id: 'open',
      label: 'Action',
      hideLabel: true,
      cell: (item) => (
        <Link
          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
          href={`/episodes/${item.episodeId}/steps/${encodeURIComponent(item.stepKey)}`}
          aria-label={`Open ${item.title} for ${patientName(item)}`}
        >
          Open
        </Link>
      ),
    },
  ];
  const orderWords =
    group === 'overdue' && order.sort === 'risk'
      ? 'highest risk first, then the longest overdue'
      : dateOrder.direction === 'desc'
        ? 'latest date first'
        : 'earliest date first';
  return (
    <section aria-labelledby={id} className="nhsuk-u-margin-bottom-6">
      <h2 id={id} className="nhsuk-heading-m nhsuk-u-margin-bottom-2">
        {title}{' '}
        <span className="nhsuk-u-secondary-text-colour">({number.format(section.total)})</span>
      </h2>
      {props.summary && section.total > 0 ? <p className="nhsuk-body-s">{props.summary}</p> : null}
      {section.items.length === 0 ? (
        <p className="nhsuk-body">{empty}</p>
      ) : (
        <DataTable
          caption={`${title}: ${number.format(section.total)} steps`}
          columns={columns}
          rows={section.items}
          rowKey={(item) => `${item.episodeId}/${item.stepKey}`}
          order={orderWords}
        />
      )}
      {section.total > section.items.length ? (
        <p className="nhsuk-body-s">
          The first {number.format(section.items.length)} of {number.format(section.total)} are
          shown. The CSV download has all of them.
        </p>
      ) : null}
    </section>
  );
}

/**
 * Reminders that did not reach the nurse's patients (a permanent failure Notify reported, or a
 * message it refused): the nurse checks the patient's contact details and tells them another way.
 * Shown above the steps, and only when there are some.
 */
function PatientMessageTasks(props: {
  tasks: { readonly items: readonly PatientMessageTask[]; readonly total: number };
  zone: string;
}) {
  const { items, total } = props.tasks;
  if (total === 0) return null;
  const title = 'Messages that did not reach your patients';
  const columns: Column<PatientMessageTask>[] = [
    {
      id: 'patient',
      label: 'Patient',
      cell: (task) => (
        <>
          <Link className="nhsuk-link" href={`/episodes/${task.episodeId}`}>
            {patientName(task)}
          </Link>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {formatIdentifier(task.identifierKind, task.identifierValue)}
          </div>
        </>
      ),
    },
    {
      id: 'what',
      label: 'What happened',
      cell: (task) => (
        <>
          {task.urgent ? <strong className="nhsuk-tag nhsuk-tag--red">Urgent</strong> : null}{' '}
          {task.text}
        </>
      ),
    },
    { id: 'when', label: 'When', cell: (task) => formatDateTime(task.raisedAt, props.zone) },
  ];
  return (
    <section aria-labelledby="group-patient-messages" className="nhsuk-u-margin-bottom-6">
      <h2 id="group-patient-messages" className="nhsuk-heading-m nhsuk-u-margin-bottom-2">
        {title} <span className="nhsuk-u-secondary-text-colour">({number.format(total)})</span>
      </h2>
      <DataTable
        caption={`${title}: ${number.format(total)}`}
        columns={columns}
        rows={items}
        rowKey={(task) => task.reminderId}
      />
    </section>
  );
}

/** An administrator who holds no caseload: what the service has overdue, and where to see it. */
async function NoCaseload({
  now,
  zone,
  overdueList,
}: {
  now: Date;
  zone: string;
  overdueList: boolean;
}) {
  const all = await overdueSteps(db(), {}, { now, timeZone: zone }, { pageSize: 1 });
  return (
    <div className="nhsuk-inset-text">
      <p className="nhsuk-body">
        You hold no caseload, so no step is yours to do here. Across all caseloads{' '}
        {all.total === 0
          ? 'no step is overdue.'
          : `${number.format(all.total)} ${all.total === 1 ? 'step is' : 'steps are'} overdue (${riskTotalsText(all.totalsByTier).replace('By risk: ', '')}).`}
      </p>
      {overdueList ? (
        <p className="nhsuk-body">
          <Link className="nhsuk-link" href="/admin/overdue">
            See the overdue steps across all caseloads
          </Link>{' '}
          or{' '}
          <Link className="nhsuk-link" href="/caseload">
            open all caseloads
          </Link>
          .
        </p>
      ) : null}
    </div>
  );
}

export default async function WorklistPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePermission('worklist.view');
  const order = parseWorklistOrder(await searchParams);
  const zone = await userTimeZone();
  const now = new Date();
  // Someone who may see every caseload (an administrator) may hold none of their own: their
  // worklist then says so instead of "nothing is overdue".
  const holdsNone = seesEveryCaseload(user) && !(await holdsCaseload(db(), user.id));
  const [list, behindSince, tasks] = await Promise.all([
    holdsNone
      ? undefined
      : worklist(db(), { nurseId: user.id, now, timeZone: zone, limit: PAGE_LIMIT, ...order }),
    unappliedSince(db(), now),
    patientMessageTasks(db(), user.id),
  ]);
  await recordRead(user, {
    action: 'worklist.viewed',
    entityType: 'worklist',
    entityId: user.id,
    details: {
      order,
      shown: list
        ? list.overdue.items.length +
          list.dueEarlier.items.length +
          list.dueToday.items.length +
          list.coming.items.length
        : 0,
    },
  });
  const total = list
    ? list.overdue.total + list.dueEarlier.total + list.dueToday.total + list.coming.total
    : 0;
  return (
    <>
      <div className="page-heading">
        <h1>Worklist</h1>
        {total > 0 ? (
          <a
            className="nhsuk-button nhsuk-button--secondary"
            href={worklistHref(`${PATH}/export.csv`, order)}
            download
          >
            Download CSV ({number.format(total)} {total === 1 ? 'row' : 'rows'})
          </a>
        ) : null}
      </div>
      <p className="nhsuk-body">
        {formatDate(now, zone)} · {user.name}
      </p>
      <StatusesAsOf since={behindSince} now={now} zone={zone} />
      <PatientMessageTasks tasks={tasks} zone={zone} />
      {list ? (
        <>
          <Section
            group="overdue"
            section={list.overdue}
            order={order}
            now={now}
            zone={zone}
            summary={riskTotalsText(list.overdue.totalsByTier)}
          />
          <Section group="earlier" section={list.dueEarlier} order={order} now={now} zone={zone} />
          <Section group="today" section={list.dueToday} order={order} now={now} zone={zone} />
          <Section group="coming" section={list.coming} order={order} now={now} zone={zone} />
        </>
      ) : (
        <NoCaseload now={now} zone={zone} overdueList={may(user, 'overdue.view')} />
      )}
    </>
  );
}
