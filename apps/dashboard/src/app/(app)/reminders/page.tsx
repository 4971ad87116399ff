import {
  type ReminderGroup,
  type UpcomingReminder,
  upcomingReminderDays,
  upcomingReminders,
} from '@vfx/database/views';
import { type StepStatus, stepRescheduleRange } from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { calendar, serviceToday } from '@/server/service-calendar';
import { recordRead, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import {
  DATE_LABELS,
  daysBetween,
  formatCalendarDate,
  formatDateTime,
  localDate,
  relativeDays,
  stepWhenText,
} from '@/ui/dates';
import { formatIdentifier, patientName } from '@/ui/identity';
import { type Column, DataTable } from '@/ui/nhsuk/table';
import { StatusBadge, Tag } from '@/ui/status';
import styles from './reminders.module.css';
import { SendNowButton } from './send-now-button';

export const metadata = { title: 'Reminders · Fracture liaison' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** "/reminders?day=...&nurse=..." keeping what is set. */
function href(day: string, nurse?: string) {
  const params = new URLSearchParams({ day });
  if (nurse) params.set('nurse', nurse);
  return `/reminders?${params.toString()}`;
}

const NO_NURSE = 'none';

export default async function RemindersPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePermission('reminders.view');
  const params = await searchParams;
  const zone = await userTimeZone();
  const now = new Date();
  const today = localDate(now, zone);
  const days = await upcomingReminderDays(db(), { now, timeZone: zone });
  const asked = one(params.day);
  const selected = days.find((d) => d.day === asked) ?? days.find((d) => d.count > 0) ?? days[0];
  const nurseParam = one(params.nurse);
  const nurseId = nurseParam === NO_NURSE ? null : nurseParam || undefined;
  const { groups, more } = selected
    ? await upcomingReminders(db(), { now, timeZone: zone, day: selected.day, nurseId })
    : { groups: [], more: false };
  await recordRead(user, {
    action: 'reminders.viewed',
    entityType: 'reminders',
    entityId: selected?.day ?? 'none',
    details: {
      day: selected?.day ?? null,
      nurse: nurseId === undefined ? 'all' : nurseId,
      shown: groups.reduce((sum, group) => sum + group.reminders.length, 0),
    },
  });
  const moved = one(params.moved);
  const total = days.reduce((sum, d) => sum + d.count, 0);

  return (
    <>
      <div className="page-heading">
        <h1>Reminders</h1>
        <p className="muted">
          Due and overdue reminders in the next {days.length} days: {total} in all. Times are in{' '}
          {zone}.
        </p>
      </div>
      {moved && /^\d{4}-\d{2}-\d{2}$/.test(moved) ? (
        <p className="notice" role="status">
          Reminder moved to {formatCalendarDate(moved)} (
          {relativeDays(daysBetween(serviceToday(now), moved))}). The change is in the plan and the
          audit log.
        </p>
      ) : null}

      <nav aria-label="Days">
        <ul className={styles.days}>
          {days.map((d) => (
            <li key={d.day}>
              <Link href={href(d.day)} aria-current={d.day === selected?.day ? 'page' : undefined}>
                {formatCalendarDate(d.day).replace(/ \d{4}$/, '')}
                <span className={styles.dayCount}>
                  {relativeDays(daysBetween(today, d.day))} · {d.count}
                  {d.overdue > 0 ? ` (${d.overdue} overdue)` : ''}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {selected ? (
        <section aria-labelledby="day-heading">
          <h2 id="day-heading">
            {formatCalendarDate(selected.day)}{' '}
            <span className="muted">({relativeDays(daysBetween(today, selected.day))})</span>{' '}
            <span className="count">{selected.count}</span>
          </h2>
          {selected.nurses.length > 1 ? (
            <nav aria-label="Nurses">
              <ul className={styles.nurses}>
                <li>
                  <Link
                    href={href(selected.day)}
                    aria-current={nurseId === undefined ? 'page' : undefined}
                  >
                    All nurses
                  </Link>
                </li>
                {selected.nurses.map((n) => {
                  const value = n.nurse?.id ?? NO_NURSE;
                  const current = (nurseId === null ? NO_NURSE : nurseId) === value;
                  return (
                    <li key={value}>
                      <Link
                        href={href(selected.day, value)}
                        aria-current={current ? 'page' : undefined}
                      >
                        {n.nurse?.name ?? 'No nurse'} ({n.count})
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          ) : null}
          {groups.length === 0 ? (
            <p className="muted">No reminders go out on this day.</p>
          ) : (
            groups.map((group) => (
              <NurseGroup key={group.nurse?.id ?? NO_NURSE} group={group} zone={zone} now={now} />
            ))
          )}
          {more ? (
            <p className="hint">
              Only the first reminders of this day are shown; choose a nurse to see the rest.
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function NurseGroup({ group, zone, now }: { group: ReminderGroup; zone: string; now: Date }) {
  const id = `nurse-${group.nurse?.id ?? NO_NURSE}`;
  return (
    <section aria-labelledby={id} className={styles.group}>
      <h3 id={id}>
        {group.nurse ? group.nurse.name : 'No responsible nurse'}{' '}
        <span className="count">{group.reminders.length}</span>
      </h3>
      {group.nurse ? null : (
        <p className="hint">
          These patients are on nobody&apos;s caseload: nobody will be reminded.
        </p>
      )}
      <DataTable
        caption={`Reminders for ${group.nurse ? group.nurse.name : 'no responsible nurse'}`}
        columns={reminderColumns(now, zone)}
        rows={group.reminders}
        rowKey={(reminder) => reminder.followUpId}
      />
    </section>
  );
}

/** Whether the domain would accept a new day for this due reminder today (service calendar). */
function mayReschedule(reminder: UpcomingReminder, now: Date): boolean {
  const step = { status: reminder.stepStatus as StepStatus, window: reminder.window };
  return stepRescheduleRange(step, serviceToday(now), calendar) !== undefined;
}

function reminderColumns(now: Date, zone: string): Column<UpcomingReminder>[] {
  const label = (reminder: UpcomingReminder) =>
    `${reminder.stepTitle} for ${patientName(reminder.patient)}`;
  return [
    {
      id: 'patient',
      label: 'Patient',
      cell: (reminder) => (
        <>
          <Link className="nhsuk-link" href={`/episodes/${encodeURIComponent(reminder.episodeId)}`}>
            {patientName(reminder.patient)}
          </Link>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {formatIdentifier(reminder.patient.identifierKind, reminder.patient.identifierValue)}
          </div>
        </>
      ),
    },
    {
      id: 'step',
      label: 'Step',
      cell: (reminder) => (
        <>
          {reminder.stepTitle}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            Step now <StatusBadge status={reminder.stepStatus} />
          </div>
          {reminder.window ? (
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              {stepWhenText(reminder.stepStatus, reminder.window, now, zone)}
            </div>
          ) : null}
        </>
      ),
    },
    {
      id: 'reminder',
      label: 'Reminder',
      cell: (reminder) => (
        <>
          {/* A reminder is labelled apart from the step's own due and overdue dates (docs/ui.md). */}
          {reminder.transition === 'overdue'
            ? DATE_LABELS.overdueReminder
            : DATE_LABELS.dueReminder}
          {reminder.urgent ? (
            <>
              {' '}
              <Tag tone="warn">Urgent</Tag>
            </>
          ) : null}
          {reminder.window?.rescheduledTo && reminder.transition === 'due' ? (
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Rescheduled</div>
          ) : null}
        </>
      ),
    },
    {
      id: 'time',
      label: 'Time',
      cell: (reminder) => (
        <>
          {formatDateTime(reminder.fireAt, zone)}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {reminder.fireAt <= now
              ? 'going out now'
              : relativeDays(daysBetween(localDate(now, zone), localDate(reminder.fireAt, zone)))}
          </div>
        </>
      ),
    },
    {
      id: 'actions',
      label: 'Actions',
      hideLabel: true,
      cell: (reminder) => (
        <div className={styles.actions}>
          {reminder.nurse ? (
            <SendNowButton
              episodeId={reminder.episodeId}
              stepKey={reminder.stepKey}
              label={label(reminder)}
            />
          ) : (
            'No nurse to remind'
          )}
          {reminder.transition === 'due' && mayReschedule(reminder, now) ? (
            <Link
              className="button small"
              href={`/reminders/reschedule?episode=${encodeURIComponent(reminder.episodeId)}&step=${encodeURIComponent(reminder.stepKey)}`}
              aria-label={`Reschedule: ${label(reminder)}`}
            >
              Reschedule
            </Link>
          ) : null}
        </div>
      ),
    },
  ];
}
