import { reminderStep } from '@vfx/database/views';
import { describeTimingBasis, isActive, type StepStatus, stepRescheduleRange } from '@vfx/domain';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { db } from '@/server/db';
import { calendar, serviceToday } from '@/server/service-calendar';
import { recordPatientView, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { daysBetween, formatCalendarDate, formatDateTime, relativeDays } from '@/ui/dates';
import { formatIdentifier } from '@/ui/identity';
import { StatusBadge } from '@/ui/status';
import styles from '../reminders.module.css';
import { RescheduleForm } from './reschedule-form';

export const metadata = { title: 'Reschedule a reminder · Fracture liaison' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function ReschedulePage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePermission('reminder.reschedule');
  const params = await searchParams;
  const episodeId = one(params.episode);
  const stepKey = one(params.step);
  if (!episodeId || !stepKey) notFound();
  const step = await reminderStep(db(), episodeId, stepKey);
  if (!step) notFound();
  await recordPatientView(user, {
    episodeId,
    patientId: step.patient.id,
    details: { page: 'reschedule', step: stepKey },
  });
  const zone = await userTimeZone();
  // Reminder days are days of the service calendar (its zone and working days), as the domain
  // checks them; the range shown is the one the domain will accept today.
  const today = serviceToday(new Date());
  const window = step.window;
  const range = stepRescheduleRange({ status: step.status as StepStatus, window }, today, calendar);
  const name = `${step.patient.givenName} ${step.patient.familyName}`;
  const when = (day: string) =>
    `${formatCalendarDate(day)} (${relativeDays(daysBetween(today, day))})`;

  return (
    <>
      <p>
        <Link href="/reminders">← Reminders</Link>
      </p>
      <div className="page-heading">
        <h1>Reschedule a reminder</h1>
        <p className="muted">
          {name} · {formatIdentifier(step.patient.identifierKind, step.patient.identifierValue)} ·{' '}
          {step.nurse ? `nurse ${step.nurse.name}` : 'no responsible nurse'}
        </p>
      </div>
      <div className="card stack">
        <h2>
          {step.title} <StatusBadge status={step.status} urgent={step.urgent} />
        </h2>
        {window ? (
          <dl className={styles.window}>
            <dt>Window opens</dt>
            <dd>
              {window.granularity === 'day'
                ? when(window.opens)
                : formatDateTime(window.opens, zone)}
            </dd>
            <dt>Due by (guidance)</dt>
            <dd>
              {window.granularity === 'day' ? when(window.due) : formatDateTime(window.due, zone)}
            </dd>
            <dt>Overdue from</dt>
            <dd>
              {window.granularity === 'day'
                ? when(window.overdueFrom)
                : formatDateTime(window.overdueFrom, zone)}{' '}
              <span className="muted">(clinical limit, does not move)</span>
            </dd>
            <dt>Due reminder now</dt>
            <dd>
              {step.dueAt ? formatDateTime(step.dueAt, zone) : '—'}
              {window.rescheduledTo ? ' (already rescheduled)' : ''}
            </dd>
            <dt>Window source</dt>
            <dd className="small">{describeTimingBasis(window.timing)}</dd>
          </dl>
        ) : null}
        {window?.adjustments.length ? (
          <ul className="small muted">
            {window.adjustments.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        ) : null}
      </div>
      {range ? (
        <RescheduleForm
          episodeId={episodeId}
          stepKey={stepKey}
          earliest={range.earliest}
          latest={range.latest}
          rangeText={`a working day from ${when(range.earliest)} to ${when(range.latest)}`}
          zone={zone}
        />
      ) : (
        <p className="alert" role="alert">
          {window?.granularity === 'exact'
            ? 'This step has an exact clinical time (measured in hours); its reminder cannot be moved.'
            : step.status === 'overdue'
              ? 'This step is overdue; the overdue limit is clinical, so it cannot be rescheduled.'
              : isActive(step.status as StepStatus)
                ? 'No working day is left in this step\u2019s window before it becomes overdue.'
                : 'This step needs no action any more, so it has no reminder to move.'}
        </p>
      )}
    </>
  );
}
